/* Process create/run/reap.
 *
 *   fork-exit-wait   fork(); the child calls _exit(0); the parent reaps it with waitpid.
 *   spawn-exit-wait  posix_spawn of /bench/exit0 (static, no C library: it only calls exit(0)),
 *                    then waitpid: a fresh address space loaded from an executable, as Keel's
 *                    process creation loads one from an ELF image.
 * Each iteration is timed whole in the parent. */
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define WARMUP 50

extern char **environ;

static void reap(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("child status");
}

int main(int argc, char **argv)
{
	size_t n = iterations(argc, argv, 500);
	uint64_t *s = samples(n);
	const char *prog = argc > 2 ? argv[2] : "/bench/exit0";

	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = rdtsc();
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			s[i - WARMUP] = t1 - t0;
	}
	report("fork-exit-wait", s, n);

	char *args[] = {(char *)prog, NULL};
	for (size_t i = 0; i < WARMUP + n; i++) {
		uint64_t t0 = rdtsc();
		pid_t pid;
		int err = posix_spawn(&pid, prog, NULL, NULL, args, environ);
		if (err) {
			printf("BENCH-FAIL posix_spawn %s: %s\n", prog, strerror(err));
			return 1;
		}
		reap(pid);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			s[i - WARMUP] = t1 - t0;
	}
	report("spawn-exit-wait", s, n);
	return 0;
}
