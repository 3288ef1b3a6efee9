// keel_syscall_msg(n, handle, msg, timeout): a register-message system call (call_regs,
// reply_wait; docs/syscalls.md, "Register messages") on the message buffer at msg. The label and
// the six data words go from the buffer into rsi and rdx r10 r8 r9 r12 r13, the timeout into r14;
// on success (rax >= 0) the answer's badge, label and words come back into the buffer and its
// capability count and reply handle are cleared. Returns rax. r12-r15 are callee-saved in the C
// convention and are restored.
#define MSG_LABEL 0
#define MSG_CAPCOUNT 8
#define MSG_BADGE 24
#define MSG_REPLY 32
#define MSG_W0 40

        .text
        .globl keel_syscall_msg
        .type keel_syscall_msg, @function
        .balign 16
keel_syscall_msg:
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rdi, %rax
        movq %rsi, %rdi
        movq %rdx, %r15
        movq %rcx, %r14
        movq MSG_LABEL(%r15), %rsi
        movq MSG_W0(%r15), %rdx
        movq MSG_W0+8(%r15), %r10
        movq MSG_W0+16(%r15), %r8
        movq MSG_W0+24(%r15), %r9
        movq MSG_W0+32(%r15), %r12
        movq MSG_W0+40(%r15), %r13
        syscall
        testq %rax, %rax
        js 1f
        movq %rsi, MSG_LABEL(%r15)
        movq $0, MSG_CAPCOUNT(%r15)
        movq %rdi, MSG_BADGE(%r15)
        movq $0, MSG_REPLY(%r15)
        movq %rdx, MSG_W0(%r15)
        movq %r10, MSG_W0+8(%r15)
        movq %r8, MSG_W0+16(%r15)
        movq %r9, MSG_W0+24(%r15)
        movq %r12, MSG_W0+32(%r15)
        movq %r13, MSG_W0+40(%r15)
1:      popq %r15
        popq %r14
        popq %r13
        popq %r12
        ret
        .size keel_syscall_msg, . - keel_syscall_msg

        .section .note.GNU-stack, "", @progbits
