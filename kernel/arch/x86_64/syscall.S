// System call entry and exit, and the first entry into ring 3.
//
// syscall leaves the user rip in rcx and rflags in r11, loads the kernel CS/SS from STAR and
// clears the rflags bits in FMASK (IF among them), but does not switch stacks. The kernel's GS
// base (IA32_KERNEL_GS_BASE, swapped in by swapgs) points at TSS.rsp0: gs:0 is the running
// thread's kernel stack top, which the scheduler keeps current, and gs:8 (TSS.rsp1, unused
// without ring 1) is scratch for the user rsp. GS is swapped back at once, so outside these few
// instructions GS is the user's and interrupt entry needs no swapgs.
//
// The saved state has the layout of Frame (kernel/arch/x86_64/frame.ts), vector 256, so faults,
// reports and the process code read system call and interrupt frames alike.

#include "frame.inc"

#define USER_DS 0x23
#define USER_CS 0x2b
#define FRAME_RAX 112
#define SYSCALL_VECTOR 256
// First address past the last page sysret may return to: the last user page is never mapped,
// and a non-canonical rcx would make sysret fault in ring 0 on the user's stack (CVE-2012-0217).
#define SYSRET_LIMIT 0x00007ffffffff000

        .text
        .globl keel_syscall_entry
        .type keel_syscall_entry, @function
        .balign 16
keel_syscall_entry:
        swapgs
        movq %rsp, %gs:8
        movq %gs:0, %rsp
        pushq $USER_DS
        pushq %gs:8
        swapgs
        pushq %r11                      // rflags
        pushq $USER_CS
        pushq %rcx                      // rip
        pushq $0                        // error code
        pushq $SYSCALL_VECTOR
        PUSH_GPRS
        movq %rsp, %rdi
        xorl %ebp, %ebp                 // backtraces stop at the user boundary
        call keel_syscall               // (no cld: FMASK clears DF on entry); stores the result in the frame's rax
        // The way back to user mode from a Frame at rsp: also where the IPC fast path leaves to
        // the partner's Frame (keel_fast_leave) and a fast-blocked thread resumes.
keel_syscall_exit:
        cli
        POP_GPRS
        addq $16, %rsp                  // vector and error code
        // sysret only to the user code segment at a canonical user address; iretq otherwise.
        cmpq $USER_CS, 8(%rsp)
        jne 1f
        movq (%rsp), %rcx
        movabsq $SYSRET_LIMIT, %r11
        cmpq %r11, %rcx
        jae 1f
        movq 16(%rsp), %r11
        movq 24(%rsp), %rsp
        sysretq
1:      iretq
        .size keel_syscall_entry, . - keel_syscall_entry

// keel_fast_leave(saveSpAddr, ownFrame, loadSpAddr, nextFrame): the IPC fast path's way out of a
// system call that blocks (kernel/sched/scheduler.ts handOffLeave). The running thread's stack is
// cut back to its Frame with a SwitchFrame below it that returns into keel_fast_resume_entry, and
// that stack pointer is saved at saveSpAddr: any later switch to the thread finishes its call
// there. Then, with nextFrame non-zero (the partner blocked the same way and its answer is in its
// Frame), straight out to user mode on nextFrame; else a switch to the stack saved at loadSpAddr,
// as keel_context_switch does. Never returns.
        .globl keel_fast_leave
        .type keel_fast_leave, @function
        .balign 16
keel_fast_leave:
        leaq -56(%rsi), %rax            // SwitchFrame: r15 r14 r13 r12 rbp rbx (unused), return address
        leaq keel_fast_resume_entry(%rip), %r8
        movq %r8, 48(%rax)
        movq %rax, (%rdi)
        testq %rcx, %rcx
        jz 2f
        movq %rcx, %rsp
        jmp keel_syscall_exit
2:      movq %rdx, %rsi
        jmp keel_context_resume
        .size keel_fast_leave, . - keel_fast_leave

// A thread that left through keel_fast_leave, switched back to by the scheduler: rsp is its
// Frame (16-byte aligned: the Frame ends at the stack top). keel_fast_resume writes the call's
// answer into it, then the usual exit.
        .type keel_fast_resume_entry, @function
        .balign 16
keel_fast_resume_entry:
        movq %rsp, %rdi
        xorl %ebp, %ebp
        call keel_fast_resume
        jmp keel_syscall_exit
        .size keel_fast_resume_entry, . - keel_fast_resume_entry

        .globl keel_syscall_entry_addr
        .type keel_syscall_entry_addr, @function
keel_syscall_entry_addr:
        leaq keel_syscall_entry(%rip), %rax
        ret
        .size keel_syscall_entry_addr, . - keel_syscall_entry_addr

// keel_enter_user(rip, rsp, arg): leaves the kernel for ring 3 at rip with rsp, rdi = arg,
// interrupts enabled and every other register zero. Does not return.
        .globl keel_enter_user
        .type keel_enter_user, @function
        .balign 16
keel_enter_user:
        cli
        pushq $USER_DS
        pushq %rsi
        pushq $0x202
        pushq $USER_CS
        pushq %rdi
        movq %rdx, %rdi
        xorl %eax, %eax
        xorl %ebx, %ebx
        xorl %ecx, %ecx
        xorl %edx, %edx
        xorl %esi, %esi
        xorl %ebp, %ebp
        xorl %r8d, %r8d
        xorl %r9d, %r9d
        xorl %r10d, %r10d
        xorl %r11d, %r11d
        xorl %r12d, %r12d
        xorl %r13d, %r13d
        xorl %r14d, %r14d
        xorl %r15d, %r15d
        iretq
        .size keel_enter_user, . - keel_enter_user

// A user thread killed by a fault resumes here, in ring 0 on its own kernel stack (the frame of
// the fault was rewritten to come back here), and ends in keel_user_killed, which never returns.
        .globl keel_user_kill_trampoline
        .type keel_user_kill_trampoline, @function
        .balign 16
keel_user_kill_trampoline:
        andq $-16, %rsp
        xorl %ebp, %ebp
        call keel_user_killed
        ud2
        .size keel_user_kill_trampoline, . - keel_user_kill_trampoline

        .globl keel_user_kill_trampoline_addr
        .type keel_user_kill_trampoline_addr, @function
keel_user_kill_trampoline_addr:
        leaq keel_user_kill_trampoline(%rip), %rax
        ret
        .size keel_user_kill_trampoline_addr, . - keel_user_kill_trampoline_addr

// Stand-ins until the process code (TypeScript) is linked in.
        .weak keel_syscall
        .type keel_syscall, @function
keel_syscall:
        movq $-65, FRAME_RAX(%rdi)
        ret
        .size keel_syscall, . - keel_syscall

        .weak keel_fast_resume
        .type keel_fast_resume, @function
keel_fast_resume:
        ret
        .size keel_fast_resume, . - keel_fast_resume

        .weak keel_user_killed
        .type keel_user_killed, @function
keel_user_killed:
        jmp keel_halt_forever
        .size keel_user_killed, . - keel_user_killed

        .section .note.GNU-stack, "", @progbits
