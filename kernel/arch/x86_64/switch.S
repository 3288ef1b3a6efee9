// Thread switching. The stack layout is SwitchFrame in kernel/arch/x86_64/frame.ts:
// from the saved rsp upward r15, r14, r13, r12, rbp, rbx, return address.

        .text
// keel_context_switch(saveSpAddr, loadSpAddr): saves the callee-saved registers of the running
// thread on its stack, stores its rsp at saveSpAddr, and resumes the thread whose rsp was saved
// at loadSpAddr.
// Caller-saved registers need no saving: this is an ordinary call as far as the compiler knows.
        .globl keel_context_switch
        .type keel_context_switch, @function
        .balign 16
keel_context_switch:
        pushq %rbx
        pushq %rbp
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, (%rdi)
        // The second half alone (resume the thread saved at rsi) is keel_fast_leave's too.
        .globl keel_context_resume
keel_context_resume:
        movq (%rsi), %rsp
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbp
        popq %rbx
        ret
        .size keel_context_switch, . - keel_context_switch

// A new thread's first switch returns here. The prepared r12 and r13 arrive as the first two
// arguments of keel_thread_start, for a scheduler that wants them; it never returns.
        .globl keel_thread_trampoline
        .type keel_thread_trampoline, @function
        .balign 16
keel_thread_trampoline:
        movq %r12, %rdi
        movq %r13, %rsi
        xorl %ebp, %ebp                 // ends backtraces
        andq $-16, %rsp
        call keel_thread_start
        jmp keel_halt_forever
        .size keel_thread_trampoline, . - keel_thread_trampoline

        .globl keel_thread_trampoline_addr
        .type keel_thread_trampoline_addr, @function
        .balign 16
keel_thread_trampoline_addr:
        leaq keel_thread_trampoline(%rip), %rax
        ret
        .size keel_thread_trampoline_addr, . - keel_thread_trampoline_addr

// Stand-in until the scheduler exports keel_thread_start.
        .weak keel_thread_start
        .type keel_thread_start, @function
keel_thread_start:
        jmp keel_halt_forever
        .size keel_thread_start, . - keel_thread_start

        .section .note.GNU-stack, "", @progbits
