// Turns a validated ElfImage into a load plan: the page-aligned mappings of a new user address
// space, what to copy into each from the file and what to zero, the stack, and the initial
// registers. The plan is plain data; executing it (allocating frames, mapping, copying) is done
// by the address-space code (see ./execute.ts for the kernel's executor).
// See docs/elf-loader.md for the user address-space layout assumed here.
import { release } from "../../lang/core.ts";
import { PAGE_SIZE, USER_TOP } from "../arch/x86_64/layout.ts";
import { ElfError, ElfImage, MAX_LOAD_SEGMENTS, SegmentFlag } from "./elf.ts";
import { STARTUP_BLOCK_BYTES } from "../../abi/process.ts";

/**
 * Permissions of a user mapping (x86 cannot deny reads, so a present user page is always
 * readable). The values are those of PageFlags in kernel/arch/x86_64/paging.ts, so plan flags go to `map`
 * unchanged.
 */
export const enum MapFlag {
  Writable = 1,
  User = 2,
  NoExecute = 4,
}

/**
 * Default stack: 64 KiB ending at 0x7fff_ffff_f000. The page above it, the last of the user
 * half, stays unmapped so no user address is ever adjacent to the non-canonical hole.
 */
export const DEFAULT_STACK_TOP = 0x7ffffffff000;
export const DEFAULT_STACK_SIZE = 0x10000;

/**
 * Bytes reserved at the top of the stack for the startup block whose address the entry gets in
 * rdi: the whole top page, which holds the program's arguments and environment as well.
 */
export const STARTUP_INFO_SIZE = STARTUP_BLOCK_BYTES;

/** One mapping per loadable segment plus the stack. */
export const MAX_MAPPINGS = MAX_LOAD_SEGMENTS + 1;

/**
 * Mapping i covers [virt[i], virt[i] + size[i]) (page-aligned) with flags[i]. Its contents are
 * copyLength[i] bytes from file offset fileOffset[i], placed at copyTo[i]; every other byte of the
 * mapping is zero: the head [virt, copyTo), and the tail [zeroFrom, virt + size), which holds the
 * .bss and the rest of the last page. The stack is the last mapping and copies nothing.
 */
export class LoadPlan {
  count = 0;
  virt: number[];
  size: number[];
  flags: number[];
  copyTo: number[];
  fileOffset: number[];
  copyLength: number[];
  zeroFrom: number[];
  /** Program header index each mapping comes from, -1 for the stack. */
  header: number[];

  /** Initial rip. */
  entry = 0;
  /** Initial rsp: 8 below a 16-byte boundary, as right after a call; [rsp] holds 0. */
  initialSp = 0;
  /** Initial rdi: the startup block at the top of the stack (STARTUP_INFO_SIZE bytes, zeroed). */
  startupInfo = 0;
  /** Stack [stackBase, stackTop), and the unmapped guard page [guardBase, stackBase). */
  stackTop = 0;
  stackBase = 0;
  guardBase = 0;
  /** Pages the plan maps, segments and stack. */
  pages = 0;

  constructor() {
    this.virt = new Array<number>(MAX_MAPPINGS).fill(0);
    this.size = new Array<number>(MAX_MAPPINGS).fill(0);
    this.flags = new Array<number>(MAX_MAPPINGS).fill(0);
    this.copyTo = new Array<number>(MAX_MAPPINGS).fill(0);
    this.fileOffset = new Array<number>(MAX_MAPPINGS).fill(0);
    this.copyLength = new Array<number>(MAX_MAPPINGS).fill(0);
    this.zeroFrom = new Array<number>(MAX_MAPPINGS).fill(0);
    this.header = new Array<number>(MAX_MAPPINGS).fill(0);
  }

  addMapping(virt: number, size: number, flags: number, copyTo: number, fileOffset: number, copyLength: number, zeroFrom: number, header: number): void {
    const i = this.count;
    this.virt[i] = virt;
    this.size[i] = size;
    this.flags[i] = flags;
    this.copyTo[i] = copyTo;
    this.fileOffset[i] = fileOffset;
    this.copyLength[i] = copyLength;
    this.zeroFrom[i] = zeroFrom;
    this.header[i] = header;
    this.count = i + 1;
    this.pages = this.pages + Math.floor(size / PAGE_SIZE);
  }

  /** Builds the mappings for `elf` into this plan (see buildLoadPlan). */
  fill(elf: ElfImage): void {
    this.count = 0;
    this.pages = 0;
    for (let i = 0; i < elf.count; i++) {
      const start = elf.pageStart(i);
      const vaddr = elf.vaddr[i]!;
      const filesz = elf.filesz[i]!;
      this.addMapping(start, elf.pageEnd(i) - start, segmentMapFlags(elf.flags[i]!), vaddr, elf.offset[i]!, filesz, vaddr + filesz, elf.header[i]!);
    }
  }
}

/** Frees a plan and the arrays it owns. */
export function freeLoadPlan(plan: LoadPlan): void {
  release(plan.virt);
  release(plan.size);
  release(plan.flags);
  release(plan.copyTo);
  release(plan.fileOffset);
  release(plan.copyLength);
  release(plan.zeroFrom);
  release(plan.header);
  release(plan);
}

/** Translates ELF p_flags into mapping flags: W gives Writable, the absence of X gives NoExecute. */
export function segmentMapFlags(pflags: number): number {
  let flags = MapFlag.User;
  if ((pflags & SegmentFlag.Write) !== 0) flags = flags | MapFlag.Writable;
  if ((pflags & SegmentFlag.Execute) === 0) flags = flags | MapFlag.NoExecute;
  return flags;
}

/** The stack size to give `elf`: what it asks for through PT_GNU_STACK, but never less than `minimum`. */
export function stackSizeFor(elf: ElfImage, minimum: number): number {
  return Math.max(elf.stackSize, minimum);
}

function isPageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

/**
 * Fills `plan` for the accepted image `elf`, with a stack of `stackSize` bytes ending at
 * `stackTop` and an unmapped guard page below it. Both must be page-aligned, the stack non-empty,
 * the guard above the null page and the top within the user half; no segment may share a page with
 * the stack or the guard. Returns ElfError.None, or the refusal (also recorded in `elf`).
 */
export function buildLoadPlan(elf: ElfImage, stackTop: number, stackSize: number, plan: LoadPlan): ElfError {
  plan.count = 0;
  if (elf.error !== ElfError.None) return elf.error;
  if (!isPageAligned(stackTop) || !isPageAligned(stackSize) || stackSize <= STARTUP_INFO_SIZE || stackTop > USER_TOP || stackTop - stackSize - PAGE_SIZE < PAGE_SIZE) {
    return elf.fail(ElfError.BadStackLayout, -1, BigInt(stackTop < 0 ? 0 : stackTop));
  }
  const stackBase = stackTop - stackSize;
  const guardBase = stackBase - PAGE_SIZE;
  for (let i = 0; i < elf.count; i++) {
    if (elf.pageStart(i) < stackTop && guardBase < elf.pageEnd(i)) {
      return elf.fail(ElfError.StackOverlapsSegment, elf.header[i]!, BigInt(elf.vaddr[i]!));
    }
  }
  plan.fill(elf);
  plan.entry = elf.entry;
  plan.stackTop = stackTop;
  plan.stackBase = stackBase;
  plan.guardBase = guardBase;
  plan.startupInfo = stackTop - STARTUP_INFO_SIZE;
  plan.initialSp = plan.startupInfo - 8;
  plan.addMapping(stackBase, stackSize, MapFlag.User | MapFlag.Writable | MapFlag.NoExecute, stackBase, 0, 0, stackBase, -1);
  return ElfError.None;
}
