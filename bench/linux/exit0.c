/* The trivial program that spawn benchmarks start: no C library, just exit(0), so the figure is the
 * kernel's cost to create, run and reap a process rather than libc start-up. */
void _start(void)
{
	__asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" : : : "rax", "rdi", "rcx", "r11", "memory");
	__builtin_unreachable();
}
