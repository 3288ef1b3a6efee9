// User program entry and the system call instruction. The kernel starts a program at _start with
// rsp 8 below a 16-byte boundary (as after a call) and rdi = the startup block
// (docs/syscalls.md). keel_main runs every module's top-level code; returning from it is exit(0).

        .text
        .globl _start
        .type _start, @function
_start:
        xorl %ebp, %ebp                 // ends backtraces
        movq %rdi, keel_startup_block(%rip)
        andq $-16, %rsp
        // A program may look at the state it was started with before any other code runs
        // (fpu-fresh does): it defines keel_start_hook; a weak undefined symbol is 0 here.
        movq $keel_start_hook, %rax
        testq %rax, %rax
        jz 1f
        call *%rax
1:      call keel_main
        xorl %edi, %edi
        movl $1, %eax                   // Sys.Exit
        syscall
        ud2
        .size _start, . - _start

// keel_syscall6(n, a0, a1, a2, a3, a4, a5): the C calling convention in, the system call ABI
// out (rax = n; rdi, rsi, rdx, r10, r8, r9 = arguments; rcx and r11 are clobbered).
        .globl keel_syscall6
        .type keel_syscall6, @function
keel_syscall6:
        movq %rdi, %rax
        movq %rsi, %rdi
        movq %rdx, %rsi
        movq %rcx, %rdx
        movq %r8, %r10
        movq %r9, %r8
        movq 8(%rsp), %r9
        syscall
        ret
        .size keel_syscall6, . - keel_syscall6

        .weak keel_start_hook

        .globl keel_startup_info
        .type keel_startup_info, @function
keel_startup_info:
        movq keel_startup_block(%rip), %rax
        ret
        .size keel_startup_info, . - keel_startup_info

        .bss
        .balign 8
keel_startup_block:
        .quad 0

        .section .note.GNU-stack, "", @progbits
