// keel_fpu_sse_run(seed, rounds, yield): double arithmetic held in all sixteen xmm registers
// (32 lanes, lane k starting at seed + k), each round x = x * 1.0000001 + 0.25 per lane, with a
// yield system call after every round when `yield` is non-zero, so the registers must survive
// other processes running in between. Returns the bits of the lanes' sum, added in lane order.
        .text
        .globl keel_fpu_sse_run
        .type keel_fpu_sse_run, @function
keel_fpu_sse_run:
        pushq %rbp
        movq %rsp, %rbp
        pushq %r12
        pushq %r13
        subq $256, %rsp
        andq $-16, %rsp
        movq %rsi, %r12
        movq %rdx, %r13
        xorl %ecx, %ecx
1:      leaq (%rdi, %rcx), %rax
        cvtsi2sdq %rax, %xmm0
        movsd %xmm0, (%rsp, %rcx, 8)
        incq %rcx
        cmpq $32, %rcx
        jb 1b
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movapd 16*\i(%rsp), %xmm\i
        .endr
        testq %r12, %r12
        jz 3f
2:      .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        mulpd .Lmul(%rip), %xmm\i
        addpd .Ladd(%rip), %xmm\i
        .endr
        testq %r13, %r13
        jz 4f
        movl $4, %eax                   // Sys.Yield; clobbers rcx and r11 only
        syscall
4:      decq %r12
        jnz 2b
3:      .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movapd %xmm\i, 16*\i(%rsp)
        .endr
        xorpd %xmm0, %xmm0
        xorl %ecx, %ecx
5:      addsd (%rsp, %rcx, 8), %xmm0
        incq %rcx
        cmpq $32, %rcx
        jb 5b
        movq %xmm0, %rax
        leaq -16(%rbp), %rsp
        popq %r13
        popq %r12
        popq %rbp
        ret
        .size keel_fpu_sse_run, . - keel_fpu_sse_run

        .section .rodata
        .balign 16
.Lmul:  .double 1.0000001, 1.0000001
.Ladd:  .double 0.25, 0.25
        .section .note.GNU-stack, "", @progbits
