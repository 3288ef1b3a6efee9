// The key-value service's protocol (docs/userland.md, "Writing a server", which walks through it)
// and its client side. One endpoint, served by userland/kv; every operation is a call whose
// message carries everything in its six words (no capabilities, no shared memory): a key of up
// to KV_KEY_BYTES bytes in words 0..1 and a value of up to KV_VALUE_BYTES bytes in words 2..5,
// each padded with zero bytes. The answer's label is 0 or an ErrorCode (abi/errors.ts); a Get's
// value comes back in words 2..5. Each client's keys are its own: the server keeps them under the
// badge of the client's copy of the endpoint, so two clients never see each other's entries.
import { load8, store8 } from "../../lang/mem.ts";
import { UMsg } from "../../abi/message.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { callRegs, msgAlloc, msgClear, msgLabel, msgSetLabel } from "./ipc.ts";

export const enum KvOp {
  /** Key and value: stores the value (a new entry or a new value for the key). */
  Put = 1,
  /** Key: answers the value; NotFound when the client stored none under it. */
  Get = 2,
  /** Key: removes the entry; NotFound when there is none. */
  Delete = 3,
}

export const KV_KEY_BYTES = 16;
export const KV_VALUE_BYTES = 32;
/** First word of the key and of the value in a message. */
export const KV_KEY_WORD = 0;
export const KV_VALUE_WORD = 2;
/** Entries the server keeps, all clients together; a Put beyond that is TableFull. */
export const KV_MAX_ENTRIES = 64;
/** How long a client waits for the server. */
export const KV_TIMEOUT_NS = 2000000000;

function byteAt(m: number, word: number, i: number): number {
  return m + (UMsg.Words + word) * 8 + i;
}

/** Puts `s` (at most `max` bytes, zero-padded to `max`) at word `word` of `m`; false if too long or not ASCII. */
export function kvPack(m: number, word: number, s: string, max: number): boolean {
  if (s.length > max) return false;
  for (let i = 0; i < max; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0;
    if (c === 0 && i < s.length) return false;
    if (c > 0x7e) return false;
    store8(byteAt(m, word, i), c);
  }
  return true;
}

/** The text at word `word` of `m`, up to `max` bytes or the first zero byte. */
export function kvUnpack(m: number, word: number, max: number): string {
  let s = "";
  for (let i = 0; i < max; i++) {
    const c = load8(byteAt(m, word, i));
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** A client of the key-value service at endpoint `ep`. */
export class KvClient {
  ep: number;
  msg = msgAlloc();
  /** The value of the last successful kvGet. */
  value = "";

  constructor(ep: number) {
    this.ep = ep;
  }
}

function callOp(c: KvClient, op: KvOp): number {
  msgSetLabel(c.msg, op);
  const r = callRegs(c.ep, c.msg, KV_TIMEOUT_NS);
  return r < 0 ? r : -msgLabel(c.msg);
}

/** Stores `value` under `key`: 0 or -error (InvalidArgument for a key or value that does not fit). */
export function kvPut(c: KvClient, key: string, value: string): number {
  msgClear(c.msg);
  if (key.length === 0 || !kvPack(c.msg, KV_KEY_WORD, key, KV_KEY_BYTES) || !kvPack(c.msg, KV_VALUE_WORD, value, KV_VALUE_BYTES)) return -ErrorCode.InvalidArgument;
  return callOp(c, KvOp.Put);
}

/** The value under `key` into c.value: 0 or -error (NotFound). */
export function kvGet(c: KvClient, key: string): number {
  msgClear(c.msg);
  if (key.length === 0 || !kvPack(c.msg, KV_KEY_WORD, key, KV_KEY_BYTES)) return -ErrorCode.InvalidArgument;
  const r = callOp(c, KvOp.Get);
  if (r === 0) c.value = kvUnpack(c.msg, KV_VALUE_WORD, KV_VALUE_BYTES);
  return r;
}

/** Removes `key`: 0 or -error (NotFound). */
export function kvDelete(c: KvClient, key: string): number {
  msgClear(c.msg);
  if (key.length === 0 || !kvPack(c.msg, KV_KEY_WORD, key, KV_KEY_BYTES)) return -ErrorCode.InvalidArgument;
  return callOp(c, KvOp.Delete);
}
