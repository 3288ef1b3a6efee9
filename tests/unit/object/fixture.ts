// Shared set-up for the IPC object tests: a record of woken waiters (the wake hook), message
// builders, the server/client connection most tests start from, and wait-set polling. Processes,
// invariants and pool counts come from tests/unit/cap/harness.ts and are re-exported here.
import { beforeEach, expect } from "vitest";
import { CapTable } from "../../../kernel/cap/cap-table.ts";
import { capCopy, capMint } from "../../../kernel/cap/cdt.ts";
import { Right } from "../../../abi/rights.ts";
import { endpointCreate } from "../../../kernel/object/endpoint.ts";
import { Message } from "../../../kernel/cap/message.ts";
import { waitSetPoll } from "../../../kernel/object/wait-set.ts";
import { setWakeHook, Waiter } from "../../../kernel/cap/waiter.ts";
import { makeProc, makeRoot } from "../cap/harness.ts";

export { checkInvariants, makeProc, makeRoot, snapshotCounts } from "../cap/harness.ts";

/**
 * Installs, before every test of the calling file, a wake hook that records each woken waiter in
 * the returned array (emptied before each test).
 */
export function recordWakes(): Waiter[] {
  const woken: Waiter[] = [];
  beforeEach(() => {
    woken.length = 0;
    setWakeHook((w) => {
      woken.push(w);
    });
  });
  return woken;
}

/** A wake hook that does nothing (the property tests check waiter states instead). */
export function noWake(w: Waiter): void {
  void w;
}

/** A message with `label` and the given leading data words. */
export function msg(label: number, ...words: bigint[]): Message {
  const m = new Message();
  m.label = label;
  words.forEach((w, i) => (m.words[i] = w));
  return m;
}

/** Puts `handles` into `m` to transfer, with `flags` (MsgFlag). */
export function withCaps(m: Message, flags: number, ...handles: number[]): Message {
  m.capCount = handles.length;
  m.flags = flags;
  handles.forEach((h, i) => (m.handles[i] = h));
  return m;
}

/**
 * A server owning an endpoint of `capacity` and a client holding a Write|Grant capability to it,
 * minted with `badge` (copied, unbadged, when badge is 0).
 */
export function connect(capacity = 4, badge = 0n) {
  const root = makeRoot();
  const server = makeProc(root);
  const client = makeProc(root);
  const ep = endpointCreate(server.table, capacity);
  const send = badge === 0n
    ? capCopy(server.table, ep, client.table, Right.Write | Right.Grant)
    : capMint(server.table, ep, client.table, Right.Write | Right.Grant, badge);
  expect(send).toBeGreaterThan(0);
  return { root, server, client, ep, send };
}

/** The (key, readiness) pairs waitSetPoll reports for `ws`, in the order given (sorted by key when asked). */
export function pollSet(table: CapTable, ws: number, sortByKey = false): Array<[number, number]> {
  const keys = new Int32Array(8);
  const ready = new Int32Array(8);
  const n = waitSetPoll(table, ws, keys, ready);
  expect(n).toBeGreaterThanOrEqual(0);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) out.push([keys[i]!, ready[i]!]);
  return sortByKey ? out.sort((a, b) => a[0] - b[0]) : out;
}
