// Host stand-in for the kernel under the user library's tests: a system call handler the test
// installs, and the startup block address it pretends the kernel passed.
export type HostSyscall = (n: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => number;

export const hostKernel = {
  syscall: ((n: number) => -65 - 0 * n) as HostSyscall,
  startupInfo: 0,
};
