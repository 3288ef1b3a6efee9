// Interrupt entry stubs for all 256 vectors. Each stub makes the stack look the same whether or
// not the CPU pushed an error code, adds the vector number, and joins keel_interrupt_common,
// which saves the general registers in the order of kernel/arch/x86_64/frame.ts (Frame) and
// calls keel_interrupt(frame) in TypeScript.

#include "frame.inc"

// Vectors for which the CPU pushes an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
#define HAS_ERROR_CODE(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

        .altmacro
        .macro STUB n
        .balign 16
keel_isr_\n:
        .if HAS_ERROR_CODE(\n)
        .else
        pushq $0
        .endif
        pushq $\n
        jmp keel_interrupt_common
        .endm

        .macro STUB_ADDR n
        .quad keel_isr_\n
        .endm

        .text
        .balign 16
        .globl keel_interrupt_stubs
keel_interrupt_stubs:
        .set vec, 0
        .rept 256
        STUB %vec
        .set vec, vec + 1
        .endr

        .balign 16
keel_interrupt_common:
        // No swapgs, from ring 3 either: the kernel keeps nothing in GS; syscall.S swaps it in
        // only for the few instructions of its stack switch (interrupts are off there).
        PUSH_GPRS
        // The frame is 176 bytes above a 16-byte aligned CPU frame, so rsp is aligned here.
        movq %rsp, %rdi
        xorl %ebp, %ebp                 // backtraces stop at the interrupt boundary
        cld
        call keel_interrupt
        POP_GPRS
        addq $16, %rsp                  // vector and error code
        iretq

// keel_interrupt_stub_addr(i): address of the stub for vector i (0 outside 0..255).
        .globl keel_interrupt_stub_addr
        .type keel_interrupt_stub_addr, @function
keel_interrupt_stub_addr:
        xorl %eax, %eax
        cmpq $255, %rdi
        ja 1f
        leaq keel_interrupt_stub_table(%rip), %rax
        movq (%rax, %rdi, 8), %rax
1:      ret
        .size keel_interrupt_stub_addr, . - keel_interrupt_stub_addr

// Used until the interrupt dispatcher (TypeScript, @export keel_interrupt) is linked in:
// reports the vector on COM1 and halts.
        .weak keel_interrupt
        .type keel_interrupt, @function
keel_interrupt:
        movq 120(%rdi), %rbx            // Frame.VECTOR
        leaq msg_unhandled(%rip), %rdi
        movq $msg_unhandled_end - msg_unhandled, %rsi
        call keel_write
        movq %rbx, %rdi
        call keel_early_print_hex
        call keel_halt_forever
        .size keel_interrupt, . - keel_interrupt

        .section .rodata
        .balign 8
        .globl keel_interrupt_stub_table
keel_interrupt_stub_table:
        .set vec, 0
        .rept 256
        STUB_ADDR %vec
        .set vec, vec + 1
        .endr
msg_unhandled:
        .ascii "\nunhandled interrupt, vector "
msg_unhandled_end:

        .section .note.GNU-stack, "", @progbits
