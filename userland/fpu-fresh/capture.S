// keel_start_hook, called by _start before anything else runs: saves the FPU/SSE/AVX state the
// kernel started this process with into keel_fresh_area (XSAVE with every component XCR0 enables
// when the kernel turned XSAVE on, FXSAVE otherwise) and notes which in keel_fresh_xsave.
        .text
        .globl keel_start_hook
        .type keel_start_hook, @function
keel_start_hook:
        // An SSE instruction that changes nothing, first: under lazy switching (keel.fpu=lazy) it
        // takes the #NM that loads this thread's registers, as the program's first use of them
        // would. XSAVE should raise #NM under CR0.TS as well, but QEMU's TCG lets it read the
        // registers of their previous owner instead.
        movaps %xmm0, %xmm0
        pushq %rbx
        movl $1, %eax
        cpuid
        testl $(1 << 27), %ecx          // OSXSAVE
        jz 1f
        movl $-1, %eax
        movl $-1, %edx
        leaq keel_fresh_area(%rip), %rbx
        xsave64 (%rbx)
        movq $1, keel_fresh_xsave(%rip)
        popq %rbx
        ret
1:      fxsave64 keel_fresh_area(%rip)
        popq %rbx
        ret
        .size keel_start_hook, . - keel_start_hook

// keel_fresh_area_addr(), keel_fresh_used_xsave(): for fresh.ts.
        .globl keel_fresh_area_addr
        .type keel_fresh_area_addr, @function
keel_fresh_area_addr:
        leaq keel_fresh_area(%rip), %rax
        ret
        .size keel_fresh_area_addr, . - keel_fresh_area_addr
        .globl keel_fresh_used_xsave
        .type keel_fresh_used_xsave, @function
keel_fresh_used_xsave:
        movq keel_fresh_xsave(%rip), %rax
        ret
        .size keel_fresh_used_xsave, . - keel_fresh_used_xsave

        .bss
        .balign 64
keel_fresh_area:
        .skip 4096
keel_fresh_xsave:
        .quad 0
        .section .note.GNU-stack, "", @progbits
