// keel_fpu_yield_loop(n, sse): n yield system calls; with `sse` non-zero, each preceded by SSE
// arithmetic on all sixteen xmm registers, so that every switch finds this process's SSE state
// modified (XSAVEOPT cannot skip it; a lazy switch takes #NM).
        .text
        .globl keel_fpu_yield_loop
        .type keel_fpu_yield_loop, @function
keel_fpu_yield_loop:
        testq %rdi, %rdi
        jz 3f
1:      testq %rsi, %rsi
        jz 2f
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        addpd %xmm\i, %xmm\i
        .endr
2:      movl $4, %eax                   // Sys.Yield; clobbers rcx and r11
        pushq %rdi
        pushq %rsi
        syscall
        popq %rsi
        popq %rdi
        decq %rdi
        jnz 1b
3:      ret
        .size keel_fpu_yield_loop, . - keel_fpu_yield_loop
        .section .note.GNU-stack, "", @progbits
