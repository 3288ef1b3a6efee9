// System call numbers: rax on entry. Part of the ABI (docs/syscalls.md): never renumber, only
// append. The capability and IPC invocations will take numbers from 32 up.
export const enum Sys {
  /** Does nothing and returns 0 (entry/exit cost). */
  Null = 0,
  /** exit(status): ends the calling process; does not return. */
  Exit = 1,
  /** write(buf, len): len bytes to the kernel console; returns len. */
  Write = 2,
  /** getpid(): the caller's pid. */
  GetPid = 3,
  /** yield(): gives the CPU to another ready thread; returns 0. */
  Yield = 4,
  /** map(addr, len, flags): zeroed memory at a free page-aligned range; returns 0. */
  Map = 5,
  /** unmap(addr, len): releases a range made by map (the whole of it); returns 0. */
  Unmap = 6,
  /** module_count(): number of boot modules. */
  ModuleCount = 7,
  /** module_name(index, buf, cap): copies up to cap bytes of the name; returns its full length. */
  ModuleName = 8,
  /** spawn(index): starts boot module `index` as a child; returns its pid. */
  Spawn = 9,
  /** wait(pid, status): reaps child pid (-1: any); [status] = exit status, [status+8] = how. */
  Wait = 10,
}

/** One more than the highest number in use. */
export const SYSCALL_COUNT = 11;
