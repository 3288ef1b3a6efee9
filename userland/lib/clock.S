// keel_user_rdtsc(): the TSC as a uint64 (userland/lib/clock.ts).
        .text
        .globl keel_user_rdtsc
        .type keel_user_rdtsc, @function
keel_user_rdtsc:
        rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        ret
        .size keel_user_rdtsc, . - keel_user_rdtsc
        .section .note.GNU-stack, "", @progbits
