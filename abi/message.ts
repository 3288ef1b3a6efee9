// The IPC part of the ABI (docs/syscalls.md, "Capabilities and IPC"): the layout of a message in
// user memory, its flags, timeouts, wait-set readiness bits, kernel object methods and batch
// entries. The kernel and user programs both import this module, so it imports nothing.

/** Data words of a message: x86-64 system calls carry six argument registers. */
export const MSG_WORDS = 6;
/** Capabilities a message can carry. */
export const MSG_CAPS = 4;

/** Notification bits and badges travel as positive system-call values: below 2^48. */
export const BITS_LIMIT = 0x1000000000000;
/** Labels, handles and wait-set keys are below 2^31. */
export const LABEL_LIMIT = 0x80000000;

/** 64-bit words of a message in user memory. */
export const enum UMsg {
  Label = 0,
  CapCount = 1,
  Flags = 2,
  /** Out: badge of the capability the message was sent with. */
  Badge = 3,
  /** Out: handle of the one-shot reply capability of a call (0 otherwise). */
  ReplyHandle = 4,
  /** MSG_WORDS data words. */
  Words = 5,
  /** MSG_CAPS handles: to transfer (in), installed (out; 0 where a capability was revoked). */
  Handles = 11,
  COUNT = 15,
}

/** Bytes of a message in user memory. */
export const MSG_USER_BYTES = UMsg.COUNT * 8;

export const enum MsgFlag {
  /** Transfer copies of the capabilities (same rights) instead of moving them. */
  CopyCaps = 1,
}

/** Timeouts of send, receive, call and the waits: 0 polls, negative waits forever, else ns. */
export const enum Timeout {
  Poll = 0,
  Forever = -1,
}

/** Readiness bits a wait set reports (and watches, as a mask). */
export const enum Ready {
  /** Endpoint: a message is queued. */
  Readable = 1,
  /** Endpoint: the queue has room and a receiver exists. */
  Writable = 2,
  /** Endpoint: the other side has no capability left. */
  PeerClosed = 4,
  /** Notification: some bits are pending. */
  Signalled = 8,
}

/** Every readiness bit. */
export const READY_ALL = 15;

/** Methods of kernel objects: the label of an invocation. */
export const enum Method {
  /** Any capability: words[0] = (type << 8) | rights, words[1] = badge. */
  Identify = 1,
  /** Any capability (Duplicate): words[0] = rights; answer words[0] = new handle. */
  Copy = 2,
  /** Any unbadged capability (Duplicate): words[0] = rights, words[1] = badge; answer words[0]. */
  Mint = 3,
  /** Any capability: deletes it. */
  Delete = 4,
  /** Any capability: revokes everything derived from it. */
  Revoke = 5,
  /** Notification (Signal): words[0] = bits. */
  Signal = 16,
  /** Notification (Read): takes the pending bits into words[0] without waiting (QueueEmpty). */
  Poll = 17,
  /** Memory object: answer words[0] = pages. */
  MemorySize = 32,
  /** DMA memory object (Read): answer words[0] = physical address of its first page. */
  MemoryPhys = 33,
  /**
   * Device control (Manage): words[0] = line, words[1] = IrqMode; answer words[0] = handle of a
   * new IrqLine capability. The line is masked until it is bound and acknowledged.
   */
  IrqClaim = 48,
  /** Device control (Manage): words[0] = first port, words[1] = count; answer words[0] = IoPortRange handle. */
  IoPortClaim = 49,
  /**
   * Device control (Manage): words[0] = physical address (page-aligned), words[1] = pages,
   * words[2] = CacheMode; answer words[0] = handle of a memory object over that range.
   */
  DeviceMemoryClaim = 50,
  /** Device control (Manage): words[0] = pages; answer words[0] = handle of physically contiguous memory. */
  DmaCreate = 51,
  /** Device control (Manage): answer words[0] = handle of the Power capability (every right). */
  PowerCreate = 52,
  /**
   * Device control (Manage): the boot framebuffer; answer words = address, pitch, width, height,
   * format, colour fields (FbWord in abi/framebuffer.ts). NotFound when the loader set none up.
   */
  FramebufferInfo = 53,
  /** Device control (Manage): answer words[0] = handle of a new ProcessTable capability (every right). */
  ProcessTableCreate = 54,
  /** Device control (Manage): answer words[0] = handle of a new KernelLog capability (every right). */
  KernelLogCreate = 55,
  /** IRQ line (Manage): words[0] = notification handle (Signal), words[1] = bits; unmasks the line. */
  IrqBind = 64,
  /** IRQ line (Write): the driver handled the interrupt; unmasks the line. */
  IrqAck = 65,
  /** I/O port range (Write): the caller's threads may use `in`/`out` on the range from now on. */
  IoPortEnable = 80,
  /** I/O port range: answer words[0] = first port, words[1] = count. */
  IoPortInfo = 81,
  /** Timer (Manage): words[0] = notification handle (Signal), words[1] = bits. */
  TimerBind = 96,
  /**
   * Timer (Write): words[0] = deadline (nanoseconds of the monotonic clock), words[1] = period in
   * nanoseconds (0: once). Replaces any earlier setting.
   */
  TimerSet = 97,
  /** Timer (Write): disarms it. */
  TimerCancel = 98,
  /**
   * Thread (Manage): words[0] = notification handle (Signal), words[1] = bits; the notification
   * is signalled when the thread ends (at once if it has ended already).
   */
  ThreadBind = 112,
  /**
   * Thread (Read): answer words[0] = thread id (0 once ended), words[1] = 1 once it has ended
   * (else 0), words[2] = its exit status (once ended), words[3] = its priority class.
   */
  ThreadInfo = 113,
  /**
   * Thread (Manage): words[0] = priority class (PriorityClass: 0 driver, 1 server, 2 application,
   * 3 background), never more urgent than its process's class.
   */
  ThreadSetPriority = 114,
  /** Power (Write): turns the machine off (ACPI S5); returns only on failure, Unsupported. */
  PowerOff = 128,
  /** Power (Write): restarts the machine; does not return. */
  Reboot = 129,
  /**
   * Process table (Read): words[0] = slot (0 .. PROCESS_SLOTS - 1, abi/process-table.ts); answer
   * words = the record of the process in that slot (ProcWord). NotFound for an empty slot,
   * InvalidArgument for a slot out of range.
   */
  ProcessRecord = 144,
  /**
   * Process table (Manage): words[0] = pid, words[1] = status; kills that process as process_kill
   * does. NotFound for no such pid, ProcessExited for a zombie, InvalidArgument for the caller
   * itself (exit ends the caller).
   */
  ProcessKillPid = 145,
  /**
   * Kernel log (Read): words[0] = first sequence number wanted, words[1] = handle of a RAM memory
   * object (Write) to copy complete records into (abi/log.ts layout, LOG_RECORD_BYTES each, from
   * its start, as many as fit and exist); answer words[0] = records copied, words[1] = sequence
   * number of the first one copied (more than asked when older records were overwritten: the
   * difference is how many were lost), words[2] = the sequence number to ask for next.
   */
  LogRead = 160,
}

/** Priority classes of ThreadSetPriority, most urgent first. */
export const enum PriorityClass {
  Driver = 0,
  Server = 1,
  Application = 2,
  Background = 3,
}

/** How IrqClaim reads its line number. */
export const enum IrqMode {
  /** An ISA IRQ (0..15), routed through the firmware's source overrides (edge, active high by default). */
  Isa = 0,
  /** A global system interrupt, level-triggered and active low (PCI INTx). */
  GsiLevelLow = 1,
  /** A global system interrupt, edge-triggered and active high. */
  GsiEdgeHigh = 2,
}

/** Caching of a device memory claim's mappings. */
export const enum CacheMode {
  /** Uncached: MMIO registers. */
  Uncached = 0,
  /** Write-combining: framebuffers. */
  WriteCombining = 1,
}

/** Words per batch entry: the handle, then a message. */
export const BATCH_ENTRY_WORDS = 16;
export const BATCH_ENTRY_BYTES = BATCH_ENTRY_WORDS * 8;
/** Most entries in one batch. */
export const MAX_BATCH = 16;
