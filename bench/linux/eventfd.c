/* Notification: the parent signals an eventfd that a waiting child is blocked reading, the
 * analogue of signalling a Keel notification object its waiter is blocked on. Timed from just
 * before the parent's write to the moment the child's read returns (TSC stamped into shared
 * memory); the child then acknowledges on a second eventfd (not timed). */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define WARMUP 1000

int main(int argc, char **argv)
{
	size_t n = iterations(argc, argv, 10000);
	uint64_t *s = samples(n);
	volatile uint64_t *stamp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stamp == MAP_FAILED)
		die("mmap");
	int signal = eventfd(0, 0), ack = eventfd(0, 0);
	if (signal < 0 || ack < 0)
		die("eventfd");

	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		uint64_t v;
		for (;;) {
			if (read(signal, &v, sizeof v) != sizeof v)
				die("read");
			*stamp = rdtsc();
			if (v > 1) /* the parent's way of saying stop */
				_exit(0);
			if (eventfd_write(ack, 1))
				die("eventfd_write");
		}
	}
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = rdtsc();
		if (eventfd_write(signal, 1))
			die("eventfd_write");
		eventfd_t v;
		if (eventfd_read(ack, &v))
			die("eventfd_read");
		if (i >= WARMUP)
			s[i - WARMUP] = *stamp - t0;
	}
	eventfd_write(signal, 2);
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
	report("eventfd-wake", s, n);
	return 0;
}
