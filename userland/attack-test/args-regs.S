// keel_syscall_words(n, a0, a1, a2, a3, a4, a5): keel_syscall6 with the arguments declared as
// 64-bit words (uint64_t) rather than numbers, so that args.ts can pass any register value,
// 2^53 and above included, which a number cannot hold. The registers are the same either way.
        .text
        .globl keel_syscall_words
        .type keel_syscall_words, @function
keel_syscall_words:
        jmp keel_syscall6
        .size keel_syscall_words, . - keel_syscall_words

        .section .note.GNU-stack, "", @progbits
