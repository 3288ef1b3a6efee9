// keel_fpu_mf(): unmasks the x87 divide-by-zero exception in the control word, divides 1 by 0
// with fdiv and waits: the pending exception is a #MF the kernel must answer by killing this process.
        .text
        .globl keel_fpu_mf
        .type keel_fpu_mf, @function
keel_fpu_mf:
        pushq $0x37b                    // 0x37F without ZM (bit 2)
        fldcw (%rsp)
        addq $8, %rsp
        fld1
        fldz
        fdivrp %st, %st(1)              // st(1) / st(0): 1 / 0
        fwait
        fstp %st(0)
        ret
        .size keel_fpu_mf, . - keel_fpu_mf
        .section .note.GNU-stack, "", @progbits
