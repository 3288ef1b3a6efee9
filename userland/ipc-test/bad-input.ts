// Bad input for every capability and IPC system call: invalid and stale handles, objects of the
// wrong type, missing rights, bad pointers, out-of-range lengths and arguments. Each call must
// return exactly the documented error (docs/syscalls.md) and change nothing.
import { malloc } from "../lib/heap.ts";
import {
  BATCH_ENTRY_BYTES, batch, call, callRegs, ErrorCode, capBadge, capCopy, capDelete, capIdentify, capMint, capRevoke, capType,
  endpointCreate, invoke, loadWord, memoryCreate, memoryMap, memoryUnmap, Method, msgAlloc, msgSet, msgSetCap,
  msgSetCapCount, msgSetFlags, msgSetLabel, msgSetWord, msgWord, notificationBind, notificationCreate, notificationWait, ObjectType,
  processKill, receive, reply, replyWait, Right, RIGHTS_ALL, send, signal, spawnCaps, storeWord, Timeout, waitSetAdd, waitSetCreate,
  waitSetRemove, waitSetWait,
} from "../lib/ipc.ts";
import { mapMemory, syscall, wait } from "../lib/sys.ts";
import { timerCreate } from "../lib/device.ts";
import { threadBind, threadCreate, threadEntryAddress, threadInfo, threadSetPriority } from "../lib/thread.ts";
import { Sys } from "../../abi/numbers.ts";

export class BadInputResult {
  tried = 0;
  matched = 0;
}

const RO_PAGE = 0x61000000;
const FREE_PAGE = 0x62000000;

function expect(r: BadInputResult, what: string, got: number, want: number): void {
  r.tried++;
  if (got === want) {
    r.matched++;
  } else {
    console.log(`IPC BADINPUT mismatch ${what}: got ${got}, want ${want}`);
  }
}

class Objects {
  ep = 0;
  n = 0;
  ws = 0;
  mem = 0;
  m = 0;
  buf = 0;
}

/** Every call taking a handle, with handle `h` in the handle position; all must give `want`. */
function eachHandleCall(r: BadInputResult, o: Objects, h: number, want: number, label: string): void {
  msgSet(o.m, Method.Identify, 0, 0);
  expect(r, `${label} cap_identify`, capIdentify(h), want);
  expect(r, `${label} cap_copy`, capCopy(h, Right.Read), want);
  expect(r, `${label} cap_mint`, capMint(h, Right.Read, 5), want);
  expect(r, `${label} cap_badge`, capBadge(h), want);
  expect(r, `${label} send`, send(h, o.m, Timeout.Poll), want);
  expect(r, `${label} receive`, receive(h, o.m, Timeout.Poll), want);
  expect(r, `${label} call`, call(h, o.m, Timeout.Poll), want);
  expect(r, `${label} call_regs`, callRegs(h, o.m, Timeout.Poll), want);
  msgSet(o.m, Method.Identify, 0, 0);
  expect(r, `${label} reply_wait`, replyWait(h, o.m, Timeout.Poll), want);
  expect(r, `${label} reply`, reply(h, o.m), want);
  expect(r, `${label} signal`, signal(h, 1), want);
  expect(r, `${label} wait`, notificationWait(h, Timeout.Poll), want);
  expect(r, `${label} bind source`, notificationBind(h, o.n, 1), want);
  expect(r, `${label} bind notification`, notificationBind(o.ep, h, 1), want);
  expect(r, `${label} wait-set add (set)`, waitSetAdd(h, o.n, 1, 0), want);
  expect(r, `${label} wait-set add (source)`, waitSetAdd(o.ws, h, 1, 0), want);
  expect(r, `${label} wait-set remove`, waitSetRemove(h, 1), want);
  expect(r, `${label} wait-set wait`, waitSetWait(h, Timeout.Poll, o.buf, 4), want);
  expect(r, `${label} memory map`, memoryMap(h, FREE_PAGE, Right.Read), want);
  msgSet(o.m, Method.Identify, 0, 0);
  expect(r, `${label} invoke`, invoke(h, o.m), want);
  expect(r, `${label} process_kill`, processKill(h, 1), want);
  expect(r, `${label} cap_revoke`, capRevoke(h), want);
  expect(r, `${label} cap_delete`, capDelete(h), want);
}

/** Calls reading a message or buffer at `p`; `writes` adds those that write there. */
function eachPointerCall(r: BadInputResult, o: Objects, p: number, self: number, label: string): void {
  expect(r, `${label} send`, send(o.ep, p, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, `${label} receive`, receive(o.ep, p, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, `${label} call`, call(o.ep, p, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, `${label} reply`, reply(o.ep, p), -ErrorCode.BadAddress);
  expect(r, `${label} invoke`, invoke(o.n, p), -ErrorCode.BadAddress);
  expect(r, `${label} batch`, batch(p, 1), -ErrorCode.BadAddress);
  expect(r, `${label} wait-set wait`, waitSetWait(o.ws, Timeout.Poll, p, 4), -ErrorCode.BadAddress);
  expect(r, `${label} spawn_caps`, spawnCaps(self, p, 1, 65536, 0, 0), -ErrorCode.BadAddress);
  // 0 there means "no Process capability".
  if (p !== 0) expect(r, `${label} spawn_caps process capability`, spawnCaps(self, o.buf, 0, 65536, 0, p), -ErrorCode.BadAddress);
}

/** A device or timer method `label` with three argument words on `h`: the status. */
function deviceCall(o: Objects, h: number, label: number, w0: number, w1: number, w2: number): number {
  msgSet(o.m, label, w0, w1);
  msgSetWord(o.m, 2, w2);
  return invoke(h, o.m);
}

/**
 * Device and timer methods from a process that holds no device capability: every device method
 * on every other kernel object type is WrongType, on a bad handle InvalidHandle; timers refuse bad settings and
 * missing rights. (docs/syscalls.md, "Devices and timers")
 */
function deviceBadCalls(r: BadInputResult, o: Objects, memRead: number): void {
  const labels = [
    Method.IrqClaim, Method.IoPortClaim, Method.DeviceMemoryClaim, Method.DmaCreate, Method.IrqBind, Method.IrqAck,
    Method.IoPortEnable, Method.IoPortInfo, Method.TimerBind, Method.TimerSet, Method.TimerCancel,
    Method.PowerCreate, Method.PowerOff, Method.Reboot, Method.ProcessTableCreate, Method.ProcessRecord, Method.ProcessKillPid,
  ];
  const timer = timerCreate();
  expect(r, "timer_create", capType(timer), ObjectType.Timer);
  // Not the endpoint: an invocation on an endpoint is a call to its receiver, whatever the label.
  const others = [o.n, o.ws, o.mem];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    for (let j = 0; j < others.length; j++) expect(r, `device method ${l} on type ${capType(others[j]!)}`, deviceCall(o, others[j]!, l, 1, 1, 0), -ErrorCode.WrongType);
    expect(r, `device method ${l} on a bad handle`, deviceCall(o, 300, l, 1, 1, 0), -ErrorCode.InvalidHandle);
    if (l < Method.TimerBind || l > Method.TimerCancel) expect(r, `device method ${l} on a timer`, deviceCall(o, timer, l, 1, 1, 0), -ErrorCode.WrongType);
  }
  expect(r, "memory-phys of plain memory", deviceCall(o, o.mem, Method.MemoryPhys, 0, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "memory-phys through a read-only copy of plain memory", deviceCall(o, memRead, Method.MemoryPhys, 0, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "memory-phys of a timer", deviceCall(o, timer, Method.MemoryPhys, 0, 0, 0), -ErrorCode.WrongType);
  expect(r, "timer bind with no bits", deviceCall(o, timer, Method.TimerBind, o.n, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "timer bind with bits past 2^48", deviceCall(o, timer, Method.TimerBind, o.n, 2 ** 48, 0), -ErrorCode.InvalidArgument);
  expect(r, "timer bind to an endpoint", deviceCall(o, timer, Method.TimerBind, o.ep, 1, 0), -ErrorCode.WrongType);
  expect(r, "timer bind to a bad handle", deviceCall(o, timer, Method.TimerBind, 300, 1, 0), -ErrorCode.InvalidHandle);
  const nWait = capCopy(o.n, Right.Read);
  expect(r, "timer bind to a notification without Signal", deviceCall(o, timer, Method.TimerBind, nWait, 1, 0), -ErrorCode.MissingRights);
  expect(r, "timer set with a negative deadline", deviceCall(o, timer, Method.TimerSet, -5, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "timer set with a negative period", deviceCall(o, timer, Method.TimerSet, 1, -1, 0), -ErrorCode.InvalidArgument);
  expect(r, "timer set with a period under 100 us", deviceCall(o, timer, Method.TimerSet, 1, 99999, 0), -ErrorCode.InvalidArgument);
  expect(r, "timer method that does not exist", deviceCall(o, timer, 99, 0, 0, 0), -ErrorCode.InvalidArgument);
  const timerRead = capCopy(timer, Right.Read);
  expect(r, "timer set without Write", deviceCall(o, timerRead, Method.TimerSet, 1, 0, 0), -ErrorCode.MissingRights);
  expect(r, "timer cancel without Write", deviceCall(o, timerRead, Method.TimerCancel, 0, 0, 0), -ErrorCode.MissingRights);
  expect(r, "timer bind without Manage", deviceCall(o, timerRead, Method.TimerBind, o.n, 1, 0), -ErrorCode.MissingRights);
  expect(r, "signal a timer", signal(timer, 1), -ErrorCode.WrongType);
  expect(r, "wait on a timer", notificationWait(timer, Timeout.Poll), -ErrorCode.WrongType);
  expect(r, "map a timer", memoryMap(timer, FREE_PAGE, Right.Read), -ErrorCode.WrongType);
  capDelete(timerRead);
  capDelete(nWait);
  capDelete(timer);
}

const KERNEL_ADDR = -0x80000000;
const UNMAPPED_ADDR = 0x63000000;

/**
 * thread_create with bad entries, stacks and id pointers, and the Thread methods with bad handles,
 * types, rights and arguments (docs/syscalls.md, "Threads"). None of them makes a thread.
 */
function threadBadCalls(r: BadInputResult, o: Objects): void {
  const stack = o.buf + 4096;
  const code = codeAddress();
  const objects = syscall(Sys.KernelObjects, 0, 0, 0, 0, 0, 0);
  expect(r, "thread entry 0", threadCreate(0, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry in the kernel", threadCreate(KERNEL_ADDR, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry unmapped", threadCreate(UNMAPPED_ADDR, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry in data (no-execute)", threadCreate(o.buf, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry in a read-only page", threadCreate(RO_PAGE, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry -1", threadCreate(-1, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread entry past the user half", threadCreate(0x800000000000, stack, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread stack misaligned", threadCreate(code, stack + 4, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "thread stack in the kernel", threadCreate(code, KERNEL_ADDR + 0x1000, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread stack unmapped", threadCreate(code, UNMAPPED_ADDR + 0x1000, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread stack read-only", threadCreate(code, RO_PAGE + 0x1000, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread stack 0", threadCreate(code, 0, 0, 0), -ErrorCode.BadAddress);
  expect(r, "thread id pointer in the kernel", threadCreate(code, stack, 0, KERNEL_ADDR), -ErrorCode.BadAddress);
  expect(r, "thread id pointer misaligned", threadCreate(code, stack, 0, o.buf + 4), -ErrorCode.BadAddress);
  expect(r, "thread id pointer read-only", threadCreate(code, stack, 0, RO_PAGE), -ErrorCode.BadAddress);
  expect(r, "thread id pointer unmapped", threadCreate(code, stack, 0, UNMAPPED_ADDR), -ErrorCode.BadAddress);
  expect(r, "no thread made by the bad calls", syscall(Sys.KernelObjects, 0, 0, 0, 0, 0, 0), objects);
  expect(r, "thread info of a bad handle", threadInfo(300, 0), -ErrorCode.InvalidHandle);
  expect(r, "thread info of a notification", threadInfo(o.n, 0), -ErrorCode.WrongType);
  expect(r, "thread info of a wait set", threadInfo(o.ws, 0), -ErrorCode.WrongType);
  expect(r, "thread info of a memory object", threadInfo(o.mem, 0), -ErrorCode.WrongType);
  expect(r, "thread priority of a notification", threadSetPriority(o.n, 2), -ErrorCode.WrongType);
  expect(r, "thread bind of a memory object", threadBind(o.mem, o.n, 1), -ErrorCode.WrongType);
  expect(r, "thread bind of a stale handle", threadBind(o.n + 4096, o.n, 1), -ErrorCode.StaleHandle);
}

/** An address in this program's code: where threads start. */
function codeAddress(): number {
  return threadEntryAddress();
}

export function runBadInput(self: number): BadInputResult {
  const r = new BadInputResult();
  const o = new Objects();
  o.ep = endpointCreate(2);
  o.n = notificationCreate();
  o.ws = waitSetCreate(4);
  o.mem = memoryCreate(1);
  o.m = msgAlloc();
  o.buf = malloc(BATCH_ENTRY_BYTES * 2);

  // Invalid handles: zero, negative, beyond the table, beyond the generation range, deleted.
  const deleted = capCopy(o.n, Right.Read);
  capDelete(deleted);
  const invalid = [0, -1, -4096, 300, 0x10000000000, deleted];
  for (let i = 0; i < invalid.length; i++) eachHandleCall(r, o, invalid[i]!, -ErrorCode.InvalidHandle, `invalid handle ${invalid[i]!}`);

  // Stale: the right slot with another generation.
  expect(r, "stale identify", capIdentify(o.n + 4096), -ErrorCode.StaleHandle);
  expect(r, "stale signal", signal(o.n + 4096, 1), -ErrorCode.StaleHandle);
  msgSet(o.m, 1, 0, 0);
  expect(r, "stale send", send(o.ep + 4096, o.m, Timeout.Poll), -ErrorCode.StaleHandle);
  expect(r, "stale call_regs", callRegs(o.ep + 4096, o.m, Timeout.Poll), -ErrorCode.StaleHandle);
  expect(r, "stale reply_wait", replyWait(o.ep + 4096, o.m, Timeout.Poll), -ErrorCode.StaleHandle);
  expect(r, "stale delete", capDelete(o.ws + 4096), -ErrorCode.StaleHandle);

  // Revoked: a grandchild of a revoked capability.
  const parent = capCopy(o.n, RIGHTS_ALL);
  const child = capCopy(parent, RIGHTS_ALL);
  capRevoke(parent);
  expect(r, "revoked identify", capIdentify(child), -ErrorCode.Revoked);
  expect(r, "revoked signal", signal(child, 1), -ErrorCode.Revoked);
  expect(r, "revoked delete", capDelete(child), -ErrorCode.Revoked);
  capDelete(parent);

  // Wrong types.
  msgSet(o.m, 1, 0, 0);
  expect(r, "send on a notification", send(o.n, o.m, Timeout.Poll), -ErrorCode.WrongType);
  expect(r, "receive on a notification", receive(o.n, o.m, Timeout.Poll), -ErrorCode.WrongType);
  expect(r, "call on a notification", call(o.n, o.m, Timeout.Poll), -ErrorCode.WrongType);
  msgSet(o.m, 1, 0, 0);
  expect(r, "call_regs on a notification", callRegs(o.n, o.m, Timeout.Poll), -ErrorCode.WrongType);
  msgSet(o.m, 1, 0, 0);
  expect(r, "reply_wait on a notification", replyWait(o.n, o.m, Timeout.Poll), -ErrorCode.WrongType);
  msgSet(o.m, 1, 0, 0);
  expect(r, "call_regs on a wait set", callRegs(o.ws, o.m, Timeout.Poll), -ErrorCode.WrongType);
  msgSet(o.m, 1, 0, 0);
  expect(r, "reply_wait on a memory object", replyWait(o.mem, o.m, Timeout.Poll), -ErrorCode.WrongType);
  expect(r, "reply through an endpoint", reply(o.ep, o.m), -ErrorCode.WrongType);
  expect(r, "signal an endpoint", signal(o.ep, 1), -ErrorCode.WrongType);
  expect(r, "wait on an endpoint", notificationWait(o.ep, Timeout.Poll), -ErrorCode.WrongType);
  expect(r, "bind a notification as source", notificationBind(o.n, o.n, 1), -ErrorCode.WrongType);
  expect(r, "bind to an endpoint", notificationBind(o.ep, o.ep, 1), -ErrorCode.WrongType);
  expect(r, "wait-set add to a notification", waitSetAdd(o.n, o.ep, 1, 0), -ErrorCode.WrongType);
  expect(r, "wait-set add a wait set", waitSetAdd(o.ws, o.ws, 1, 0), -ErrorCode.WrongType);
  expect(r, "wait-set add a memory object", waitSetAdd(o.ws, o.mem, 2, 0), -ErrorCode.WrongType);
  expect(r, "wait-set remove on an endpoint", waitSetRemove(o.ep, 1), -ErrorCode.WrongType);
  expect(r, "wait-set wait on a notification", waitSetWait(o.n, Timeout.Poll, o.buf, 4), -ErrorCode.WrongType);
  expect(r, "map a notification", memoryMap(o.n, FREE_PAGE, Right.Read), -ErrorCode.WrongType);
  msgSet(o.m, Method.MemorySize, 0, 0);
  expect(r, "invoke memory-size on a wait set", invoke(o.ws, o.m), -ErrorCode.WrongType);
  msgSet(o.m, Method.MemorySize, 0, 0);
  expect(r, "invoke memory-size on a notification", invoke(o.n, o.m), -ErrorCode.WrongType);
  msgSet(o.m, Method.Signal, 1, 0);
  expect(r, "invoke signal on memory", invoke(o.mem, o.m), -ErrorCode.WrongType);
  msgSet(o.m, Method.Poll, 0, 0);
  expect(r, "invoke poll on a wait set", invoke(o.ws, o.m), -ErrorCode.WrongType);

  // Missing rights.
  const epRead = capCopy(o.ep, Right.Read);
  const epWrite = capCopy(o.ep, Right.Write);
  const nRead = capCopy(o.n, Right.Read);
  const nSig = capCopy(o.n, Right.Signal);
  const wsRead = capCopy(o.ws, Right.Read);
  const memRead = capCopy(o.mem, Right.Read | Right.Map);
  const memNoMap = capCopy(o.mem, Right.Read | Right.Write);
  msgSet(o.m, 1, 0, 0);
  expect(r, "send without Write", send(epRead, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  expect(r, "call without Write", call(epRead, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  expect(r, "receive without Read", receive(epWrite, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  msgSet(o.m, 1, 0, 0);
  expect(r, "call_regs without Write", callRegs(epRead, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  msgSet(o.m, 1, 0, 0);
  expect(r, "reply_wait without Read", replyWait(epWrite, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  expect(r, "copy without Duplicate", capCopy(epRead, Right.Read), -ErrorCode.MissingRights);
  expect(r, "mint without Duplicate", capMint(epRead, Right.Read, 1), -ErrorCode.MissingRights);
  expect(r, "wait without Read", notificationWait(nSig, Timeout.Poll), -ErrorCode.MissingRights);
  expect(r, "signal without Signal", signal(nRead, 1), -ErrorCode.MissingRights);
  expect(r, "bind without Manage", notificationBind(epRead, o.n, 1), -ErrorCode.MissingRights);
  expect(r, "wait-set add of a source without Read", waitSetAdd(o.ws, nSig, 7, 0), -ErrorCode.MissingRights);
  expect(r, "wait-set add without Manage", waitSetAdd(wsRead, o.n, 8, 0), -ErrorCode.MissingRights);
  expect(r, "wait-set remove without Manage", waitSetRemove(wsRead, 1), -ErrorCode.MissingRights);
  expect(r, "map writable without Write", memoryMap(memRead, FREE_PAGE, Right.Read | Right.Write), -ErrorCode.MissingRights);
  expect(r, "map without Map", memoryMap(memNoMap, FREE_PAGE, Right.Read), -ErrorCode.MissingRights);
  msgSet(o.m, Method.Signal, 1, 0);
  expect(r, "invoke signal without Signal", invoke(nRead, o.m), -ErrorCode.MissingRights);
  msgSet(o.m, Method.Poll, 0, 0);
  expect(r, "invoke poll without Read", invoke(nSig, o.m), -ErrorCode.MissingRights);
  msgSet(o.m, 1, 0, 0);
  msgSetCap(o.m, 0, nRead);
  expect(r, "transfer without Grant", send(o.ep, o.m, Timeout.Poll), -ErrorCode.MissingRights);
  storeWord(o.buf, nRead);
  expect(r, "spawn with a capability without Grant", spawnCaps(self, o.buf, 1, 65536, 0, 0), -ErrorCode.MissingRights);
  expect(r, "spawn with an exit notification without Signal", spawnCaps(self, o.buf, 0, 65536, nRead, 0), -ErrorCode.MissingRights);

  // Rights never grow.
  const nDup = capCopy(o.n, Right.Signal | Right.Duplicate);
  expect(r, "copy with more rights", capCopy(nDup, RIGHTS_ALL), -ErrorCode.RightsEscalation);
  expect(r, "copy adding Read", capCopy(nDup, Right.Read), -ErrorCode.RightsEscalation);
  expect(r, "mint with more rights", capMint(nDup, Right.Read, 3), -ErrorCode.RightsEscalation);
  const badged = capMint(o.n, RIGHTS_ALL, 9);
  expect(r, "mint from a badged capability", capMint(badged, Right.Read, 3), -ErrorCode.AlreadyBadged);

  // Bad pointers: null page, kernel half, unmapped, past the user half, misaligned; for the calls
  // that write, a read-only page too.
  memoryMap(o.mem, RO_PAGE, Right.Read);
  const bad = [0, 8, 0xff8, -0x80000000, 0x7000000000, 0x800000000000, o.m + 1];
  for (let i = 0; i < bad.length; i++) eachPointerCall(r, o, bad[i]!, self, `pointer 0x${bad[i]!.toString(16)}`);
  expect(r, "receive into a read-only page", receive(o.ep, RO_PAGE, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, "call into a read-only page", call(o.ep, RO_PAGE, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, "invoke into a read-only page", invoke(o.n, RO_PAGE), -ErrorCode.BadAddress);
  expect(r, "batch in a read-only page", batch(RO_PAGE, 1), -ErrorCode.BadAddress);
  expect(r, "process capability into a read-only page", spawnCaps(self, o.buf, 0, 65536, 0, RO_PAGE), -ErrorCode.BadAddress);
  expect(r, "wait-set results into a read-only page", waitSetWait(o.ws, Timeout.Poll, RO_PAGE, 4), -ErrorCode.BadAddress);
  expect(r, "message running off the mapped page", send(o.ep, RO_PAGE + 4096 - 64, Timeout.Poll), -ErrorCode.BadAddress);
  expect(r, "map over a mapped range", memoryMap(o.mem, RO_PAGE, Right.Read), -ErrorCode.InvalidArgument);
  expect(r, "anonymous map over a mapped range", mapMemory(RO_PAGE, 4096, 0), -ErrorCode.InvalidArgument);
  memoryUnmap(RO_PAGE);

  // Out-of-range lengths and arguments.
  expect(r, "endpoint capacity 0", endpointCreate(0), -ErrorCode.InvalidArgument);
  expect(r, "endpoint capacity 257", endpointCreate(257), -ErrorCode.InvalidArgument);
  expect(r, "endpoint capacity -1", endpointCreate(-1), -ErrorCode.InvalidArgument);
  expect(r, "wait set capacity 0", waitSetCreate(0), -ErrorCode.InvalidArgument);
  expect(r, "wait set capacity 65", waitSetCreate(65), -ErrorCode.InvalidArgument);
  expect(r, "memory of 0 pages", memoryCreate(0), -ErrorCode.InvalidArgument);
  expect(r, "memory of 257 pages", memoryCreate(257), -ErrorCode.InvalidArgument);
  expect(r, "memory of -5 pages", memoryCreate(-5), -ErrorCode.InvalidArgument);
  expect(r, "batch of 0", batch(o.buf, 0), -ErrorCode.InvalidArgument);
  expect(r, "batch of 17", batch(o.buf, 17), -ErrorCode.InvalidArgument);
  expect(r, "wait-set results max 0", waitSetWait(o.ws, Timeout.Poll, o.buf, 0), -ErrorCode.InvalidArgument);
  expect(r, "wait-set results max 65", waitSetWait(o.ws, Timeout.Poll, o.buf, 65), -ErrorCode.InvalidArgument);
  expect(r, "spawn with 9 capabilities", spawnCaps(self, o.buf, 9, 65536, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "spawn with quota 0", spawnCaps(self, o.buf, 0, 0, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "spawn with a quota above the caller's", spawnCaps(self, o.buf, 0, 0x40000000, 0, 0), -ErrorCode.InvalidArgument);
  expect(r, "signal 0 bits", signal(o.n, 0), -ErrorCode.InvalidArgument);
  expect(r, "signal bit 48", signal(o.n, 0x1000000000000), -ErrorCode.InvalidArgument);
  expect(r, "bind 0 bits", notificationBind(o.ep, o.n, 0), -ErrorCode.InvalidArgument);
  expect(r, "mint badge 0", capMint(o.n, Right.Read, 0), -ErrorCode.InvalidArgument);
  expect(r, "mint undefined rights", capMint(o.n, 256, 1), -ErrorCode.InvalidArgument);
  expect(r, "copy undefined rights", capCopy(o.n, 256), -ErrorCode.InvalidArgument);
  expect(r, "copy negative rights", capCopy(o.n, -1), -ErrorCode.InvalidArgument);
  // Rights, flags, keys and masks are checked over the whole 64-bit word, not its low 32 bits.
  expect(r, "copy rights 2^32", capCopy(o.n, 0x100000000), -ErrorCode.InvalidArgument);
  expect(r, "copy rights 2^33 | Read", capCopy(o.n, 0x200000001), -ErrorCode.InvalidArgument);
  expect(r, "mint rights 2^32 | Read", capMint(o.n, 0x100000001, 1), -ErrorCode.InvalidArgument);
  expect(r, "map rights 2^32 | Read", memoryMap(o.mem, FREE_PAGE, 0x100000001), -ErrorCode.InvalidArgument);
  expect(r, "anonymous map flags 2^32", mapMemory(FREE_PAGE, 4096, 0x100000000), -ErrorCode.InvalidArgument);
  expect(r, "anonymous map flags 2^33 | writable", mapMemory(FREE_PAGE, 4096, 0x200000001), -ErrorCode.InvalidArgument);
  expect(r, "wait-set key 2^32 | 1", waitSetAdd(o.ws, o.n, 0x100000001, 0), -ErrorCode.InvalidArgument);
  expect(r, "wait-set mask 2^32 | 1", waitSetAdd(o.ws, o.n, 1, 0x100000001), -ErrorCode.InvalidArgument);
  expect(r, "spawn with flags 2^32", spawnCaps(self, o.buf, 0x10000000000, 65536, 0, 0), -ErrorCode.InvalidArgument);
  msgSet(o.m, 1, 0, 0);
  msgSetCapCount(o.m, 5);
  expect(r, "message with 5 capabilities", send(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  msgSet(o.m, 1, 0, 0);
  msgSetLabel(o.m, -1);
  expect(r, "message with a negative label", send(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  // Register messages: the label register must be below 2^31 too (negative is a huge word).
  const badLabels = [0x80000000, 0x100000000, -1];
  for (let i = 0; i < badLabels.length; i++) {
    msgSet(o.m, 1, 0, 0);
    msgSetLabel(o.m, badLabels[i]!);
    expect(r, `call_regs with label ${badLabels[i]!}`, callRegs(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
    msgSet(o.m, 1, 0, 0);
    msgSetLabel(o.m, badLabels[i]!);
    expect(r, `reply_wait with label ${badLabels[i]!}`, replyWait(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  }
  msgSet(o.m, 1, 0, 0);
  expect(r, "reply_wait polling an empty queue", replyWait(o.ep, o.m, Timeout.Poll), -ErrorCode.QueueEmpty);
  msgSet(o.m, 1, 0, 0);
  msgSetFlags(o.m, 2);
  expect(r, "message with unknown flags", send(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  msgSet(o.m, 1, 0, 0);
  msgSetCap(o.m, 0, o.ep);
  expect(r, "endpoint sent on itself", send(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  msgSet(o.m, 1, 0, 0);
  msgSetCap(o.m, 0, o.n);
  msgSetCap(o.m, 1, o.n);
  expect(r, "one capability twice in a message", send(o.ep, o.m, Timeout.Poll), -ErrorCode.InvalidArgument);
  expect(r, "map at an unaligned address", memoryMap(o.mem, FREE_PAGE + 1, Right.Read), -ErrorCode.InvalidArgument);
  expect(r, "map at the null page", memoryMap(o.mem, 0, Right.Read), -ErrorCode.InvalidArgument);
  expect(r, "map without Read", memoryMap(o.mem, FREE_PAGE, Right.Write), -ErrorCode.InvalidArgument);
  expect(r, "map writable and executable", memoryMap(o.mem, FREE_PAGE, Right.Read | Right.Write | Right.Execute), -ErrorCode.InvalidArgument);
  expect(r, "map past the user half", memoryMap(o.mem, 0x7ffffffff000, Right.Read), -ErrorCode.InvalidArgument);
  expect(r, "wait-set key -1", waitSetAdd(o.ws, o.n, -1, 0), -ErrorCode.InvalidArgument);
  expect(r, "wait-set mask 16", waitSetAdd(o.ws, o.n, 1, 16), -ErrorCode.InvalidArgument);
  msgSet(o.m, 999, 0, 0);
  expect(r, "invoke an unknown method", invoke(o.n, o.m), -ErrorCode.InvalidArgument);
  expect(r, "system call 99", syscall(99, 0, 0, 0, 0, 0, 0), -ErrorCode.UnknownSyscall);
  expect(r, "system call -1", syscall(-1, 0, 0, 0, 0, 0, 0), -ErrorCode.UnknownSyscall);

  // process_kill: a Process capability of a child that has ended (it has nothing to do and exits).
  const pid = spawnCaps(self, o.buf, 0, 65536, 0, o.buf + 8);
  const proc = loadWord(o.buf + 8);
  expect(r, "child started with a process capability", pid > 0 && capType(proc) === ObjectType.Process ? 1 : 0, 1);
  wait(pid, 0);
  const procNoManage = capCopy(proc, RIGHTS_ALL & ~Right.Manage);
  const procParent = capCopy(proc, RIGHTS_ALL);
  const procChild = capCopy(procParent, RIGHTS_ALL);
  capRevoke(procParent);
  expect(r, "kill an ended process", processKill(proc, 1), -ErrorCode.ProcessExited);
  expect(r, "kill without Manage", processKill(procNoManage, 1), -ErrorCode.MissingRights);
  expect(r, "kill through a revoked capability", processKill(procChild, 1), -ErrorCode.Revoked);
  expect(r, "kill through a stale handle", processKill(proc + 4096, 1), -ErrorCode.StaleHandle);
  expect(r, "kill a notification", processKill(o.n, 1), -ErrorCode.WrongType);
  expect(r, "kill an endpoint", processKill(o.ep, 1), -ErrorCode.WrongType);
  expect(r, "kill a memory object", processKill(o.mem, 1), -ErrorCode.WrongType);
  expect(r, "signal a process", signal(proc, 1), -ErrorCode.WrongType);
  expect(r, "send to a process", send(proc, o.m, Timeout.Poll), -ErrorCode.WrongType);
  const procList = [procNoManage, procChild, procParent, proc];
  for (let i = 0; i < procList.length; i++) capDelete(procList[i]!);

  deviceBadCalls(r, o, memRead);
  threadBadCalls(r, o);

  // Nothing above changed what the valid capabilities do.
  msgSet(o.m, 1, 42, 0);
  expect(r, "send still works", send(o.ep, o.m, Timeout.Poll), 0);
  expect(r, "receive still works", receive(o.ep, o.m, Timeout.Poll), 0);
  expect(r, "the message is the one sent", msgWord(o.m, 0), 42);
  expect(r, "queue empty afterwards", receive(o.ep, o.m, Timeout.Poll), -ErrorCode.QueueEmpty);
  expect(r, "no bits were signalled", notificationWait(o.n, Timeout.Poll), -ErrorCode.QueueEmpty);

  const list = [epRead, epWrite, nRead, nSig, wsRead, memRead, memNoMap, nDup, badged, o.mem, o.ws, o.n, o.ep];
  for (let i = 0; i < list.length; i++) capDelete(list[i]!);
  return r;
}
