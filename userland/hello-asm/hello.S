// hello-asm: a program not built by keelc, to show that any static x86-64 ELF that follows
// docs/elf-loader.md and the system-call ABI (docs/syscalls.md) runs. Built with gcc -nostdlib
// (mk/userland.mk) and put in /bin of the default image. It writes one line with the write system
// call (the kernel's console) and exits with its argument count, read from the startup block.

#define SYS_EXIT 1
#define SYS_WRITE 2
#define STARTUP_ARGC 256

        .text
        .globl _start
        .type _start, @function
_start:
        movq STARTUP_ARGC(%rdi), %rbx   // rdi: the startup block; rbx survives system calls
        movl $SYS_WRITE, %eax
        leaq message(%rip), %rdi
        movq $message_end - message, %rsi
        xorl %edx, %edx
        syscall
        movl $SYS_EXIT, %eax
        movq %rbx, %rdi
        syscall
        ud2
        .size _start, . - _start

        .section .rodata
message:
        .ascii "hello-asm: written by a program in assembly\n"
message_end:

        .section .note.GNU-stack, "", @progbits
