/* Pipe IPC between two processes on one CPU, the analogue of Keel's endpoint call/reply and
 * one-way send.
 *
 *   pipe-rtt     parent writes 1 byte to pipe A, child reads it and writes 1 byte to pipe B,
 *                parent reads it: one round trip, timed in the parent.
 *   pipe-oneway  parent reads the TSC and writes 1 byte to pipe A; the child's read returns and it
 *                reads the TSC into shared memory, then acknowledges on pipe B (not timed). */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define WARMUP 1000

static int a[2], b[2];
static volatile uint64_t *stamp;

static void xwrite(int fd)
{
	char c = 1;
	if (write(fd, &c, 1) != 1)
		die("write");
}

static void xread(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		die("read");
}

/* Child of pipe-rtt: echo until the parent closes pipe A. */
static void echo(void)
{
	char c;
	while (read(a[0], &c, 1) == 1)
		xwrite(b[1]);
	_exit(0);
}

/* Child of pipe-oneway: stamp the arrival of each byte. */
static void receive(void)
{
	char c;
	while (read(a[0], &c, 1) == 1) {
		*stamp = rdtsc();
		xwrite(b[1]);
	}
	_exit(0);
}

static void run(const char *name, void (*child)(void), int oneway, size_t n, uint64_t *s)
{
	if (pipe(a) || pipe(b))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		child();
	}
	close(a[0]);
	close(b[1]);
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = rdtsc();
		xwrite(a[1]);
		xread(b[0]);
		uint64_t t1 = oneway ? *stamp : rdtsc();
		if (i >= WARMUP)
			s[i - WARMUP] = t1 - t0;
	}
	close(a[1]);
	close(b[0]);
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
	report(name, s, n);
}

int main(int argc, char **argv)
{
	size_t n = iterations(argc, argv, 10000);
	uint64_t *s = samples(n);
	stamp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stamp == MAP_FAILED)
		die("mmap");
	run("pipe-rtt", echo, 0, n, s);
	run("pipe-oneway", receive, 1, n, s);
	return 0;
}
