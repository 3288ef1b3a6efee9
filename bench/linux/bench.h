/* Shared by the Linux baseline programs: the virtual-cycle clock and the summary line.
 *
 * Under QEMU's -icount shift=0,sleep=off the guest TSC advances with executed instructions, so
 * each sample is a deterministic count of "virtual cycles". The summary uses the same order
 * statistics as bench/lib/figures.ts (summarize), so Linux and Keel figures compare like for like. */
#ifndef KEEL_BENCH_LINUX_H
#define KEEL_BENCH_LINUX_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	/* The clobber keeps the compiler from moving memory accesses across the reading. */
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Rank of the p-th percentile among n sorted samples: floor((n - 1) * p / 100). p = 50 is the
 * lower median; integer arithmetic only, so every implementation picks the same sample. */
static size_t rank(size_t n, unsigned p)
{
	return (n - 1) * p / 100;
}

/* Sorts the samples in place and prints one line:
 *   BENCH <name> median=M min=A p10=B p90=C max=D n=N unit=cycles */
static void report(const char *name, uint64_t *s, size_t n)
{
	if (n == 0) {
		printf("BENCH-FAIL %s no samples\n", name);
		fflush(stdout);
		return;
	}
	qsort(s, n, sizeof *s, cmp_u64);
	printf("BENCH %s median=%llu min=%llu p10=%llu p90=%llu max=%llu n=%zu unit=cycles\n", name,
	       (unsigned long long)s[rank(n, 50)], (unsigned long long)s[0],
	       (unsigned long long)s[rank(n, 10)], (unsigned long long)s[rank(n, 90)],
	       (unsigned long long)s[n - 1], n);
	fflush(stdout);
}

/* Iteration count: the first argument when given, else the default. */
static size_t iterations(int argc, char **argv, size_t dflt)
{
	if (argc > 1) {
		long v = strtol(argv[1], NULL, 10);
		if (v > 0)
			return (size_t)v;
	}
	return dflt;
}

static uint64_t *samples(size_t n)
{
	uint64_t *s = calloc(n, sizeof *s);
	if (!s) {
		perror("calloc");
		exit(1);
	}
	return s;
}

static inline void die(const char *what)
{
	printf("BENCH-FAIL %s\n", what);
	perror(what);
	fflush(stdout);
	exit(1);
}

#endif
