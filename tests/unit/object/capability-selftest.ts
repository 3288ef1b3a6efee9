// Self-test of the capability and object layers in the kernel's own test runner: the main
// scenarios the host tests cover, compiled by keelc and run natively (native.test.ts, which also
// counts what each round leaks) and run under Node (selftest.test.ts), so the C translation of
// these layers is checked against Node's. No threads run here: waits complete without waking one.
import { heapBytesUsed, release } from "../../../lang/core.ts";
import { TestRunner } from "../../../kernel/test/runner.ts";
import { ErrorCode } from "../../../abi/errors.ts";
import { accountCreate, accountCreateRoot, accountDestroy } from "../../../kernel/cap/quota.ts";
import { lookupError, tableCreate } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capCopy, capDelete, capMint, capRevoke, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { liveCount, Pool } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointReceiveWait, endpointSend } from "../../../kernel/object/endpoint.ts";
import { Message, messageFree } from "../../../kernel/cap/message.ts";
import { notificationCreate, notificationSignal, notificationWait } from "../../../kernel/object/notification.ts";
import { endpointCall, replySend } from "../../../kernel/object/reply.ts";
import { waitSetAdd, waitSetCreate } from "../../../kernel/object/wait-set.ts";
import { cancelWaiter, setWakeHook, Waiter, waiterFree, WaitState } from "../../../kernel/cap/waiter.ts";
import { ObjectType } from "../../../abi/object-type.ts";
import { MsgFlag, MSG_CAPS } from "../../../abi/message.ts";

/** A completed wait has no thread to make ready here. */
function noThread(w: Waiter): void {
  void w;
}

export function runCapabilitySelfTest(r: TestRunner): void {
  setWakeHook(noThread);
  r.begin("cap");
  const baseCaps = liveCount(Pool.Capability);
  const baseEndpoints = liveCount(ObjectType.Endpoint);
  const root = accountCreateRoot(1 << 22);
  const sa = accountCreate(root, 1 << 18)!;
  const ca = accountCreate(root, 1 << 18)!;
  const server = tableCreate(sa, 32)!;
  const client = tableCreate(ca, 32)!;

  const ep = endpointCreate(server, 2);
  r.expect("create", ep > 0, "endpointCreate failed");
  const send = capMint(server, ep, client, Right.Write | Right.Grant, 0x5en);
  r.expect("mint", send > 0, "capMint failed");
  r.expectEqual("escalation", capCopy(client, send, client, Right.Read), -ErrorCode.MissingRights);

  // A message with a capability, delivered with the badge.
  const n = notificationCreate(client);
  const m = new Message();
  m.label = 7;
  m.words[5] = 0xfedcba9876543210n;
  m.capCount = 1;
  m.handles[0] = n;
  r.expectEqual("send", endpointSend(client, send, m), ErrorCode.Ok);
  r.expectEqual("moved-out", lookupError(client, n, ObjectType.Any, 0), ErrorCode.InvalidHandle);
  const out = new Message();
  r.expectEqual("receive", endpointReceive(server, ep, out), ErrorCode.Ok);
  r.expect("payload", out.label === 7 && out.words[5]! === 0xfedcba9876543210n, "label or word differ");
  r.expect("badge", out.badge === 0x5en, "badge not delivered");
  r.expectEqual("installed", lookupError(server, out.handles[0]!, ObjectType.Notification, 0), ErrorCode.Ok);
  r.expectEqual("empty", endpointReceive(server, ep, out), ErrorCode.QueueEmpty);

  // Full queue.
  m.capCount = 0;
  endpointSend(client, send, m);
  endpointSend(client, send, m);
  r.expectEqual("full", endpointSend(client, send, m), ErrorCode.QueueFull);
  endpointReceive(server, ep, out);
  endpointReceive(server, ep, out);

  // Revoke reaches a capability in flight.
  const n2 = notificationCreate(client);
  const child = capCopy(client, n2, client, Right.Read | Right.Grant);
  m.capCount = 1;
  m.handles[0] = child;
  endpointSend(client, send, m);
  r.expectEqual("revoke", capRevoke(client, n2), ErrorCode.Ok);
  endpointReceive(server, ep, out);
  r.expectEqual("revoked-in-flight", out.handles[0]!, 0);

  // Call and one-shot reply.
  const caller = new Waiter(1);
  m.capCount = 0;
  r.expectEqual("call", endpointCall(client, send, m, caller), ErrorCode.WouldBlock);
  const srv = new Waiter(2);
  r.expectEqual("receive-call", endpointReceiveWait(server, ep, srv), ErrorCode.Ok);
  const answer = new Message();
  answer.label = 8;
  r.expectEqual("reply", replySend(server, srv.msg.replyHandle, answer), ErrorCode.Ok);
  r.expect("replied", caller.state === WaitState.Done && caller.msg.label === 8, "caller did not get the reply");
  r.expectEqual("reply-twice", replySend(server, srv.msg.replyHandle, answer), ErrorCode.ReplyUsed);

  // Notification.
  const nw = new Waiter(3);
  r.expectEqual("signal", notificationSignal(client, n2, 0x11n), ErrorCode.Ok);
  r.expectEqual("wait", notificationWait(client, n2, nw), ErrorCode.Ok);
  r.expect("bits", nw.bits === 0x11n, "signal bits differ");

  // Crossed queues: e's queue holds f's only capability, f's holds e's last one. Deleting e's
  // table capability drops e's queue (no receiver left), which drops f's, which frees e's last
  // capability while e's drop is still running: e must go only once that drop is done.
  const endpointsBefore = liveCount(ObjectType.Endpoint);
  const e = endpointCreate(client, 2);
  const f = endpointCreate(client, 2);
  m.capCount = 1;
  m.handles[0] = capCopy(client, e, client, Right.Write | Right.Grant);
  r.expectEqual("crossed-send-f", endpointSend(client, f, m), ErrorCode.Ok);
  m.handles[0] = f;
  r.expectEqual("crossed-send-e", endpointSend(client, e, m), ErrorCode.Ok);
  r.expectEqual("crossed-delete", capDelete(client, e), ErrorCode.Ok);
  r.expectEqual("crossed-freed", liveCount(ObjectType.Endpoint), endpointsBefore);

  // Teardown returns every count to its baseline.
  tableDestroy(client);
  tableDestroy(server);
  accountReclaim(sa);
  accountReclaim(ca);
  r.expectEqual("accounts", accountDestroy(sa) + accountDestroy(ca), ErrorCode.Ok);
  r.expectEqual("no-leak-caps", liveCount(Pool.Capability), baseCaps);
  r.expectEqual("no-leak-endpoints", liveCount(ObjectType.Endpoint), baseEndpoints);
  r.expectEqual("root-refunded", root.used, 0);
  accountDestroy(root);
  messageFree(m);
  messageFree(out);
  messageFree(answer);
  waiterFree(caller);
  waiterFree(srv);
  waiterFree(nw);
}

/**
 * Kernel memory is charged at its real size: for each thing a process can make the kernel
 * allocate, the heap bytes it takes (heapBytesUsed: blocks with headers and class rounding, as the
 * kernel's heap counts them; measured where the code runs compiled) are at most what its account
 * was charged, and all of them come back when it goes. Under Node the heap figures are 0, so only
 * the compiled runs (the kernel, the native self-test) measure anything.
 */
export function runChargeSelfTest(r: TestRunner): void {
  setWakeHook(noThread);
  r.begin("charge");
  // The callers' waiters belong to their threads, not to the account: made before measuring.
  const callers = [new Waiter(10), new Waiter(11), new Waiter(12), new Waiter(13)];
  const m = new Message();
  const heap0 = heapBytesUsed();
  const root = accountCreateRoot(1 << 24);
  const a = accountCreate(root, 1 << 22)!;
  const t = tableCreate(a, 64)!;
  r.expect("table", heapBytesUsed() - heap0 <= a.used, `heap ${heapBytesUsed() - heap0} > charged ${a.used}`);

  // A table full of capabilities (the slots were paid for with the table).
  const n = notificationCreate(t);
  const copies = new Int32Array(40);
  for (let i = 0; i < 40; i++) copies[i] = capCopy(t, n, t, Right.Read | Right.Signal | Right.Grant | Right.Duplicate);
  r.expect("capabilities", heapBytesUsed() - heap0 <= a.used, `heap ${heapBytesUsed() - heap0} > charged ${a.used}`);

  // A full queue whose every message carries MSG_CAPS copied capabilities.
  const ep = endpointCreate(t, 8);
  m.capCount = MSG_CAPS;
  m.flags = MsgFlag.CopyCaps;
  let sent = 0;
  for (let k = 0; k < 10; k++) {
    for (let i = 0; i < MSG_CAPS; i++) m.handles[i] = copies[(k * MSG_CAPS + i) % 40]!;
    if (endpointSend(t, ep, m) === ErrorCode.Ok) sent++;
  }
  r.expectEqual("queue-filled", sent, 8);
  r.expect("messages", heapBytesUsed() - heap0 <= a.used, `heap ${heapBytesUsed() - heap0} > charged ${a.used}`);

  // Calls queued with their reply capabilities.
  const call = endpointCreate(t, 4);
  m.capCount = 1;
  for (let i = 0; i < 4; i++) endpointCall(t, call, m, callers[i]!);
  r.expect("calls", heapBytesUsed() - heap0 <= a.used, `heap ${heapBytesUsed() - heap0} > charged ${a.used}`);

  // A wait set with members.
  const ws = waitSetCreate(t, 8);
  waitSetAdd(t, ws, n, 1);
  waitSetAdd(t, ws, ep, 2);
  r.expect("wait-set", heapBytesUsed() - heap0 <= a.used, `heap ${heapBytesUsed() - heap0} > charged ${a.used}`);

  release(copies);
  // The callers' threads go away first, as a process's exit cancels its thread's wait.
  for (let i = 0; i < 4; i++) cancelWaiter(callers[i]!);
  tableDestroy(t);
  accountReclaim(a);
  r.expectEqual("account-closed", accountDestroy(a), ErrorCode.Ok);
  accountDestroy(root);
  r.expectEqual("heap-back", heapBytesUsed(), heap0);
  messageFree(m);
  for (let i = 0; i < 4; i++) waiterFree(callers[i]!);
  release(callers);
}
