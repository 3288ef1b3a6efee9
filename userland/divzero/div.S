        .text
        .globl keel_user_div
        .type keel_user_div, @function
keel_user_div:
        movq %rdi, %rax
        xorl %edx, %edx
        divq %rsi
        ret
        .size keel_user_div, . - keel_user_div
        .section .note.GNU-stack, "", @progbits
