// The process part of the ABI (docs/syscalls.md): the startup block a program finds in rdi, how
// wait reports an end, the map flags and the spawn_caps conventions. The kernel and user programs
// both import this module, so it imports nothing.

/** Startup block (rdi at entry): byte offsets of its 64-bit words, the name and the strings. */
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
  /** The number of arguments (argc): the first strings. */
  ArgCount = 256,
  /** The number of environment entries: the strings after the arguments. */
  EnvCount = 264,
  /** Bytes of the strings, every one NUL-terminated. */
  StringsLength = 272,
  /** The strings: ArgCount arguments, then EnvCount KEY=VALUE entries, each ending in a NUL byte. */
  Strings = 280,
}

/** Bytes of the startup block: the whole top page of the stack. */
export const STARTUP_BLOCK_BYTES = 4096;
/** Most bytes of argument and environment strings (their NULs included) a program can be given. */
export const STARTUP_STRINGS_MAX = STARTUP_BLOCK_BYTES - Startup.Strings;
/** Longest program name (the startup block's Name field). */
export const STARTUP_NAME_MAX = 200;

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

/**
 * spawn_image's parameter block: byte offsets of its 64-bit words (the address must be 8-aligned).
 * The strings are ArgCount NUL-terminated arguments followed by NUL-terminated KEY=VALUE
 * environment entries, as the child finds them in its startup block.
 */
export const enum SpawnImage {
  /** A memory object holding the image (needs Read). */
  Memory = 0,
  /** The image's length in bytes: 1 .. the object's size. */
  Length = 8,
  /** The program's name (pointer, length 1 .. STARTUP_NAME_MAX): shown by ps and in fault reports. */
  Name = 16,
  NameLength = 24,
  /** The number of arguments among the strings. */
  ArgCount = 32,
  /** The strings (pointer, length 0 .. STARTUP_STRINGS_MAX). */
  Strings = 40,
  StringsLength = 48,
  /** As spawn_caps's arguments: the handle array, count | flags * SPAWN_FLAGS_UNIT, the quota, */
  Handles = 56,
  Count = 64,
  Quota = 72,
  /** the exit notification (0: none), and where the Process capability's handle goes (0: nowhere). */
  ExitNotify = 80,
  ProcessOut = 88,
}

/** Bytes of spawn_image's parameter block. */
export const SPAWN_IMAGE_BLOCK_BYTES = 96;

/** spawn_caps's count argument is count + flags * SPAWN_FLAGS_UNIT. */
export const SPAWN_FLAGS_UNIT = 256;
/** Most capabilities a program can be started with. */
export const MAX_START_CAPS = 8;
/** Handle of the first capability a program is started with (then +1, +2, ...). */
export const FIRST_START_HANDLE = 4096;
