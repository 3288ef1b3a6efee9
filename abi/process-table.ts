// The process table's records (Method.ProcessRecord, docs/syscalls.md "Processes"): what a holder
// of a ProcessTable capability reads about each process, in the six answer words. The kernel and
// user programs both import this module, so it imports nothing.

/** Slots of the process table: ProcessRecord takes a slot in 0 .. PROCESS_SLOTS - 1. */
export const PROCESS_SLOTS = 32;

/** Bytes of the name a record carries (the boot module's, cut to this length). */
export const PROC_NAME_BYTES = 16;

/** The answer words of ProcessRecord. */
export const enum ProcWord {
  Pid = 0,
  /** ProcRunState + priority class (PriorityClass) × 2^4 + threads × 2^8 + capabilities × 2^24. */
  Counts = 1,
  /** Kernel memory charged to the process (bytes). */
  MemoryUsed = 2,
  /** Its kernel memory quota (bytes). */
  MemoryLimit = 3,
  /** Name bytes 0..7, byte i at bits 8i (NUL-padded). */
  Name0 = 4,
  /** Name bytes 8..15. */
  Name1 = 5,
}

/** What a process is doing. */
export const enum ProcRunState {
  /** Some thread runs or is ready to. */
  Running = 0,
  /** Every thread waits (IPC, a notification, a sleep, a child). */
  Blocked = 1,
  /** Ended; the parent has not collected its status yet. */
  Zombie = 2,
}

export function procRunStateName(s: number): string {
  switch (s) {
    case ProcRunState.Running: return "running";
    case ProcRunState.Blocked: return "blocked";
    case ProcRunState.Zombie: return "zombie";
    default: return "unknown";
  }
}

/** The Counts word of a record. */
export function procCountsWord(state: number, cls: number, threads: number, caps: number): number {
  return state + cls * 0x10 + threads * 0x100 + caps * 0x1000000;
}
export function procCountsState(w: number): number {
  return w % 0x10;
}
export function procCountsClass(w: number): number {
  return Math.floor(w / 0x10) % 0x10;
}
export function procCountsThreads(w: number): number {
  return Math.floor(w / 0x100) % 0x10000;
}
export function procCountsCaps(w: number): number {
  return Math.floor(w / 0x1000000) % 0x1000000;
}
