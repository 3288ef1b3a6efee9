// System call numbers: rax on entry. Part of the ABI (docs/syscalls.md): never renumber, only
// append. Process calls are below 32, capability and IPC calls from 32 up.
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
  // Capabilities and IPC (kernel/syscall/entry.ts routes every number; docs/syscalls.md).
  /** cap_identify(h): (object type << 8) | rights. */
  CapIdentify = 32,
  /** cap_copy(h, rights): a new handle, rights ⊆ h's. */
  CapCopy = 33,
  /** cap_mint(h, rights, badge): a badged child of an unbadged capability. */
  CapMint = 34,
  /** cap_delete(h). */
  CapDelete = 35,
  /** cap_revoke(h): deletes every capability derived from h, wherever it is. */
  CapRevoke = 36,
  /** endpoint_create(capacity). */
  EndpointCreate = 37,
  /** send(ep, msg, timeout). */
  Send = 38,
  /** receive(ep, msg, timeout). */
  Receive = 39,
  /** call(ep, msg, timeout): the reply replaces msg. */
  Call = 40,
  /** reply(replyHandle, msg). */
  Reply = 41,
  /** notification_create(). */
  NotificationCreate = 42,
  /** signal(n, bits). */
  Signal = 43,
  /** notification_wait(n, timeout): the bits. */
  NotificationWait = 44,
  /** notification_bind(ep, n, bits). */
  NotificationBind = 45,
  /** wait_set_create(capacity). */
  WaitSetCreate = 46,
  /** wait_set_add(ws, source, key, mask). */
  WaitSetAdd = 47,
  /** wait_set_remove(ws, key). */
  WaitSetRemove = 48,
  /** wait_set_wait(ws, timeout, out, max): (key, readiness) pairs at out; their number. */
  WaitSetWait = 49,
  /** memory_create(pages). */
  MemoryCreate = 50,
  /** memory_map(mem, addr, rights). */
  MemoryMap = 51,
  /** memory_unmap(addr). */
  MemoryUnmap = 52,
  /** invoke(h, msg): a kernel object's method, or a call when h is an endpoint. */
  Invoke = 53,
  /** batch(entries, count): invocations in order up to the first failure; how many succeeded. */
  Batch = 54,
  /** spawn_caps(module, handles, count | flags << 8, quota, exitNotify): a child with capabilities. */
  SpawnCaps = 55,
  /** cap_badge(h): the badge of h. */
  CapBadge = 56,
  /** kernel_objects(): live kernel objects, capabilities and queued-message slots (leak checks). */
  KernelObjects = 57,
  /** account_info(which): 0 the caller's quota, 1 what it uses. */
  AccountInfo = 58,
  /** process_kill(p, status): ends the process p names (Manage); its parent's wait sees Killed. */
  ProcessKill = 59,
  /** call_regs(ep, label, w0..w5 in rdx r10 r8 r9 r12 r13, timeout in r14): the reply in registers. */
  CallRegs = 60,
  /** reply_wait(ep, label, w0..w5, timeout): answers the reply slot, then receives into registers. */
  ReplyWait = 61,
  /** timer_create(): a Timer object (every right), unarmed and unbound. */
  TimerCreate = 62,
  /**
   * thread_create(entry, stack, arg, tid_out): a new thread of the caller's process at `entry`
   * with rsp = stack, rdi = arg; returns a Thread capability (every right), its id at tid_out.
   */
  ThreadCreate = 63,
  /** thread_exit(status): ends the calling thread (its process with it when it is the last). */
  ThreadExit = 64,
  /**
   * module_read(index, offset, buf, len): copies bytes of boot module `index` from `offset`;
   * returns the module's size. Needs the right to start modules.
   */
  ModuleRead = 65,
  /**
   * spawn_image(params): a child from an ELF image in a memory object, with arguments, environment
   * and capabilities, all described by the parameter block at `params` (SpawnImage in abi/process.ts).
   */
  SpawnImage = 66,
}

/** One more than the highest number in use. */
export const SYSCALL_COUNT = 67;
