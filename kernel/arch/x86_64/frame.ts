// Layout of the interrupt frame built by the entry stubs in interrupts.S, as byte offsets from the
// frame address passed to `keel_interrupt(frame)`. The stub pushes an error code (0 when the CPU
// pushes none) and the vector number, then the general registers; the CPU pushed rip..ss first.
// 176 bytes in all, a multiple of 16, so the stack stays 16-byte aligned for the call.
export const enum Frame {
  R15 = 0,
  R14 = 8,
  R13 = 16,
  R12 = 24,
  R11 = 32,
  R10 = 40,
  R9 = 48,
  R8 = 56,
  RBP = 64,
  RDI = 72,
  RSI = 80,
  RDX = 88,
  RCX = 96,
  RBX = 104,
  RAX = 112,
  VECTOR = 120,
  ERROR = 128,
  RIP = 136,
  CS = 144,
  RFLAGS = 152,
  RSP = 160,
  SS = 168,
  SIZE = 176,
}

// A thread switched out by keel_context_switch leaves, from its saved rsp upward:
// r15, r14, r13, r12, rbp, rbx, return address. A new thread's stack is prepared the same way with
// the return address set to keel_thread_trampoline, which calls `keel_thread_start()` (exported by
// the scheduler) and never returns.
export const enum SwitchFrame {
  R15 = 0,
  R14 = 8,
  R13 = 16,
  R12 = 24,
  RBP = 32,
  RBX = 40,
  RET = 48,
  SIZE = 56,
}
