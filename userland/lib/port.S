// Port I/O from ring 3 (userland/lib/device.ts): allowed only on ports the process enabled
// through an IoPortRange capability; any other port raises #GP and the kernel ends the process.
        .text
        .globl keel_user_inb, keel_user_inw, keel_user_inl, keel_user_outb, keel_user_outw, keel_user_outl
        .type keel_user_inb, @function
keel_user_inb:
        movl %edi, %edx
        xorl %eax, %eax
        inb %dx, %al
        ret
        .type keel_user_inw, @function
keel_user_inw:
        movl %edi, %edx
        xorl %eax, %eax
        inw %dx, %ax
        ret
        .type keel_user_inl, @function
keel_user_inl:
        movl %edi, %edx
        inl %dx, %eax
        ret
        .type keel_user_outb, @function
keel_user_outb:
        movl %edi, %edx
        movl %esi, %eax
        outb %al, %dx
        ret
        .type keel_user_outw, @function
keel_user_outw:
        movl %edi, %edx
        movl %esi, %eax
        outw %ax, %dx
        ret
        .type keel_user_outl, @function
keel_user_outl:
        movl %edi, %edx
        movl %esi, %eax
        outl %eax, %dx
        ret
        .section .note.GNU-stack, "", @progbits
