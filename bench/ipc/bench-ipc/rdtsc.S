// The time-stamp counter for the IPC benchmark (rdtsc is allowed in ring 3: CR4.TSD is clear).
// lfence keeps the read from moving ahead of the operation being measured.
        .text
        .globl keel_ipc_bench_rdtsc
        .type keel_ipc_bench_rdtsc, @function
keel_ipc_bench_rdtsc:
        lfence
        rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        ret
        .size keel_ipc_bench_rdtsc, . - keel_ipc_bench_rdtsc
        .section .note.GNU-stack, "", @progbits
