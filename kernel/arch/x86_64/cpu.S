// The CPU instructions behind the @extern functions of kernel/arch/x86_64/cpu.ts, one small leaf
// function each (System V ABI: arguments in rdi, rsi, rdx; result in rax; bool in al).

#define COM1 0x3f8

        .macro FUNC name
        .globl \name
        .type \name, @function
        .balign 16
\name:
        .endm
        .macro END name
        .size \name, . - \name
        .endm

        .text

// ---- port I/O ----------------------------------------------------------------------------
FUNC keel_outb
        movl %edi, %edx
        movl %esi, %eax
        outb %al, %dx
        ret
END keel_outb
FUNC keel_outw
        movl %edi, %edx
        movl %esi, %eax
        outw %ax, %dx
        ret
END keel_outw
FUNC keel_outl
        movl %edi, %edx
        movl %esi, %eax
        outl %eax, %dx
        ret
END keel_outl
FUNC keel_inb
        movl %edi, %edx
        xorl %eax, %eax
        inb %dx, %al
        ret
END keel_inb
FUNC keel_inw
        movl %edi, %edx
        xorl %eax, %eax
        inw %dx, %ax
        ret
END keel_inw
FUNC keel_inl
        movl %edi, %edx
        inl %dx, %eax                   // writing eax zero-extends into rax
        ret
END keel_inl

// ---- MSRs, control registers, TLB, TSC, CPUID ----------------------------------------------
FUNC keel_rdmsr
        movl %edi, %ecx
        rdmsr
        shlq $32, %rdx
        orq %rdx, %rax
        ret
END keel_rdmsr
FUNC keel_wrmsr
        movl %edi, %ecx
        movl %esi, %eax
        movq %rsi, %rdx
        shrq $32, %rdx
        wrmsr
        ret
END keel_wrmsr

// keel_read_cr(n): CR0, CR2, CR3, CR4; 0 for any other n.
FUNC keel_read_cr
        cmpq $0, %rdi
        je 0f
        cmpq $2, %rdi
        je 2f
        cmpq $3, %rdi
        je 3f
        cmpq $4, %rdi
        je 4f
        xorl %eax, %eax
        ret
0:      movq %cr0, %rax
        ret
2:      movq %cr2, %rax
        ret
3:      movq %cr3, %rax
        ret
4:      movq %cr4, %rax
        ret
END keel_read_cr
// keel_write_cr3(root): CR3 (the thread switch's write).
FUNC keel_write_cr3
        movq %rdi, %cr3
        ret
END keel_write_cr3
// keel_write_cr(n, value): CR0, CR2, CR3, CR4; other n are ignored. CR3 is tested first: every
// thread switch between address spaces writes it.
FUNC keel_write_cr
        cmpq $3, %rdi
        je 3f
        cmpq $0, %rdi
        je 0f
        cmpq $2, %rdi
        je 2f
        cmpq $4, %rdi
        je 4f
        ret
0:      movq %rsi, %cr0
        ret
2:      movq %rsi, %cr2
        ret
3:      movq %rsi, %cr3
        ret
4:      movq %rsi, %cr4
        ret
END keel_write_cr
// ---- FPU, SSE and AVX state (kernel/arch/x86_64/fpu.ts) -----------------------------------
// The 64-bit forms (REX.W) save the x87 instruction and operand pointers in full. edx:eax = all
// ones asks for every component XCR0 enables.
FUNC keel_xsetbv
        movl %edi, %ecx
        movl %esi, %eax
        movq %rsi, %rdx
        shrq $32, %rdx
        xsetbv
        ret
END keel_xsetbv
FUNC keel_fninit
        fninit
        pushq $0x1f80
        ldmxcsr (%rsp)
        addq $8, %rsp
        ret
END keel_fninit
FUNC keel_xsave
        movl $-1, %eax
        movl $-1, %edx
        xsave64 (%rdi)
        ret
END keel_xsave
FUNC keel_xsaveopt
        movl $-1, %eax
        movl $-1, %edx
        xsaveopt64 (%rdi)
        ret
END keel_xsaveopt
// keel_fpu_swap(save, load): XSAVEOPT into save, XRSTOR from load (every enabled component).
FUNC keel_fpu_swap
        movl $-1, %eax
        movl $-1, %edx
        xsaveopt64 (%rdi)
        xrstor64 (%rsi)
        ret
END keel_fpu_swap
FUNC keel_xrstor
        movl $-1, %eax
        movl $-1, %edx
        xrstor64 (%rdi)
        ret
END keel_xrstor
// keel_fpu_status(): MXCSR in bits 0-31, the x87 status word in bits 32-47 (fnstsw: no wait, so
// a pending x87 exception is not raised here).
FUNC keel_fpu_status
        subq $8, %rsp
        stmxcsr (%rsp)
        movl (%rsp), %eax
        fnstsw (%rsp)
        movzwl (%rsp), %edx
        shlq $32, %rdx
        orq %rdx, %rax
        addq $8, %rsp
        ret
END keel_fpu_status
FUNC keel_fxsave
        fxsave64 (%rdi)
        ret
END keel_fxsave
FUNC keel_fxrstor
        fxrstor64 (%rdi)
        ret
END keel_fxrstor

FUNC keel_invlpg
        invlpg (%rdi)
        ret
END keel_invlpg
FUNC keel_rdtsc
        rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        ret
END keel_rdtsc
// keel_cpuid(leaf, subleaf, reg): register reg (0 eax, 1 ebx, 2 ecx, 3 edx) as a uint32.
FUNC keel_cpuid
        pushq %rbx
        movq %rdx, %r8
        movl %edi, %eax
        movl %esi, %ecx
        cpuid
        cmpq $1, %r8
        je 1f
        cmpq $2, %r8
        je 2f
        cmpq $3, %r8
        je 3f
        movl %eax, %eax
        popq %rbx
        ret
1:      movl %ebx, %eax
        popq %rbx
        ret
2:      movl %ecx, %eax
        popq %rbx
        ret
3:      movl %edx, %eax
        popq %rbx
        ret
END keel_cpuid

// ---- interrupt flag, halting ---------------------------------------------------------------
FUNC keel_cli
        cli
        ret
END keel_cli
FUNC keel_sti
        sti
        ret
END keel_sti
FUNC keel_save_disable_interrupts
        pushfq
        popq %rax
        cli
        shrl $9, %eax                   // RFLAGS.IF
        andl $1, %eax
        ret
END keel_save_disable_interrupts
FUNC keel_restore_interrupts
        testb %dil, %dil
        jz 1f
        sti
1:      ret
END keel_restore_interrupts
// sti takes effect after the next instruction, so no interrupt can slip in before hlt.
FUNC keel_wait_for_interrupt
        sti
        hlt
        ret
END keel_wait_for_interrupt
// keel_fill32(addr, count, value): count 32-bit stores of value from addr up (rep stosl).
FUNC keel_fill32
        movq %rsi, %rcx
        movl %edx, %eax
        cld
        rep stosl
        ret
END keel_fill32
// Out-of-line on purpose: the compiler must assume a call reads and writes all shared memory.
FUNC keel_cpu_relax
        pause
        ret
END keel_cpu_relax
FUNC keel_compiler_barrier
        ret
END keel_compiler_barrier
FUNC keel_halt_forever
1:      cli
        hlt
        jmp 1b
END keel_halt_forever

// ---- descriptor tables -------------------------------------------------------------------
// keel_lgdt(base, limit) / keel_lidt(base, limit): build the 10-byte pseudo-descriptor on the stack.
FUNC keel_lgdt
        subq $16, %rsp
        movw %si, 6(%rsp)
        movq %rdi, 8(%rsp)
        lgdt 6(%rsp)
        addq $16, %rsp
        ret
END keel_lgdt
FUNC keel_lidt
        subq $16, %rsp
        movw %si, 6(%rsp)
        movq %rdi, 8(%rsp)
        lidt 6(%rsp)
        addq $16, %rsp
        ret
END keel_lidt
FUNC keel_ltr
        ltr %di
        ret
END keel_ltr
// keel_reload_segments(code, data): data selector into ds, es, ss (fs and gs are left alone:
// their bases live in MSRs), then CS through a far return.
FUNC keel_reload_segments
        movw %si, %ds
        movw %si, %es
        movw %si, %ss
        popq %rax                       // our return address
        pushq %rdi
        pushq %rax
        lretq
END keel_reload_segments

FUNC keel_read_rbp
        movq %rbp, %rax
        ret
END keel_read_rbp

// ---- boot handoff and image layout ---------------------------------------------------------
FUNC keel_boot_magic
        movl keel_mb_magic(%rip), %eax
        ret
END keel_boot_magic
FUNC keel_boot_info
        movl keel_mb_info(%rip), %eax
        ret
END keel_boot_info
FUNC keel_entry_tsc
        movq keel_boot_entry_tsc(%rip), %rax
        ret
END keel_entry_tsc
// keel_kernel_section(which): see cpu.ts; 0 for an unknown index.
FUNC keel_kernel_section
        xorl %eax, %eax
        cmpq $5, %rdi
        ja 1f
        leaq keel_section_table(%rip), %rax
        movq (%rax, %rdi, 8), %rax
1:      ret
END keel_kernel_section

// ---- QEMU ----------------------------------------------------------------------------------
// isa-debug-exit at 0xf4: QEMU exits with (code << 1) | 1. Elsewhere the write does nothing,
// so halt.
FUNC keel_qemu_exit
        movl %edi, %eax
        outl %eax, $0xf4
        jmp keel_halt_forever
END keel_qemu_exit

// ---- early output, used only until the TypeScript consoles are linked ------------------------
// keel_write(addr, len): polled COM1. The consoles export the real one; this one is weak.
        .weak keel_write
        .type keel_write, @function
        .balign 16
keel_write:
        movq %rdi, %r8
        movq %rsi, %rcx
1:      testq %rcx, %rcx
        jz 3f
        movw $(COM1 + 5), %dx
2:      inb %dx, %al
        testb $0x20, %al                // transmit holding register empty
        jz 2b
        movw $COM1, %dx
        movb (%r8), %al
        outb %al, %dx
        incq %r8
        decq %rcx
        jmp 1b
3:      ret
END keel_write

// keel_early_print_hex(value): "0x" and 16 hex digits through keel_write.
FUNC keel_early_print_hex
        pushq %rbp
        movq %rsp, %rbp
        subq $32, %rsp
        movw $0x7830, (%rsp)            // "0x"
        movl $17, %ecx
1:      movl %edi, %eax
        andl $15, %eax
        leaq hex_digits(%rip), %rdx
        movb (%rdx, %rax), %al
        movb %al, (%rsp, %rcx)
        shrq $4, %rdi
        decl %ecx
        cmpl $1, %ecx
        ja 1b
        movb $10, 18(%rsp)
        movq %rsp, %rdi
        movl $19, %esi
        call keel_write
        leave
        ret
END keel_early_print_hex

// keel_panic_hook(msg, file, line): weak stand-in for the panic module; prints and halts.
        .weak keel_panic_hook
        .type keel_panic_hook, @function
        .balign 16
keel_panic_hook:
        movq %rdi, %r12
        movq %rsi, %r13
        movq %rdx, %r14
        leaq msg_panic(%rip), %rdi
        movl $7, %esi
        call keel_write
        movq %r12, %rdi
        call print_cstring
        leaq msg_at(%rip), %rdi
        movl $4, %esi
        call keel_write
        movq %r13, %rdi
        call print_cstring
        movq %r14, %rdi
        call keel_early_print_hex
        jmp keel_halt_forever
END keel_panic_hook

print_cstring:
        movq %rdi, %rsi
1:      cmpb $0, (%rsi)
        je 2f
        incq %rsi
        jmp 1b
2:      subq %rdi, %rsi
        jmp keel_write

        .section .rodata
        .balign 8
keel_section_table:
        .quad keel_image_start, keel_text_end, keel_rodata_end, keel_data_end, keel_bss_end
        .quad keel_boot_stack_top
hex_digits:
        .ascii "0123456789abcdef"
msg_panic:
        .ascii "PANIC: "
msg_at:
        .ascii " at "

        .section .note.GNU-stack, "", @progbits
