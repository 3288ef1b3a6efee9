// Boot entry: the Multiboot2 header and the 32-bit to 64-bit trampoline.
// GRUB enters keel_start32 in 32-bit protected mode, paging off, interrupts off, eax = magic,
// ebx = physical address of the boot information. GRUB has already zeroed .bss (it clears
// p_memsz - p_filesz of every PT_LOAD segment), so nothing is cleared here.
//
// The image is linked at KERNEL_VMA + 0x200000 and loaded at 0x200000, so until paging is on
// every absolute address is written V2P(symbol).

#define KERNEL_VMA 0xffffffff80000000
#define V2P(x) ((x) - KERNEL_VMA)

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_OPTIONAL 1

#define COM1 0x3f8

// ---------------------------------------------------------------------------------------------
// Multiboot2 header (must lie 8-byte aligned in the first 32 KiB of the file: the linker script
// puts .multiboot first).
        .section .multiboot, "a"
        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

        // Information request: command line, modules, memory map, framebuffer, ACPI RSDP (old
        // and new). Optional, so a loader lacking one of them still boots us.
        .balign 8
mb2_info_request:
        .short 1, MB2_TAG_OPTIONAL
        .long mb2_info_request_end - mb2_info_request
        .long 1, 3, 6, 8, 14, 15
mb2_info_request_end:

        // Page-aligned modules, so user programs can be mapped where GRUB put them.
        .balign 8
        .short 6, MB2_TAG_OPTIONAL
        .long 8

        // A linear framebuffer if the firmware has one; optional so that BIOS text mode still
        // boots (UEFI has no text mode: the framebuffer or the serial port is all there is).
        .balign 8
        .short 5, MB2_TAG_OPTIONAL
        .long 20
        .long 1024, 768, 32

        // End tag.
        .balign 8
        .short 0, 0
        .long 8
mb2_header_end:

// ---------------------------------------------------------------------------------------------
        .section .text.boot, "ax"
        .code32
        .globl keel_start32
        .type keel_start32, @function
keel_start32:
        cli
        cld
        movl %eax, V2P(keel_mb_magic)
        movl %ebx, V2P(keel_mb_info)
        movl $V2P(keel_boot_stack_top), %esp

        // CPUID present? (EFLAGS.ID can be toggled.)
        pushfl
        popl %eax
        movl %eax, %ecx
        xorl $(1 << 21), %eax
        pushl %eax
        popfl
        pushfl
        popl %eax
        pushl %ecx
        popfl
        xorl %ecx, %eax
        jz .Lno_long_mode

        movl $0x80000000, %eax
        cpuid
        cmpl $0x80000001, %eax
        jb .Lno_long_mode
        movl $0x80000001, %eax
        cpuid
        testl $(1 << 29), %edx          // LM
        jz .Lno_long_mode
        testl $(1 << 20), %edx          // NX: the kernel's page tables rely on it for W^X
        jz .Lno_nx

        // Boot benchmark origin: the first instruction after the CPU is known to be usable.
        rdtsc
        movl %eax, V2P(keel_boot_entry_tsc)
        movl %edx, V2P(keel_boot_entry_tsc) + 4

        // Four page directories of 2 MiB pages mapping physical 0 .. 4 GiB.
        movl $V2P(boot_pd), %edi
        xorl %ecx, %ecx
1:      movl %ecx, %eax
        shll $21, %eax
        orl $0x83, %eax                 // present, writable, 2 MiB page
        movl %eax, (%edi, %ecx, 8)
        movl %ecx, %eax
        shrl $11, %eax                  // bits 32+ of the physical address
        movl %eax, 4(%edi, %ecx, 8)
        incl %ecx
        cmpl $2048, %ecx
        jb 1b

        // pdpt_low[0..3] -> the four directories.
        movl $V2P(boot_pdpt_low), %edi
        movl $(V2P(boot_pd) + 3), %eax
        movl %eax, 0(%edi)
        addl $0x1000, %eax
        movl %eax, 8(%edi)
        addl $0x1000, %eax
        movl %eax, 16(%edi)
        addl $0x1000, %eax
        movl %eax, 24(%edi)

        // pdpt_high[510] (0xffffffff80000000) -> the first directory: the kernel image at
        // KERNEL_VMA + phys for the first 1 GiB.
        movl $(V2P(boot_pd) + 3), V2P(boot_pdpt_high) + 510 * 8

        // pml4[0]: identity map, needed only while switching to the higher half.
        // pml4[256]: the direct map at 0xffff800000000000, never executable.
        // pml4[511]: the kernel image.
        movl $V2P(boot_pml4), %edi
        movl $(V2P(boot_pdpt_low) + 3), 0(%edi)
        movl $(V2P(boot_pdpt_low) + 3), 256 * 8(%edi)
        movl $0x80000000, 256 * 8 + 4(%edi)
        movl $(V2P(boot_pdpt_high) + 3), 511 * 8(%edi)

        movl %cr4, %eax
        orl $(1 << 5), %eax             // PAE
        movl %eax, %cr4
        movl $V2P(boot_pml4), %eax
        movl %eax, %cr3
        movl $0xc0000080, %ecx          // EFER
        rdmsr
        orl $((1 << 8) | (1 << 11)), %eax   // LME, NXE
        wrmsr
        movl %cr0, %eax
        orl $((1 << 31) | (1 << 16) | 1), %eax  // PG, WP (ring 0 honours read-only pages), PE
        movl %eax, %cr0

        lgdt V2P(boot_gdt_ptr32)
        ljmp $0x08, $V2P(keel_start64_low)

.Lno_long_mode:
        movl $V2P(msg_no_long_mode), %esi
        jmp early_fail
.Lno_nx:
        movl $V2P(msg_no_nx), %esi
        jmp early_fail

// Prints the NUL-terminated string at esi on COM1 and on the VGA text screen, then halts.
early_fail:
        // COM1: 115200 baud, 8N1, FIFO on.
        movw $(COM1 + 1), %dx
        xorb %al, %al
        outb %al, %dx                   // no interrupts
        movw $(COM1 + 3), %dx
        movb $0x80, %al
        outb %al, %dx                   // DLAB
        movw $(COM1 + 0), %dx
        movb $1, %al
        outb %al, %dx                   // divisor 1
        movw $(COM1 + 1), %dx
        xorb %al, %al
        outb %al, %dx
        movw $(COM1 + 3), %dx
        movb $0x03, %al
        outb %al, %dx                   // 8N1
        movw $(COM1 + 2), %dx
        movb $0xc7, %al
        outb %al, %dx
        movl $0xb8000, %edi
2:      movb (%esi), %bl
        testb %bl, %bl
        jz 4f
        movw $(COM1 + 5), %dx
3:      inb %dx, %al
        testb $0x20, %al
        jz 3b
        movw $COM1, %dx
        movb %bl, %al
        outb %al, %dx
        movb %bl, (%edi)
        movb $0x4f, 1(%edi)             // white on red
        addl $2, %edi
        incl %esi
        jmp 2b
4:      cli
        hlt
        jmp 4b

        .code64
keel_start64_low:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movw %ax, %fs
        movw %ax, %gs
        movabsq $keel_start64, %rax
        jmpq *%rax

        .text
keel_start64:
        movq $keel_boot_stack_top, %rsp
        // The GDT again, now by its higher-half address, so the identity map can go.
        lgdt boot_gdt_ptr64(%rip)
        xorl %ebp, %ebp                 // ends backtraces
        call keel_main
        // keel_main returned: nothing more to run.
5:      cli
        hlt
        jmp 5b

// ---------------------------------------------------------------------------------------------
        .section .rodata
        .balign 16
// Null, 64-bit code (0x08), data (0x10). Accessed bits preset so the CPU never writes here
// (the kernel maps .rodata read-only).
boot_gdt:
        .quad 0
        .quad 0x00af9b000000ffff
        .quad 0x00cf93000000ffff
boot_gdt_end:
        .balign 8
        .short 0
boot_gdt_ptr32:
        .short boot_gdt_end - boot_gdt - 1
        .long V2P(boot_gdt)
        .balign 8
        .short 0, 0, 0
boot_gdt_ptr64:
        .short boot_gdt_end - boot_gdt - 1
        .quad boot_gdt

msg_no_long_mode:
        .asciz "Keel: this CPU has no 64-bit long mode; halted.\r\n"
msg_no_nx:
        .asciz "Keel: this CPU has no NX (execute-disable) bit; halted.\r\n"

// ---------------------------------------------------------------------------------------------
        .bss
        .balign 8
        .globl keel_mb_magic, keel_mb_info, keel_boot_entry_tsc
keel_mb_magic:
        .long 0
keel_mb_info:
        .long 0
keel_boot_entry_tsc:
        .quad 0

        .balign 4096
boot_pml4:
        .skip 4096
boot_pdpt_low:
        .skip 4096
boot_pdpt_high:
        .skip 4096
boot_pd:
        .skip 4 * 4096

        .balign 16
        .globl keel_boot_stack_bottom, keel_boot_stack_top
keel_boot_stack_bottom:
        .skip 64 * 1024
keel_boot_stack_top:

        .section .note.GNU-stack, "", @progbits
