        .text
        .globl keel_user_rdtsc
        .type keel_user_rdtsc, @function
keel_user_rdtsc:
        lfence
        rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        ret
        .size keel_user_rdtsc, . - keel_user_rdtsc
        .section .note.GNU-stack, "", @progbits
