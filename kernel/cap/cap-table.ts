// A process's capability table: a fixed number of slots. A handle is `generation * MAX_SLOTS +
// slot`: the slot's generation advances each time the slot is reused, so a handle kept past a
// delete is detected as stale instead of silently naming someone else's capability. A freed slot
// remembers why it was freed (deleted, revoked, consumed reply) so the old handle gets a precise
// error until the slot is reused.
import { panic, release } from "../../lang/core.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { type Account, accountCharge, accountRefund, Cost } from "./quota.ts";
import { countAlloc, countFree, Pool } from "./counters.ts";
import { Capability, CapPlace, capPlace, NO_CAP } from "./capability.ts";
import { rightsHave } from "../../abi/rights.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { IoMap, ioMapForget } from "../arch/x86_64/io-bitmap.ts";

/** Upper bound on slots per table; handles stay below 2^31. */
const SLOT_BITS = 12;
export const MAX_SLOTS = 1 << SLOT_BITS;
/** Generations run 1 .. GEN_LIMIT-1 and wrap; 0 marks a slot never used. */
export const GEN_LIMIT = 1 << 19;
/** Never a valid handle: system calls use it for "no capability". */
export const NULL_HANDLE = 0;

/** Why a slot is empty. */
export const enum SlotMark {
  Deleted = 0,
  Revoked = 1,
  Consumed = 2,
}

export class CapTable {
  size: number;
  slots: Array<Capability>;
  gens: Int32Array;
  marks: Uint8Array;
  used = 0;
  /**
   * Free slots in a FIFO ring (`freeRing[(freeHead + i) % size]`, i < size - used): a freed slot
   * is reused last, so its old handle keeps its precise error as long as possible. O(1) insert.
   */
  freeRing: Int32Array;
  freeHead = 0;
  account: Account;
  charged: number;
  /** Threads blocked through this table: it must not be freed under them. */
  blocked = 0;
  /** The I/O ports the owning process's threads may use (object/io-port.ts keeps it in step). */
  ioMap = new IoMap();

  constructor(size: number, account: Account, charged: number) {
    this.size = size;
    this.slots = new Array<Capability>(size).fill(NO_CAP);
    this.gens = new Int32Array(size);
    this.marks = new Uint8Array(size);
    this.freeRing = new Int32Array(size);
    for (let i = 0; i < size; i++) this.freeRing[i] = i;
    this.account = account;
    this.charged = charged;
  }
}

/** A table of `size` slots charged to `account`; null when out of quota or `size` is invalid. */
export function tableCreate(account: Account, size: number): CapTable | null {
  if (size <= 0 || size > MAX_SLOTS) return null;
  const cost = Cost.TableHeader + size * Cost.CapSlot;
  if (accountCharge(account, cost) !== ErrorCode.Ok) return null;
  countAlloc(Pool.CapTable);
  return new CapTable(size, account, cost);
}

/** Frees an empty table (cdt.ts tableDestroy deletes the capabilities first). */
export function tableFree(t: CapTable): void {
  if (t.used !== 0) panic("freeing a capability table that still holds capabilities");
  if (t.blocked !== 0) panic("freeing a capability table with threads blocked through it (cancel their waiters first)");
  accountRefund(t.account, t.charged);
  if (t.ioMap.charged) accountRefund(t.account, Cost.IoMap);
  ioMapForget(t.ioMap);
  countFree(Pool.CapTable);
  // release() frees one allocation: the arrays the table owns go first.
  release(t.slots);
  release(t.gens);
  release(t.marks);
  release(t.freeRing);
  release(t.ioMap);
  release(t);
}

// The one handle layout: generation × MAX_SLOTS + slot, below HANDLE_LIMIT = 2^31, so slot and
// generation are bit fields. Decoding expects a handle in 1 .. HANDLE_LIMIT-1 (checked first).
const HANDLE_LIMIT = MAX_SLOTS * GEN_LIMIT;

function handleOf(gen: number, slot: number): number {
  return gen * MAX_SLOTS + slot;
}

function handleInRange(handle: number): boolean {
  return handle > 0 && handle < HANDLE_LIMIT;
}

function handleSlot(handle: number): number {
  return handle & (MAX_SLOTS - 1);
}

function handleGen(handle: number): number {
  return handle >>> SLOT_BITS;
}

/** Free slots left in `t`. */
export function tableFreeSlots(t: CapTable): number {
  return t.size - t.used;
}

/** Puts `cap` in a free slot and returns its handle, or -TableFull. */
export function tableInsert(t: CapTable, cap: Capability): number {
  if (t.used >= t.size) return -ErrorCode.TableFull;
  const slot = t.freeRing[t.freeHead]!;
  t.freeHead = t.freeHead + 1 === t.size ? 0 : t.freeHead + 1;
  if (t.slots[slot]! !== NO_CAP) panic("capability table free list names a used slot");
  let gen = t.gens[slot]! + 1;
  if (gen >= GEN_LIMIT) gen = 1;
  t.gens[slot] = gen;
  t.marks[slot] = SlotMark.Deleted;
  t.slots[slot] = cap;
  t.used++;
  cap.table = t;
  cap.slot = slot;
  return handleOf(gen, slot);
}

/** Empties the slot holding `cap`, recording why. The handle keeps its generation until reuse. */
export function tableRemove(cap: Capability, mark: SlotMark): void {
  const t = cap.table;
  if (capPlace(cap) !== CapPlace.Table || t === null) panic("capability is not in a table");
  t.slots[cap.slot] = NO_CAP;
  t.marks[cap.slot] = mark;
  // Append to the free ring: it holds size - used entries starting at freeHead.
  t.freeRing[(t.freeHead + t.size - t.used) % t.size] = cap.slot;
  t.used--;
  cap.table = null;
  cap.slot = -1;
}

/**
 * Checks `handle` in `t`: it must name a capability, of `type` (ObjectType.Any accepts every type),
 * holding every right in `rights`. Returns Ok or the precise error.
 */
export function lookupError(t: CapTable, handle: number, type: ObjectType, rights: number): ErrorCode {
  if (!handleInRange(handle)) return ErrorCode.InvalidHandle;
  const slot = handleSlot(handle);
  const gen = handleGen(handle);
  // Generation 0 is never issued: such a handle is invalid, not a stale one of a used slot.
  if (slot >= t.size || gen === 0) return ErrorCode.InvalidHandle;
  const sg = t.gens[slot]!;
  if (sg === 0) return ErrorCode.InvalidHandle;
  if (sg !== gen) return ErrorCode.StaleHandle;
  const cap = t.slots[slot]!;
  if (cap === NO_CAP) {
    const mark = t.marks[slot]!;
    if (mark === SlotMark.Revoked) return ErrorCode.Revoked;
    if (mark === SlotMark.Consumed) return ErrorCode.ReplyUsed;
    return ErrorCode.InvalidHandle;
  }
  if (type !== ObjectType.Any && cap.object.type !== type) return ErrorCode.WrongType;
  if (!rightsHave(cap.rights, rights)) return ErrorCode.MissingRights;
  return ErrorCode.Ok;
}

/**
 * The capability `handle` names in `t` if lookupError would accept it (type and rights), else
 * NO_CAP: one pass for hot paths, which ask lookupError for the precise error only on failure.
 * @inline
 */
export function lookupValid(t: CapTable, handle: number, type: ObjectType, rights: number): Capability {
  if (!handleInRange(handle)) return NO_CAP;
  const slot = handleSlot(handle);
  if (slot >= t.size || t.gens[slot]! !== handleGen(handle)) return NO_CAP;
  const cap = t.slots[slot]!;
  if (cap === NO_CAP || (type !== ObjectType.Any && cap.object.type !== type)) return NO_CAP;
  return (cap.rights & rights) === rights ? cap : NO_CAP;
}

/** The capability behind a handle that lookupError accepted (NO_CAP otherwise). */
export function lookupCap(t: CapTable, handle: number): Capability {
  if (!handleInRange(handle)) return NO_CAP;
  const slot = handleSlot(handle);
  if (slot >= t.size || t.gens[slot]! !== handleGen(handle)) return NO_CAP;
  return t.slots[slot]!;
}

/** The handle under which `cap` currently sits in its table. */
export function capHandle(cap: Capability): number {
  const t = cap.table;
  if (capPlace(cap) !== CapPlace.Table || t === null) return NULL_HANDLE;
  return handleOf(t.gens[cap.slot]!, cap.slot);
}
