        .text
        .globl keel_user_ud2
        .type keel_user_ud2, @function
keel_user_ud2:
        ud2
        .size keel_user_ud2, . - keel_user_ud2
        .section .note.GNU-stack, "", @progbits
