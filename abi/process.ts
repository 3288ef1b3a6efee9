// The process part of the ABI (docs/syscalls.md): the startup block a program finds in rdi, how
// wait reports an end, the map flags and the spawn_caps conventions. The kernel and user programs
// both import this module, so it imports nothing.

/** Startup block (rdi at entry): byte offsets of its 64-bit words and the name. */
export const enum Startup {
  Pid = 0,
  ParentPid = 8,
  Flags = 16,
  ModuleIndex = 24,
  NameLength = 32,
  Name = 40,
  /** The TSC's frequency in Hz, as the kernel calibrated it (abi/clock.ts). */
  ClockHz = 240,
  /** The TSC value at which the monotonic clock read 0. */
  ClockOrigin = 248,
}

/** Startup flag: the process may start boot modules (the kernel gives it to init). */
export const STARTUP_MAY_SPAWN = 1;

/** How a process ended, as wait reports it in the second status word. */
export const enum ExitHow {
  /** It called exit; the status is its exit code. */
  Exited = 0,
  /** A fault (status: the exception vector) or process_kill (status: the one it gave) ended it. */
  Killed = 1,
}

/** Flags of the write system call (its third argument). */
export const enum WriteFlag {
  /**
   * Terminal output, not log lines: the kernel's log ring does not record the bytes (the console
   * service writes what programs show this way).
   */
  Terminal = 1,
}
export const WRITE_FLAGS_ALL = WriteFlag.Terminal;

/** Flags of the map system call. */
export const enum MapFlag {
  Writable = 1,
  Executable = 2,
}

/** Flags of spawn_caps, passed in bits 8 and up of its count argument. */
export const enum SpawnFlag {
  /** Move the capabilities instead of copying them (a copy is a child the creator can revoke). */
  Move = 1,
  /**
   * The child runs in the priority class given in flag bits 2..3 (PriorityClass), never a more
   * urgent one than the caller's; without it, the application class.
   */
  Class = 2,
}

/** Where spawn_caps's flags carry the class that SpawnFlag.Class asks for. */
export const SPAWN_CLASS_SHIFT = 2;
/** Every flag bit spawn_caps defines. */
export const SPAWN_FLAGS_ALL = SpawnFlag.Move | SpawnFlag.Class | (3 << SPAWN_CLASS_SHIFT);

/** The flags that start a child in priority class `cls` (PriorityClass). */
export function spawnClassFlags(cls: number): number {
  return SpawnFlag.Class | (cls << SPAWN_CLASS_SHIFT);
}

/** spawn_caps's count argument is count + flags * SPAWN_FLAGS_UNIT. */
export const SPAWN_FLAGS_UNIT = 256;
/** Most capabilities a program can be started with. */
export const MAX_START_CAPS = 8;
/** Handle of the first capability a program is started with (then +1, +2, ...). */
export const FIRST_START_HANDLE = 4096;
