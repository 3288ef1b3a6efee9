// The entry of threads made with thread_create (userland/lib/thread.ts). The kernel starts a
// thread at keel_thread_entry with rsp = the stack it was given and rdi = its argument; the
// entry calls the program's keel_thread_main(arg) (an @export in TypeScript) and passes what it
// returns to thread_exit. Programs without threads get the weak keel_thread_main below.

        .text
        .globl keel_thread_entry_addr
        .type keel_thread_entry_addr, @function
keel_thread_entry_addr:
        leaq keel_thread_entry(%rip), %rax
        ret
        .size keel_thread_entry_addr, . - keel_thread_entry_addr

        .globl keel_thread_entry
        .type keel_thread_entry, @function
keel_thread_entry:
        xorl %ebp, %ebp                 // ends backtraces
        andq $-16, %rsp
        call keel_thread_main
        movq %rax, %rdi
        movl $64, %eax                  // Sys.ThreadExit
        syscall
        ud2
        .size keel_thread_entry, . - keel_thread_entry

        .weak keel_thread_main
        .type keel_thread_main, @function
keel_thread_main:
        movq %rdi, %rax
        ret
        .size keel_thread_main, . - keel_thread_main

        .section .note.GNU-stack, "", @progbits
