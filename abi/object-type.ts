// Kernel object types, as cap_identify reports them ((type << 8) | rights). Part of the ABI: user
// programs import this module, so it imports nothing. Never renumber, only append.

export const enum ObjectType {
  /** Matches any type in a lookup. */
  Any = 0,
  Process = 1,
  Thread = 2,
  AddressSpace = 3,
  MemoryObject = 4,
  Endpoint = 5,
  Notification = 6,
  WaitSet = 7,
  Reply = 8,
  IrqLine = 9,
  IoPortRange = 10,
  Snapshot = 11,
  CapTable = 12,
  /** The machine's devices: interrupt lines, I/O ports, device and DMA memory are claimed here. */
  DeviceControl = 13,
  /** Signals a notification at a deadline, once or periodically. */
  Timer = 14,
  /** The right to turn the machine off or restart it. */
  Power = 15,
  /** Every process's record (pid, name, state, threads, memory, capabilities) and kill by pid. */
  ProcessTable = 16,
  /** The kernel's log ring: every line written to the kernel console, with time, source and level. */
  KernelLog = 17,
}

export const OBJECT_TYPE_COUNT = 18;
