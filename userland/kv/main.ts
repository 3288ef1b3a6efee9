// kv: the example server of docs/userland.md ("Writing a server"): a key-value store that keeps
// each client's entries under the badge of the client's endpoint copy. init starts it, as its
// manifest entry says, with the receive side of its endpoint and nothing else. The protocol is
// userland/lib/kv.ts. The loop is the shape of every server: receive, check who calls and what
// it asks, answer every call exactly once, and drop whatever capabilities a message brought.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { capDelete, msgAlloc, msgBadge, msgCap, msgCapCount, msgClear, msgLabel, msgReplyHandle, msgSetLabel, receive, reply } from "../lib/ipc.ts";
import { KV_KEY_BYTES, KV_KEY_WORD, KV_MAX_ENTRIES, KV_VALUE_BYTES, KV_VALUE_WORD, KvOp, kvPack, kvUnpack } from "../lib/kv.ts";
import { errorText, exit } from "../lib/sys.ts";

const ENDPOINT = FIRST_START_HANDLE;

class Entry {
  constructor(
    public badge: number,
    public key: string,
    public value: string,
  ) {}
}

class Store {
  entries: Entry[] = [];
  /** Puts refused because the store was full, for the report. */
  refused = 0;
}

const store = new Store();

function find(badge: number, key: string): number {
  for (let i = 0; i < store.entries.length; i++) {
    const e = store.entries[i]!;
    if (e.badge === badge && e.key === key) return i;
  }
  return -1;
}

/** Runs one request; the status to answer with, the answer's words already in `m`. */
function handle(m: number, badge: number): ErrorCode {
  const key = kvUnpack(m, KV_KEY_WORD, KV_KEY_BYTES);
  if (key.length === 0) return ErrorCode.InvalidArgument;
  const at = find(badge, key);
  switch (msgLabel(m)) {
    case KvOp.Put: {
      const value = kvUnpack(m, KV_VALUE_WORD, KV_VALUE_BYTES);
      if (at >= 0) {
        store.entries[at]!.value = value;
        return ErrorCode.Ok;
      }
      // A limit that is hit is reported, by name, never a silent drop.
      if (store.entries.length >= KV_MAX_ENTRIES) {
        store.refused++;
        console.log(`kv: store full (KV_MAX_ENTRIES ${KV_MAX_ENTRIES}): ${store.refused} puts refused so far`);
        return ErrorCode.TableFull;
      }
      store.entries.push(new Entry(badge, key, value));
      return ErrorCode.Ok;
    }
    case KvOp.Get: {
      if (at < 0) return ErrorCode.NotFound;
      const value = store.entries[at]!.value;
      msgClear(m);
      kvPack(m, KV_VALUE_WORD, value, KV_VALUE_BYTES);
      return ErrorCode.Ok;
    }
    case KvOp.Delete: {
      if (at < 0) return ErrorCode.NotFound;
      store.entries.splice(at, 1);
      return ErrorCode.Ok;
    }
    default:
      return ErrorCode.InvalidArgument;
  }
}

const m = msgAlloc();
console.log(`kv: ready (${KV_MAX_ENTRIES} entries)`);
for (;;) {
  const r = receive(ENDPOINT, m, -1);
  if (r < 0) {
    console.log(`kv: receive: ${errorText(r)}`);
    exit(1);
  }
  // Capabilities are not part of the protocol: whatever a sender put in goes at once.
  for (let i = 0; i < msgCapCount(m); i++) capDelete(msgCap(m, i));
  const rh = msgReplyHandle(m);
  // A plain send expects no answer: nothing to do for it.
  if (rh <= 0) continue;
  const status = handle(m, msgBadge(m));
  if (status !== ErrorCode.Ok) msgClear(m);
  msgSetLabel(m, status);
  reply(rh, m);
  capDelete(rh);
}
