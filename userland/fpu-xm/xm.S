// keel_fpu_xm(): unmasks the SIMD divide-by-zero exception in MXCSR and divides 1.0 by 0.0 with
// divsd: a #XM the kernel must answer by killing this process.
        .text
        .globl keel_fpu_xm
        .type keel_fpu_xm, @function
keel_fpu_xm:
        pushq $0x1d80                   // 0x1F80 without ZM (bit 9)
        ldmxcsr (%rsp)
        addq $8, %rsp
        movl $1, %eax
        cvtsi2sdl %eax, %xmm0
        xorpd %xmm1, %xmm1
        divsd %xmm1, %xmm0
        ret
        .size keel_fpu_xm, . - keel_fpu_xm
        .section .note.GNU-stack, "", @progbits
