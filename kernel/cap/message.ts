// An IPC message: MSG_WORDS machine words, a label, up to MSG_CAPS capabilities, the badge of the
// capability it was sent with, and (for a call) a one-shot reply capability.
//
// Six words because x86-64 system calls carry six argument registers besides the number
// (rdi rsi rdx r10 r8 r9): the fast path moves a message register to register. Words are `bigint`
// because user data is raw 64-bit; the label and handles are small integers and stay `number`.
//
// The same class serves three uses: what a sender describes (words, label, handles to transfer,
// flags), what a queued message holds (caps in flight, badge), and what a receiver gets back
// (words, label, badge, the handles the capabilities were installed under, the reply handle).
import { release } from "../../lang/core.ts";
import { Capability, NO_CAP } from "./capability.ts";
import { MSG_CAPS, MSG_WORDS } from "../../abi/message.ts";

export class Message {
  label = 0;
  words = new BigUint64Array(MSG_WORDS);
  badge = 0n;
  /** Capabilities to transfer (sender side) or installed (receiver side): how many positions. */
  capCount = 0;
  /** Sender: handles to transfer. Receiver: handles installed (0 where a cap was revoked). */
  handles = new Int32Array(MSG_CAPS);
  flags = 0;
  /** Queued message: the capabilities in flight (NO_CAP where none or revoked). */
  caps = new Array<Capability>(MSG_CAPS).fill(NO_CAP);
  /** Queued call: the reply capability in flight. */
  replyCap = NO_CAP;
  /** Receiver of a call: the handle of the one-shot reply capability (0 when not a call). */
  replyHandle = 0;
}

/** Copies the data part (label, words) from `src` to `dst`. */
export function messageCopyData(dst: Message, src: Message): void {
  dst.label = src.label;
  // Locals: the stores below cannot then make the compiler reload the array headers.
  const d = dst.words;
  const s = src.words;
  for (let i = 0; i < MSG_WORDS; i++) d[i] = s[i]!;
}

/** Copies what a sender describes (data, handles, flags) from `src` to `dst`. */
export function messageCopyRequest(dst: Message, src: Message): void {
  messageCopyData(dst, src);
  dst.capCount = src.capCount;
  dst.flags = src.flags;
  for (let i = 0; i < MSG_CAPS; i++) dst.handles[i] = src.handles[i]!;
}

/** Clears everything but the in-flight capabilities (which the caller must have moved). */
export function messageClear(m: Message): void {
  m.label = 0;
  for (let i = 0; i < MSG_WORDS; i++) m.words[i] = 0n;
  m.badge = 0n;
  m.capCount = 0;
  m.flags = 0;
  for (let i = 0; i < MSG_CAPS; i++) m.handles[i] = 0;
  m.replyHandle = 0;
}

/** Frees a message and the arrays it owns (its capabilities must have been taken out first). */
export function messageFree(m: Message): void {
  release(m.words);
  release(m.handles);
  release(m.caps);
  release(m);
}

/**
 * A raw 64-bit word (a message word, a register) as a number, read as two's complement; words
 * beyond the safe integer range read as 2^53 - 1, which no argument check accepts.
 */
export function wordToNumber(w: bigint): number {
  if (w < 0x20000000000000n) return Number(w);
  const neg = BigInt.asUintN(64, 0n - w);
  if (neg < 0x20000000000000n) return -Number(neg);
  return 0x1fffffffffffff;
}

/** A number as a raw 64-bit word (two's complement for negative values). */
export function numberToWord(v: number): bigint {
  return v >= 0 ? BigInt(v) : BigInt.asUintN(64, 0n - BigInt(-v));
}
