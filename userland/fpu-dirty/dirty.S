// keel_fpu_dirty(yields): fills every xmm register (and the upper ymm halves when AVX is on) with
// a secret, sets MXCSR to round toward zero and the x87 control word to 53-bit precision with a
// value on the x87 stack, yields `yields` times checking after each that its registers still hold
// all this, then ends the process with the number of failed checks as exit status, leaving the
// secret in the registers: a process started afterwards must not see it (fpu-fresh).
#define SECRET 0x5ec2e75ec2e75ec2

        .text
        .globl keel_fpu_dirty
        .type keel_fpu_dirty, @function
keel_fpu_dirty:
        movq %rdi, %r12                 // never returns: callee-saved registers are ours
        xorl %r13d, %r13d               // failed checks
        movl $1, %eax
        cpuid
        xorl %r14d, %r14d
        testl $(1 << 27), %ecx          // OSXSAVE, then XCR0 with SSE and AVX
        jz 1f
        testl $(1 << 28), %ecx          // AVX
        jz 1f
        xorl %ecx, %ecx
        xgetbv
        andl $6, %eax
        cmpl $6, %eax
        jne 1f
        movl $1, %r14d                  // AVX in use
1:      movabsq $SECRET, %rax
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movq %rax, %xmm\i
        punpcklqdq %xmm\i, %xmm\i
        .endr
        testl %r14d, %r14d
        jz 2f
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vinsertf128 $1, %xmm\i, %ymm\i, %ymm\i
        .endr
2:      pushq $0x7f80                   // round toward zero, all exceptions masked
        ldmxcsr (%rsp)
        movw $0x27f, (%rsp)             // 53-bit precision
        fldcw (%rsp)
        addq $8, %rsp
        fldpi
3:      testq %r12, %r12
        jz 9f
        movl $4, %eax                   // Sys.Yield
        syscall
        // Check: xmm0, then each xmm against the secret; the upper halves (but ymm0's, which the
        // checks use); MXCSR, FCW. Legacy SSE instructions leave the upper halves alone.
        movabsq $SECRET, %rax
        movq %xmm0, %rbx
        cmpq %rax, %rbx
        jne 8f
        pextrq $1, %xmm0, %rbx
        cmpq %rax, %rbx
        jne 8f
        .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movq %rax, %xmm0
        punpcklqdq %xmm0, %xmm0
        pcmpeqb %xmm\i, %xmm0
        pmovmskb %xmm0, %ebx
        cmpl $0xffff, %ebx
        jne 8f
        movq %rax, %xmm0
        punpcklqdq %xmm0, %xmm0
        .endr
        testl %r14d, %r14d
        jz 4f
        .irp i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vextractf128 $1, %ymm\i, %xmm0
        pcmpeqb %xmm\i, %xmm0
        pmovmskb %xmm0, %ebx
        cmpl $0xffff, %ebx
        jne 8f
        .endr
        movq %rax, %xmm0
        punpcklqdq %xmm0, %xmm0
4:      subq $8, %rsp
        stmxcsr (%rsp)
        cmpl $0x7f80, (%rsp)
        jne 7f
        fnstcw (%rsp)
        cmpw $0x27f, (%rsp)
        jne 7f
        addq $8, %rsp
        jmp 5f
7:      addq $8, %rsp
8:      incq %r13
        // Put the secret back for the next round.
        movq %rax, %xmm0
        punpcklqdq %xmm0, %xmm0
5:      decq %r12
        jmp 3b
9:      movq %r13, %rdi
        movl $1, %eax                   // Sys.Exit
        syscall
        ud2
        .size keel_fpu_dirty, . - keel_fpu_dirty
        .section .note.GNU-stack, "", @progbits
