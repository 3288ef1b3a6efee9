// Property-based test of an endpoint against a reference model: a FIFO of messages, FIFO lists of
// blocked receivers and senders, and pending calls, driven by random sends, receives, calls,
// replies and timeouts from several clients.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ErrorCode } from "../../../abi/errors.ts";
import { lookupCap } from "../../../kernel/cap/cap-table.ts";
import { accountReclaim, capMint, tableDestroy } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import {
  endpointCreate,
  endpointReceive,
  endpointReceiveWait,
  endpointSend,
  endpointSendWait,
} from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { endpointCall, replySend } from "../../../kernel/object/reply.ts";
import { cancelWaiter, setWakeHook, timeoutWaiter, Waiter, WaitState } from "../../../kernel/cap/waiter.ts";
import { checkInvariants, makeProc, makeRoot, noWake, snapshotCounts } from "./fixture.ts";

type Op =
  | { k: "send" | "sendWait" | "call"; c: number }
  | { k: "receive" | "receiveWait" }
  | { k: "reply"; i: number }
  | { k: "timeout"; i: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom("send" as const, "sendWait" as const, "call" as const), c: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constantFrom("receive" as const, "receiveWait" as const) }),
  fc.record({ k: fc.constant("reply" as const), i: fc.nat(100) }),
  fc.record({ k: fc.constant("timeout" as const), i: fc.nat(100) }),
);

class Queued {
  constructor(
    public label: number,
    public badge: bigint,
    public caller: Waiter | null,
  ) {}
}


describe("endpoint (property-based, against a model)", () => {
  it("behaves as a bounded FIFO with FIFO waiters, and call/reply pairs up", () => {
    setWakeHook(noWake);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(opArb, { minLength: 30, maxLength: 100 }), (cap, ops) => {
        const baseline = snapshotCounts();
        const root = makeRoot();
        const server = makeProc(root, 64);
        const clients = [makeProc(root), makeProc(root)];
        const ep = endpointCreate(server.table, cap);
        const sendCaps = clients.map((c, i) => capMint(server.table, ep, c.table, Right.Write, BigInt(i + 1)));
        const tables = [server.table, ...clients.map((c) => c.table)];

        const queue: Queued[] = [];
        const blockedRecv: Waiter[] = [];
        const blockedSend: Array<[Waiter, Queued]> = [];
        const replies: Array<[number, Queued]> = []; // reply handle held by the server, for a call
        const waiting: Waiter[] = [];
        let label = 1;
        let tid = 1;

        /** The server got `q` (from the queue or directly into a blocked receiver). */
        const gotMessage = (m: Message, q: Queued) => {
          expect(m.label).toBe(q.label);
          expect(m.badge).toBe(q.badge);
          if (q.caller !== null) {
            expect(m.replyHandle).toBeGreaterThan(0);
            replies.push([m.replyHandle, q]);
          } else {
            expect(m.replyHandle).toBe(0);
          }
        };
        /** After a dequeue, the oldest blocked sender's message enters the queue. */
        const admitSender = () => {
          const s = blockedSend.shift();
          if (s === undefined) return;
          expect(s[0].state).toBe(WaitState.Done);
          expect(s[0].result).toBe(ErrorCode.Ok);
          queue.push(s[1]);
        };
        /** A new message arrives: a blocked receiver takes it, else it is queued. */
        const arrive = (q: Queued) => {
          const r = blockedRecv.shift();
          if (r === undefined) {
            queue.push(q);
            return;
          }
          expect(r.state).toBe(WaitState.Done);
          expect(r.result).toBe(ErrorCode.Ok);
          gotMessage(r.msg, q);
        };

        for (const op of ops) {
          switch (op.k) {
            case "send":
            case "sendWait":
            case "call": {
              const m = new Message();
              m.label = label++;
              const q = new Queued(m.label, BigInt(op.c + 1), null);
              const t = clients[op.c]!.table;
              const full = queue.length === cap;
              if (op.k === "send") {
                expect(endpointSend(t, sendCaps[op.c]!, m)).toBe(full ? ErrorCode.QueueFull : ErrorCode.Ok);
                if (!full) arrive(q);
              } else if (op.k === "sendWait") {
                const w = new Waiter(tid++);
                const r = endpointSendWait(t, sendCaps[op.c]!, m, w);
                if (full) {
                  expect(r).toBe(ErrorCode.WouldBlock);
                  blockedSend.push([w, q]);
                  waiting.push(w);
                } else {
                  expect(r).toBe(ErrorCode.Ok);
                  arrive(q);
                }
              } else {
                const w = new Waiter(tid++);
                const r = endpointCall(t, sendCaps[op.c]!, m, w);
                if (full) {
                  expect(r).toBe(ErrorCode.QueueFull);
                } else {
                  expect(r).toBe(ErrorCode.WouldBlock);
                  q.caller = w;
                  waiting.push(w);
                  arrive(q);
                }
              }
              break;
            }
            case "receive":
            case "receiveWait": {
              const w = new Waiter(tid++);
              const r =
                op.k === "receive" ? endpointReceive(server.table, ep, w.msg) : endpointReceiveWait(server.table, ep, w);
              const head = queue.shift();
              if (head === undefined) {
                if (op.k === "receive") expect(r).toBe(ErrorCode.QueueEmpty);
                else {
                  expect(r).toBe(ErrorCode.WouldBlock);
                  blockedRecv.push(w);
                  waiting.push(w);
                }
              } else {
                expect(r).toBe(ErrorCode.Ok);
                gotMessage(w.msg, head);
                admitSender();
              }
              break;
            }
            case "reply": {
              if (replies.length === 0) break;
              const [h, q] = replies.splice(op.i % replies.length, 1)[0]!;
              const ans = new Message();
              ans.label = q.label + 1000000;
              const caller = q.caller!;
              const live = caller.state === WaitState.Waiting;
              expect(replySend(server.table, h, ans)).toBe(live ? ErrorCode.Ok : ErrorCode.CallerGone);
              if (live) {
                expect(caller.result).toBe(ErrorCode.Ok);
                expect(caller.msg.label).toBe(ans.label);
              }
              expect(replySend(server.table, h, ans)).toBe(ErrorCode.ReplyUsed);
              break;
            }
            case "timeout": {
              const live = waiting.filter((w) => w.state === WaitState.Waiting);
              if (live.length === 0) break;
              const w = live[op.i % live.length]!;
              expect(timeoutWaiter(w)).toBe(true);
              expect(w.result).toBe(ErrorCode.TimedOut);
              const bi = blockedRecv.indexOf(w);
              if (bi >= 0) blockedRecv.splice(bi, 1);
              const si = blockedSend.findIndex((s) => s[0] === w);
              if (si >= 0) blockedSend.splice(si, 1);
              break;
            }
          }
          expect(lookupCap(server.table, ep).object.endpoint!.count).toBe(queue.length);
          expect(queue.length).toBeLessThanOrEqual(cap);
          checkInvariants(tables);
        }

        // Teardown, as process exit does it: cancel the process's waiters, then free its table.
        // The server goes first: blocked senders then see PeerClosed, callers whose request it
        // had taken see their reply capability dropped (PeerClosed).
        for (const w of waiting) if (w.table === server.table) cancelWaiter(w);
        tableDestroy(server.table);
        for (const [w] of blockedSend) {
          expect(w.state).toBe(WaitState.Done);
          expect(w.result).toBe(ErrorCode.PeerClosed);
        }
        for (const [, q] of replies) {
          if (q.caller!.result !== ErrorCode.TimedOut) expect(q.caller!.result).toBe(ErrorCode.PeerClosed);
        }
        for (const c of clients) {
          for (const w of waiting) if (w.table === c.table) cancelWaiter(w);
          tableDestroy(c.table);
        }
        for (const p of [server, ...clients]) accountReclaim(p.account);
        for (const w of waiting) expect(w.state).toBe(WaitState.Done);
        expect(snapshotCounts()).toEqual(baseline);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
