import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupError } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capDelete, capMove, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { liveCount } from "../../../kernel/cap/counters.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate, endpointReceive, endpointReceiveWait } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { notificationCreate } from "../../../kernel/object/notification.ts";
import { endpointCall, replySend } from "../../../kernel/object/reply.ts";
import { cancelWaiter, timeoutWaiter, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { checkInvariants, connect, makeProc, makeRoot, msg, recordWakes, snapshotCounts } from "./fixture.ts";
import { ObjectType } from "../../../abi/object-type.ts";

const woken = recordWakes();

function setup() {
  return connect(4);
}

describe("call and reply", () => {
  it("the caller blocks until the one-shot reply arrives", () => {
    const { server, client, ep, send } = setup();
    const before = liveCount(ObjectType.Reply);
    const caller = new Waiter(1);
    expect(endpointCall(client.table, send, msg(10, 5n), caller)).toBe(ErrorCode.WouldBlock);
    expect(caller.state).toBe(WaitState.Waiting);
    expect(liveCount(ObjectType.Reply)).toBe(before + 1);
    const req = new Message();
    expect(endpointReceive(server.table, ep, req)).toBe(ErrorCode.Ok);
    expect(req.label).toBe(10);
    expect(req.replyHandle).toBeGreaterThan(0);
    expect(lookupError(server.table, req.replyHandle, ObjectType.Reply, Right.Write)).toBe(ErrorCode.Ok);
    // A reply capability cannot be duplicated.
    expect(capCopy(server.table, req.replyHandle, server.table, Right.Write)).toBe(-ErrorCode.MissingRights);
    checkInvariants([server.table, client.table]);

    // The reply carries a capability back.
    const n = notificationCreate(server.table);
    const answer = msg(11, req.words[0]! + 1n);
    answer.capCount = 1;
    answer.handles[0] = n;
    expect(replySend(server.table, req.replyHandle, answer)).toBe(ErrorCode.Ok);
    expect(caller.state).toBe(WaitState.Done);
    expect(caller.result).toBe(ErrorCode.Ok);
    expect(caller.msg.label).toBe(11);
    expect(caller.msg.words[0]).toBe(6n);
    expect(lookupError(client.table, caller.msg.handles[0]!, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(woken).toEqual([caller]);
    expect(liveCount(ObjectType.Reply)).toBe(before);
    checkInvariants([server.table, client.table]);
  });

  it("a second reply through the same capability fails with ReplyUsed", () => {
    const { server, client, ep, send } = setup();
    const caller = new Waiter(1);
    endpointCall(client.table, send, msg(1), caller);
    const req = new Message();
    endpointReceive(server.table, ep, req);
    expect(replySend(server.table, req.replyHandle, msg(2))).toBe(ErrorCode.Ok);
    expect(replySend(server.table, req.replyHandle, msg(3))).toBe(ErrorCode.ReplyUsed);
    expect(caller.msg.label).toBe(2);
  });

  it("a reply after the caller timed out fails with CallerGone and frees the reply object", () => {
    const { server, client, ep, send } = setup();
    const before = snapshotCounts();
    const caller = new Waiter(1);
    caller.deadline = 50;
    endpointCall(client.table, send, msg(1), caller);
    expect(timeoutWaiter(caller)).toBe(true);
    expect(caller.result).toBe(ErrorCode.TimedOut);
    const req = new Message();
    expect(endpointReceive(server.table, ep, req)).toBe(ErrorCode.Ok);
    const n = notificationCreate(server.table);
    const answer = msg(2);
    answer.capCount = 1;
    answer.handles[0] = n;
    expect(replySend(server.table, req.replyHandle, answer)).toBe(ErrorCode.CallerGone);
    // The capability offered in the dropped reply stays with the server.
    expect(lookupError(server.table, n, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
    expect(replySend(server.table, req.replyHandle, answer)).toBe(ErrorCode.ReplyUsed);
    expect(capDelete(server.table, n)).toBe(ErrorCode.Ok);
    expect(snapshotCounts()).toEqual(before);
  });

  it("a caller that exits drops its pending reply", () => {
    const { server, client, ep, send } = setup();
    const caller = new Waiter(1);
    endpointCall(client.table, send, msg(1), caller);
    cancelWaiter(caller);
    expect(caller.result).toBe(ErrorCode.Cancelled);
    expect(woken).toEqual([]);
    tableDestroy(client.table);
    const req = new Message();
    expect(endpointReceive(server.table, ep, req)).toBe(ErrorCode.Ok);
    expect(replySend(server.table, req.replyHandle, msg(2))).toBe(ErrorCode.CallerGone);
  });

  it("the caller gets an error as soon as the last receiver goes with the call queued", () => {
    const { server, client, send } = setup();
    const caller = new Waiter(1);
    expect(endpointCall(client.table, send, msg(1), caller)).toBe(ErrorCode.WouldBlock);
    const before = liveCount(ObjectType.Reply);
    // The server exits; the client's send capability still keeps the endpoint alive, but nothing
    // can ever receive the call, so it is dropped and the caller fails at once.
    tableDestroy(server.table);
    expect(caller.state).toBe(WaitState.Done);
    expect(caller.result).toBe(ErrorCode.PeerClosed);
    expect(liveCount(ObjectType.Reply)).toBe(before - 1);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
  });

  it("the caller gets an error when the endpoint is destroyed with the call queued", () => {
    const { server, client, ep, send } = setup();
    const caller = new Waiter(1);
    // The caller calls through a copy, so that deleting its capability does not end the call.
    const other = capCopy(server.table, ep, client.table, Right.Write);
    expect(endpointCall(client.table, other, msg(1), caller)).toBe(ErrorCode.WouldBlock);
    const before = liveCount(ObjectType.Reply);
    expect(capDelete(client.table, send)).toBe(ErrorCode.Ok);
    expect(caller.state).toBe(WaitState.Waiting); // the server still holds the endpoint
    expect(capDelete(server.table, ep)).toBe(ErrorCode.Ok); // no receiver left: the queue goes
    expect(caller.state).toBe(WaitState.Done);
    expect(caller.result).toBe(ErrorCode.PeerClosed);
    expect(liveCount(ObjectType.Reply)).toBe(before - 1);
  });

  it("the caller gets an error when the server drops the reply capability", () => {
    const { server, client, ep, send } = setup();
    const caller = new Waiter(1);
    endpointCall(client.table, send, msg(1), caller);
    const req = new Message();
    endpointReceive(server.table, ep, req);
    expect(capDelete(server.table, req.replyHandle)).toBe(ErrorCode.Ok);
    expect(caller.result).toBe(ErrorCode.PeerClosed);
  });

  it("a reply capability can be handed to another server, which answers", () => {
    const root = makeRoot();
    const front = makeProc(root);
    const worker = makeProc(root);
    const client = makeProc(root);
    const ep = endpointCreate(front.table, 4);
    const send = capCopy(front.table, ep, client.table, Right.Write);
    const caller = new Waiter(1);
    endpointCall(client.table, send, msg(1), caller);
    const w = new Waiter(2);
    expect(endpointReceiveWait(front.table, ep, w)).toBe(ErrorCode.Ok);
    const moved = capMove(front.table, w.msg.replyHandle, worker.table);
    expect(moved).toBeGreaterThan(0);
    expect(replySend(worker.table, moved, msg(99))).toBe(ErrorCode.Ok);
    expect(caller.msg.label).toBe(99);
  });

  it("a call fails at once when the queue is full, leaving nothing behind", () => {
    const root = makeRoot();
    const server = makeProc(root);
    const client = makeProc(root);
    const ep = endpointCreate(server.table, 1);
    const send = capCopy(server.table, ep, client.table, Right.Write);
    const c1 = new Waiter(1);
    expect(endpointCall(client.table, send, msg(1), c1)).toBe(ErrorCode.WouldBlock);
    const before = snapshotCounts();
    const c2 = new Waiter(2);
    expect(endpointCall(client.table, send, msg(2), c2)).toBe(ErrorCode.QueueFull);
    expect(c2.state).toBe(WaitState.Idle);
    expect(snapshotCounts()).toEqual(before);
  });

  it("a reply whose capabilities do not fit fails the caller with TableFull", () => {
    const root = makeRoot();
    const server = makeProc(root);
    const client = makeProc(root, 1);
    const ep = endpointCreate(server.table, 2);
    const send = capCopy(server.table, ep, client.table, Right.Write);
    const caller = new Waiter(1);
    endpointCall(client.table, send, msg(1), caller);
    const req = new Message();
    endpointReceive(server.table, ep, req);
    const n = notificationCreate(server.table);
    const answer = msg(2);
    answer.capCount = 1;
    answer.handles[0] = n;
    expect(replySend(server.table, req.replyHandle, answer)).toBe(ErrorCode.Ok);
    expect(caller.result).toBe(ErrorCode.TableFull);
    expect(lookupError(server.table, n, ObjectType.Notification, 0)).toBe(ErrorCode.Ok);
  });
});
