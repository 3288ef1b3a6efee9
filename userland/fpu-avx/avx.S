// keel_fpu_avx_usable(): whether AVX may be used (CPUID AVX and OSXSAVE, and XCR0 enables the
// SSE and AVX state).
// keel_fpu_avx_run(seed, rounds, yield): as fpu-sse's keel_fpu_sse_run with the sixteen ymm
// registers (64 lanes, lane k starting at seed + k): x = x * 1.0000001 + 0.25 per lane and round,
// a yield after each round when `yield` is non-zero; returns the bits of the lanes' sum.
        .text
        .globl keel_fpu_avx_usable
        .type keel_fpu_avx_usable, @function
keel_fpu_avx_usable:
        pushq %rbx
        movl $1, %eax
        cpuid
        xorl %eax, %eax
        movl %ecx, %edx
        andl $((1 << 27) | (1 << 28)), %edx
        cmpl $((1 << 27) | (1 << 28)), %edx
        jne 1f
        xorl %ecx, %ecx
        xgetbv
        andl $6, %eax
        cmpl $6, %eax
        sete %al
        movzbl %al, %eax
1:      popq %rbx
        ret
        .size keel_fpu_avx_usable, . - keel_fpu_avx_usable

        .globl keel_fpu_avx_run
        .type keel_fpu_avx_run, @function
keel_fpu_avx_run:
        pushq %rbp
        movq %rsp, %rbp
        pushq %r12
        pushq %r13
        subq $512, %rsp
        andq $-32, %rsp
        movq %rsi, %r12
        movq %rdx, %r13
        xorl %ecx, %ecx
1:      leaq (%rdi, %rcx), %rax
        vcvtsi2sdq %rax, %xmm0, %xmm0
        vmovsd %xmm0, (%rsp, %rcx, 8)
        incq %rcx
        cmpq $64, %rcx
        jb 1b
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovapd 32*\i(%rsp), %ymm\i
        .endr
        testq %r12, %r12
        jz 3f
2:      .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmulpd .Lmul(%rip), %ymm\i, %ymm\i
        vaddpd .Ladd(%rip), %ymm\i, %ymm\i
        .endr
        testq %r13, %r13
        jz 4f
        movl $4, %eax                   // Sys.Yield; clobbers rcx and r11 only
        syscall
4:      decq %r12
        jnz 2b
3:      .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovapd %ymm\i, 32*\i(%rsp)
        .endr
        vxorpd %xmm0, %xmm0, %xmm0
        xorl %ecx, %ecx
5:      vaddsd (%rsp, %rcx, 8), %xmm0, %xmm0
        incq %rcx
        cmpq $64, %rcx
        jb 5b
        vmovq %xmm0, %rax
        vzeroupper
        leaq -16(%rbp), %rsp
        popq %r13
        popq %r12
        popq %rbp
        ret
        .size keel_fpu_avx_run, . - keel_fpu_avx_run

        .section .rodata
        .balign 32
.Lmul:  .double 1.0000001, 1.0000001, 1.0000001, 1.0000001
.Ladd:  .double 0.25, 0.25, 0.25, 0.25
        .section .note.GNU-stack, "", @progbits
