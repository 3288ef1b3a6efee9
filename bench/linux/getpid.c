/* Null system call: syscall(SYS_getpid), timed one call at a time. Also reports the cost of the
 * empty measurement (two back-to-back TSC readings), which every per-call figure includes. */
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define WARMUP 10000

int main(int argc, char **argv)
{
	size_t n = iterations(argc, argv, 100000);
	uint64_t *s = samples(n);

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();
		uint64_t t1 = rdtsc();
		s[i] = t1 - t0;
	}
	report("rdtsc", s, n);

	/* Warm-up: caches, TLB and QEMU's translated blocks for the syscall path. */
	for (size_t i = 0; i < WARMUP; i++)
		syscall(SYS_getpid);
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();
		syscall(SYS_getpid);
		uint64_t t1 = rdtsc();
		s[i] = t1 - t0;
	}
	report("getpid", s, n);
	return 0;
}
