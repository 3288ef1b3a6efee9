// spawn_image: a child process from an ELF image in a memory object, with arguments, an
// environment and capabilities (docs/syscalls.md, "Starting programs from memory"). The
// capability arguments and the child's creation are spawn_caps's own (checkSpawn, startChild);
// only where the image, the name and the strings come from differs.
//
// The image is copied into one contiguous kernel buffer for the length of the call, charged to the
// caller's quota, rather than read by the loader through the memory object's scattered frames. The
// parser and the executor (kernel/loader/) address an image as one range [image, image + length)
// and are fuzzed that way; reading through frames would put a page lookup behind every load of
// the parser and every copy of the executor for boot modules as well. The copy is cheap next to
// the load itself: an image is at most one memory object (MAX_MEMORY_PAGES, 1 MiB), copied once
// eight bytes at a time, while loading it allocates, zeroes and fills every page of every segment
// and the stack anyway; so the copy at most doubles the bytes moved, and only for as long as the
// call runs. Its cost is one contiguous run of frames, which the caller's quota pays for.
import { release } from "../../lang/core.ts";
import { load64, load8, store64 } from "../../lang/mem.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { Right } from "../../abi/rights.ts";
import { ObjectType } from "../../abi/object-type.ts";
import { SPAWN_IMAGE_BLOCK_BYTES, SpawnImage, STARTUP_NAME_MAX, STARTUP_STRINGS_MAX } from "../../abi/process.ts";
import { PAGE_SIZE, physToVirt, virtToPhys } from "../arch/x86_64/layout.ts";
import { lookupCap, lookupError } from "../cap/cap-table.ts";
import { accountChargeOutside, accountRefund } from "../cap/quota.ts";
import { allocContiguous, freeContiguous } from "../mm/frame-allocator.ts";
import { kernelFrames } from "../mm/mm.ts";
import { memoryFrame, MemoryKind, type MemoryRecord, memoryRecord } from "../object/memory.ts";
import { type Process, ProgramSource } from "../proc/process.ts";
import type { ProcCaps } from "../proc/proc-caps.ts";
import { copyFromUser, userRangeAccessible } from "../proc/user-copy.ts";
import { checkSpawn, readUserWord, SpawnRequest, spawnRequestFree, startChild } from "./cap-calls.ts";

/** Where the name and the strings go in the buffer's last page, after the image's pages. */
const STRINGS_AT = 256;

/** What checkImage found in the block, for copyImage: the memory object's record, the user pointers. */
class ImageArgs {
  rec: MemoryRecord | null = null;
  name = 0;
  strings = 0;
}

/**
 * spawn_image(params): starts a child from the memory object, name, strings and capabilities the
 * parameter block at `params` names (SpawnImage). Its pid, or a negated error: BadAddress for the
 * block, the handle array, the name, the strings or procOut; the memory capability's own errors
 * (it needs Read); InvalidArgument for a length of 0 or beyond the object, a device memory object,
 * a name of 0 or more than STARTUP_NAME_MAX bytes, strings beyond STARTUP_STRINGS_MAX or not in
 * the startup block's encoding; spawn_caps's errors for the rest (QuotaExceeded when the quota
 * covers neither the child's nor the copy of the image); BadExecutable for an image the loader
 * refuses, NoMemory when memory runs out.
 */
export function sysSpawnImage(p: Process, pc: ProcCaps, params: number): number {
  if (params % 8 !== 0 || !userRangeAccessible(p.space!, params, SPAWN_IMAGE_BLOCK_BYTES, false)) return -ErrorCode.BadAddress;
  const req = new SpawnRequest();
  req.handles = readUserWord(p, params + SpawnImage.Handles);
  req.count = readUserWord(p, params + SpawnImage.Count);
  req.quota = readUserWord(p, params + SpawnImage.Quota);
  req.exitNotify = readUserWord(p, params + SpawnImage.ExitNotify);
  req.procOut = readUserWord(p, params + SpawnImage.ProcessOut);
  let r = checkSpawn(p, pc, req);
  const src = new ProgramSource();
  const args = new ImageArgs();
  if (r === 0) r = checkImage(p, pc, params, src, args);
  if (r === 0) {
    r = copyImage(p, pc, args, src);
    if (r === 0) r = startChild(p, pc, req, src);
    if (src.image !== 0) freeBuffer(pc, src);
  }
  release(args);
  release(src);
  spawnRequestFree(req);
  return r;
}

/** The memory object, the image length and the name and strings' lengths: 0 or a negated error. */
function checkImage(p: Process, pc: ProcCaps, params: number, src: ProgramSource, args: ImageArgs): number {
  const mem = readUserWord(p, params + SpawnImage.Memory);
  const e = lookupError(pc.table, mem, ObjectType.MemoryObject, Right.Read);
  if (e !== ErrorCode.Ok) return -e;
  const rec = memoryRecord(lookupCap(pc.table, mem).object.index)!;
  // Device memory is registers and framebuffers: reading it is not without effects, and it is no image.
  if (rec.kind === MemoryKind.Device) return -ErrorCode.InvalidArgument;
  src.length = readUserWord(p, params + SpawnImage.Length);
  src.nameLength = readUserWord(p, params + SpawnImage.NameLength);
  src.argCount = readUserWord(p, params + SpawnImage.ArgCount);
  src.stringsLength = readUserWord(p, params + SpawnImage.StringsLength);
  if (src.length <= 0 || src.length > rec.pages * PAGE_SIZE) return -ErrorCode.InvalidArgument;
  if (src.nameLength <= 0 || src.nameLength > STARTUP_NAME_MAX) return -ErrorCode.InvalidArgument;
  if (src.stringsLength < 0 || src.stringsLength > STARTUP_STRINGS_MAX || src.argCount < 0) return -ErrorCode.InvalidArgument;
  args.rec = rec;
  args.name = readUserWord(p, params + SpawnImage.Name);
  args.strings = readUserWord(p, params + SpawnImage.Strings);
  if (!userRangeAccessible(p.space!, args.name, src.nameLength, false)) return -ErrorCode.BadAddress;
  if (!userRangeAccessible(p.space!, args.strings, src.stringsLength, false)) return -ErrorCode.BadAddress;
  return 0;
}

/** Pages of the buffer for an image of `length` bytes: the image's, then one for the name and strings. */
function bufferPages(length: number): number {
  return Math.floor((length + PAGE_SIZE - 1) / PAGE_SIZE) + 1;
}

/**
 * Copies the image, the name and the strings into a contiguous buffer charged to the caller
 * (src.image, src.name, src.strings point into it) and checks the strings' encoding: 0, or
 * QuotaExceeded, NoMemory (no contiguous run of frames), InvalidArgument (the encoding).
 */
function copyImage(p: Process, pc: ProcCaps, args: ImageArgs, src: ProgramSource): number {
  const pages = bufferPages(src.length);
  if (accountChargeOutside(pc.account, pages * PAGE_SIZE) !== ErrorCode.Ok) return -ErrorCode.QuotaExceeded;
  const phys = allocContiguous(kernelFrames(), pages, 1);
  if (phys < 0) {
    accountRefund(pc.account, pages * PAGE_SIZE);
    return -ErrorCode.NoMemory;
  }
  src.image = physToVirt(phys);
  const rec = args.rec!;
  for (let i = 0; i < pages - 1; i++) {
    const from = physToVirt(memoryFrame(rec, i));
    const to = src.image + i * PAGE_SIZE;
    for (let off = 0; off < PAGE_SIZE; off += 8) store64(to + off, load64(from + off));
  }
  src.name = src.image + (pages - 1) * PAGE_SIZE;
  src.strings = src.name + STRINGS_AT;
  // Both ranges were checked readable, and nothing runs between the check and the copy.
  copyFromUser(p.space!, src.name, args.name, src.nameLength);
  copyFromUser(p.space!, src.strings, args.strings, src.stringsLength);
  src.envCount = countEnvironment(src.strings, src.stringsLength, src.argCount);
  return src.envCount < 0 ? -ErrorCode.InvalidArgument : 0;
}

/**
 * The environment entries of `len` bytes of strings at kernel `at` that start with `argc`
 * arguments, or -1 when they do not follow the encoding: every string ends in a NUL (so the last
 * byte is one), there are at least `argc` of them, and each one after them holds a '='.
 */
function countEnvironment(at: number, len: number, argc: number): number {
  if (len > 0 && load8(at + len - 1) !== 0) return -1;
  let strings = 0;
  let equals = false;
  for (let i = 0; i < len; i++) {
    const b = load8(at + i);
    if (b === 0x3d) equals = true;
    if (b !== 0) continue;
    if (strings >= argc && !equals) return -1;
    strings++;
    equals = false;
  }
  return strings < argc ? -1 : strings - argc;
}

/** Gives the buffer's frames back and refunds their charge. */
function freeBuffer(pc: ProcCaps, src: ProgramSource): void {
  const pages = bufferPages(src.length);
  freeContiguous(kernelFrames(), virtToPhys(src.image), pages);
  accountRefund(pc.account, pages * PAGE_SIZE);
}
