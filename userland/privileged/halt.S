        .text
        .globl keel_user_hlt
        .type keel_user_hlt, @function
keel_user_hlt:
        hlt
        ret
        .size keel_user_hlt, . - keel_user_hlt
        .section .note.GNU-stack, "", @progbits
