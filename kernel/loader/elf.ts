// ELF64 parser and validator for static user executables (boot modules, programs).
//
// The image is untrusted: every field is read through the memory accessors, every 64-bit quantity
// is compared as a bigint before it is turned into a number, and every offset is checked against
// the image length before it is used, so a hostile or corrupt file can only produce an ElfError.
// Nothing here panics or allocates: the caller owns the ElfImage and reuses it.
// See docs/elf-loader.md for what is accepted and why.
import { release } from "../../lang/core.ts";
import { load8, load16, load32, load64 } from "../../lang/mem.ts";
import { PAGE_SIZE, USER_TOP } from "../arch/x86_64/layout.ts";

/** Why an image was refused. Each value is one distinct reason; None means accepted. */
export const enum ElfError {
  None = 0,
  Truncated = 1,
  BadMagic = 2,
  NotElf64 = 3,
  NotLittleEndian = 4,
  BadVersion = 5,
  BadOsAbi = 6,
  NotExecutable = 7,
  PositionIndependent = 8,
  WrongMachine = 9,
  BadHeaderSize = 10,
  BadProgramHeaderSize = 11,
  TooManyProgramHeaders = 12,
  ProgramHeadersOutsideFile = 13,
  InterpreterRequested = 14,
  DynamicSection = 15,
  ThreadLocalStorage = 16,
  ExecutableStack = 17,
  SegmentOutsideFile = 18,
  FileSizeExceedsMemorySize = 19,
  BadAlignment = 20,
  MisalignedSegment = 21,
  SegmentAddressOverflow = 22,
  SegmentInKernelHalf = 23,
  SegmentCrossesUserTop = 24,
  SegmentInNullPage = 25,
  WritableAndExecutable = 26,
  TooManySegments = 27,
  NoLoadSegment = 28,
  SegmentsOverlap = 29,
  ImageTooLarge = 30,
  EntryOutsideSegments = 31,
  EntryNotExecutable = 32,
  BadStackLayout = 33,
  StackOverlapsSegment = 34,
  StackTooLarge = 35,
  SegmentInLastPage = 36,
}

/** Number of ElfError values, for tables indexed by code. */
export const ELF_ERROR_COUNT = 37;

// Identification and header constants (System V gABI, x86-64 psABI).
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
const ELFOSABI_SYSV = 0;
const ELFOSABI_GNU = 3;
const ET_EXEC = 2;
const ET_DYN = 3;
const EM_X86_64 = 62;

/** Program header types the loader acts on; every other type is ignored. */
export const enum SegmentType {
  Load = 1,
  Dynamic = 2,
  Interp = 3,
  Tls = 7,
  GnuStack = 0x6474e551,
}

/** Program header permission bits (p_flags). */
export const enum SegmentFlag {
  Execute = 1,
  Write = 2,
  Read = 4,
}

/** Bounds on what one image may contain; real static executables have 2 to 5 PT_LOADs. */
export const MAX_PROGRAM_HEADERS = 64;
export const MAX_LOAD_SEGMENTS = 16;
/** Largest stack a program may ask for through PT_GNU_STACK's p_memsz (ld -z stack-size=N). */
export const MAX_STACK_SIZE = 0x1000000;

const U64_MAX = 0xffffffffffffffffn;
const USER_TOP_BIG = BigInt(USER_TOP);
const PAGE_BIG = BigInt(PAGE_SIZE);
/**
 * Segments end at or below the last user page, which is never mapped: no user address is next to
 * the non-canonical hole (docs/elf-loader.md, "User address-space layout").
 */
const USER_SEGMENT_TOP_BIG = BigInt(USER_TOP - PAGE_SIZE);

/**
 * A parsed image: on success the PT_LOAD segments (in program header order, empty ones left out)
 * and the entry point; on failure the error and the details needed to explain it.
 */
export class ElfImage {
  error: ElfError = ElfError.None;
  /** Program header index the error is about, -1 when it concerns the whole file. */
  segment = -1;
  /** Second program header of a SegmentsOverlap, -1 otherwise. */
  other = -1;
  /**
   * The offending value: for a segment error the segment's p_vaddr, for an entry error the entry
   * point, for an overlap the first shared page, otherwise the header field at fault.
   */
  value = 0n;

  entry = 0;
  /** Number of PT_LOAD segments kept (memory size > 0). */
  count = 0;
  /** Page-rounded bytes of memory the segments occupy. */
  memoryBytes = 0;
  /** Stack size the program asks for (PT_GNU_STACK p_memsz, page-rounded), 0 when it does not say. */
  stackSize = 0;
  /** For each kept segment: its program header index and its fields. */
  header: number[];
  vaddr: number[];
  memsz: number[];
  offset: number[];
  filesz: number[];
  flags: number[];

  constructor() {
    this.header = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
    this.vaddr = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
    this.memsz = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
    this.offset = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
    this.filesz = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
    this.flags = new Array<number>(MAX_LOAD_SEGMENTS).fill(0);
  }

  /** Clears the result of an earlier parse. */
  reset(): void {
    this.error = ElfError.None;
    this.segment = -1;
    this.other = -1;
    this.value = 0n;
    this.entry = 0;
    this.count = 0;
    this.memoryBytes = 0;
    this.stackSize = 0;
  }

  /** Records a refusal and returns it, so validators can `return elf.fail(...)`. */
  fail(error: ElfError, segment: number, value: bigint): ElfError {
    this.error = error;
    this.segment = segment;
    this.value = value;
    return error;
  }

  /** First address of segment i's first page. */
  pageStart(i: number): number {
    return Math.floor(this.vaddr[i]! / PAGE_SIZE) * PAGE_SIZE;
  }

  /** First address after segment i's last page. */
  pageEnd(i: number): number {
    return Math.floor((this.vaddr[i]! + this.memsz[i]! + PAGE_SIZE - 1) / PAGE_SIZE) * PAGE_SIZE;
  }
}

/** Frees an image and the arrays it owns. */
export function freeElfImage(elf: ElfImage): void {
  release(elf.header);
  release(elf.vaddr);
  release(elf.memsz);
  release(elf.offset);
  release(elf.filesz);
  release(elf.flags);
  release(elf);
}

/**
 * Parses and validates the ELF image of `length` bytes at address `image`. `maxMemory` bounds the
 * page-rounded memory its segments may occupy. Returns ElfError.None and fills `out` when the
 * image is acceptable; otherwise returns the first problem found (also stored in `out`).
 */
export function parseElf(image: number, length: number, maxMemory: number, out: ElfImage): ElfError {
  out.reset();
  const header = checkHeader(image, length, out);
  if (header !== ElfError.None) return header;

  const phoff = Number(load64(image + 32));
  const phnum = load16(image + 56);
  for (let i = 0; i < phnum; i++) {
    const e = checkProgramHeader(image, length, image + phoff + i * PHDR_SIZE, i, out);
    if (e !== ElfError.None) return e;
  }
  if (out.count === 0) return out.fail(ElfError.NoLoadSegment, -1, BigInt(phnum));
  const overlap = checkOverlaps(out);
  if (overlap !== ElfError.None) return overlap;
  if (out.memoryBytes > maxMemory) return out.fail(ElfError.ImageTooLarge, -1, BigInt(out.memoryBytes));
  return checkEntry(load64(image + 24), out);
}

function checkHeader(image: number, length: number, out: ElfImage): ElfError {
  if (length < EHDR_SIZE) return out.fail(ElfError.Truncated, -1, BigInt(length < 0 ? 0 : length));
  if (load8(image) !== 0x7f || load8(image + 1) !== 0x45 || load8(image + 2) !== 0x4c || load8(image + 3) !== 0x46) {
    return out.fail(ElfError.BadMagic, -1, BigInt(load32(image)));
  }
  const elfClass = load8(image + 4);
  if (elfClass !== ELFCLASS64) return out.fail(ElfError.NotElf64, -1, BigInt(elfClass));
  const data = load8(image + 5);
  if (data !== ELFDATA2LSB) return out.fail(ElfError.NotLittleEndian, -1, BigInt(data));
  const identVersion = load8(image + 6);
  if (identVersion !== EV_CURRENT) return out.fail(ElfError.BadVersion, -1, BigInt(identVersion));
  const abi = load8(image + 7);
  if (abi !== ELFOSABI_SYSV && abi !== ELFOSABI_GNU) return out.fail(ElfError.BadOsAbi, -1, BigInt(abi));
  const type = load16(image + 16);
  if (type === ET_DYN) return out.fail(ElfError.PositionIndependent, -1, BigInt(type));
  if (type !== ET_EXEC) return out.fail(ElfError.NotExecutable, -1, BigInt(type));
  const machine = load16(image + 18);
  if (machine !== EM_X86_64) return out.fail(ElfError.WrongMachine, -1, BigInt(machine));
  const version = load32(image + 20);
  if (version !== EV_CURRENT) return out.fail(ElfError.BadVersion, -1, BigInt(version));
  const ehsize = load16(image + 52);
  if (ehsize !== EHDR_SIZE) return out.fail(ElfError.BadHeaderSize, -1, BigInt(ehsize));
  const phentsize = load16(image + 54);
  if (phentsize !== PHDR_SIZE) return out.fail(ElfError.BadProgramHeaderSize, -1, BigInt(phentsize));
  const phnum = load16(image + 56);
  if (phnum > MAX_PROGRAM_HEADERS) return out.fail(ElfError.TooManyProgramHeaders, -1, BigInt(phnum));
  // The table must lie inside the file: phoff + phnum * 56 <= length, written so nothing wraps.
  const phoff = load64(image + 32);
  const len = BigInt(length);
  const tableBytes = BigInt(phnum * PHDR_SIZE);
  if (phoff > len || tableBytes > BigInt.asUintN(64, len - phoff)) {
    return out.fail(ElfError.ProgramHeadersOutsideFile, -1, phoff);
  }
  return ElfError.None;
}

function checkProgramHeader(image: number, length: number, ph: number, index: number, out: ElfImage): ElfError {
  const type = load32(ph);
  const flags = load32(ph + 4);
  switch (type) {
    case SegmentType.Load:
      return checkLoad(length, ph, index, flags, out);
    case SegmentType.Interp:
      return out.fail(ElfError.InterpreterRequested, index, load64(ph + 16));
    case SegmentType.Dynamic:
      return out.fail(ElfError.DynamicSection, index, load64(ph + 16));
    case SegmentType.Tls:
      return out.fail(ElfError.ThreadLocalStorage, index, load64(ph + 16));
    case SegmentType.GnuStack:
      return checkStack(ph, index, flags, out);
    default:
      // Notes, PT_PHDR, PT_GNU_RELRO, PT_GNU_PROPERTY and the like need nothing from a static loader.
      return ElfError.None;
  }
}

function checkLoad(length: number, ph: number, index: number, flags: number, out: ElfImage): ElfError {
  const offset = load64(ph + 8);
  const vaddr = load64(ph + 16);
  const filesz = load64(ph + 32);
  const memsz = load64(ph + 40);
  const align = load64(ph + 48);
  const len = BigInt(length);

  if (offset > len || filesz > BigInt.asUintN(64, len - offset)) {
    return out.fail(ElfError.SegmentOutsideFile, index, vaddr);
  }
  if (filesz > memsz) return out.fail(ElfError.FileSizeExceedsMemorySize, index, vaddr);
  // A zero-sized segment maps nothing; ld never emits one, but it is harmless.
  if (memsz === 0n) return ElfError.None;

  if (align > 1n && (align & BigInt.asUintN(64, align - 1n)) !== 0n) {
    return out.fail(ElfError.BadAlignment, index, vaddr);
  }
  // Page congruence keeps file pages mappable in place; p_align congruence is what the linker promised.
  if (vaddr % PAGE_BIG !== offset % PAGE_BIG || (align > 1n && vaddr % align !== offset % align)) {
    return out.fail(ElfError.MisalignedSegment, index, vaddr);
  }
  if (memsz > BigInt.asUintN(64, U64_MAX - vaddr)) return out.fail(ElfError.SegmentAddressOverflow, index, vaddr);
  if (vaddr >= USER_TOP_BIG) return out.fail(ElfError.SegmentInKernelHalf, index, vaddr);
  if (memsz > BigInt.asUintN(64, USER_TOP_BIG - vaddr)) return out.fail(ElfError.SegmentCrossesUserTop, index, vaddr);
  // Both below 2^47 now, so the sum does not wrap.
  if (BigInt.asUintN(64, vaddr + memsz) > USER_SEGMENT_TOP_BIG) return out.fail(ElfError.SegmentInLastPage, index, vaddr);
  if (vaddr < PAGE_BIG) return out.fail(ElfError.SegmentInNullPage, index, vaddr);
  if ((flags & SegmentFlag.Write) !== 0 && (flags & SegmentFlag.Execute) !== 0) {
    return out.fail(ElfError.WritableAndExecutable, index, vaddr);
  }
  if (out.count >= MAX_LOAD_SEGMENTS) return out.fail(ElfError.TooManySegments, index, vaddr);

  // Everything is now below 2^47, so exact as a number.
  const i = out.count;
  out.header[i] = index;
  out.vaddr[i] = Number(vaddr);
  out.memsz[i] = Number(memsz);
  out.offset[i] = Number(offset);
  out.filesz[i] = Number(filesz);
  out.flags[i] = flags & (SegmentFlag.Read | SegmentFlag.Write | SegmentFlag.Execute);
  out.count = i + 1;
  out.memoryBytes = out.memoryBytes + out.pageEnd(i) - out.pageStart(i);
  return ElfError.None;
}

/** PT_GNU_STACK: the stack is never executable; its p_memsz, when set, is the size wanted. */
function checkStack(ph: number, index: number, flags: number, out: ElfImage): ElfError {
  if ((flags & SegmentFlag.Execute) !== 0) return out.fail(ElfError.ExecutableStack, index, load64(ph + 16));
  const size = load64(ph + 40);
  if (size > BigInt(MAX_STACK_SIZE)) return out.fail(ElfError.StackTooLarge, index, load64(ph + 16));
  out.stackSize = Math.floor((Number(size) + PAGE_SIZE - 1) / PAGE_SIZE) * PAGE_SIZE;
  return ElfError.None;
}

/** Segments are mapped page by page, so two that share a page would fight over its permissions. */
function checkOverlaps(out: ElfImage): ElfError {
  for (let i = 0; i < out.count; i++) {
    for (let j = i + 1; j < out.count; j++) {
      const start = Math.max(out.pageStart(i), out.pageStart(j));
      if (start < Math.min(out.pageEnd(i), out.pageEnd(j))) {
        out.other = out.header[j]!;
        return out.fail(ElfError.SegmentsOverlap, out.header[i]!, BigInt(start));
      }
    }
  }
  return ElfError.None;
}

function checkEntry(entry: bigint, out: ElfImage): ElfError {
  if (entry < USER_TOP_BIG) {
    const e = Number(entry);
    for (let i = 0; i < out.count; i++) {
      if (e >= out.vaddr[i]! && e < out.vaddr[i]! + out.memsz[i]!) {
        if ((out.flags[i]! & SegmentFlag.Execute) === 0) {
          return out.fail(ElfError.EntryNotExecutable, out.header[i]!, entry);
        }
        out.entry = e;
        return ElfError.None;
      }
    }
  }
  return out.fail(ElfError.EntryOutsideSegments, -1, entry);
}

/** A short description of each error, for logs. */
export function elfErrorText(error: ElfError): string {
  switch (error) {
    case ElfError.None: return "accepted";
    case ElfError.Truncated: return "is shorter than an ELF header";
    case ElfError.BadMagic: return "is not an ELF file (bad magic)";
    case ElfError.NotElf64: return "is not a 64-bit ELF file";
    case ElfError.NotLittleEndian: return "is not little-endian";
    case ElfError.BadVersion: return "has an unknown ELF version";
    case ElfError.BadOsAbi: return "targets an OS ABI other than System V or GNU";
    case ElfError.NotExecutable: return "is not an executable (e_type is not ET_EXEC)";
    case ElfError.PositionIndependent: return "is position-independent (ET_DYN); link with -no-pie";
    case ElfError.WrongMachine: return "is not for x86-64";
    case ElfError.BadHeaderSize: return "has an ELF header size other than 64";
    case ElfError.BadProgramHeaderSize: return "has a program header size other than 56";
    case ElfError.TooManyProgramHeaders: return "has too many program headers";
    case ElfError.ProgramHeadersOutsideFile: return "has its program header table outside the file";
    case ElfError.InterpreterRequested: return "requests an interpreter (dynamic linking is not supported)";
    case ElfError.DynamicSection: return "has a dynamic section (dynamic linking is not supported)";
    case ElfError.ThreadLocalStorage: return "uses thread-local storage (PT_TLS is not supported)";
    case ElfError.ExecutableStack: return "asks for an executable stack";
    case ElfError.SegmentOutsideFile: return "has file contents past the end of the file";
    case ElfError.FileSizeExceedsMemorySize: return "has a file size larger than its memory size";
    case ElfError.BadAlignment: return "has an alignment that is not a power of two";
    case ElfError.MisalignedSegment: return "has an address not congruent to its file offset";
    case ElfError.SegmentAddressOverflow: return "wraps around the end of the address space";
    case ElfError.SegmentInKernelHalf: return "lies in the kernel half";
    case ElfError.SegmentCrossesUserTop: return "extends past the top of the user half";
    case ElfError.SegmentInNullPage: return "lies in the null page";
    case ElfError.WritableAndExecutable: return "is both writable and executable";
    case ElfError.TooManySegments: return "is one loadable segment too many";
    case ElfError.NoLoadSegment: return "has no loadable segment";
    case ElfError.SegmentsOverlap: return "shares a page with another segment";
    case ElfError.ImageTooLarge: return "needs more memory than allowed";
    case ElfError.EntryOutsideSegments: return "has its entry point outside every segment";
    case ElfError.EntryNotExecutable: return "has its entry point in a non-executable segment";
    case ElfError.BadStackLayout: return "cannot get the requested stack (bad top or size)";
    case ElfError.StackOverlapsSegment: return "overlaps the stack or its guard page";
    case ElfError.StackTooLarge: return "asks for a stack larger than 16 MiB";
    case ElfError.SegmentInLastPage: return "reaches the last user page, which is never mapped";
  }
  return "has an unknown problem";
}

/**
 * Logs why the module `name` was refused, one line, e.g.
 * `elf: init: segment 2 at 0xffff800000000000 lies in the kernel half`.
 */
export function logElfError(name: string, elf: ElfImage): void {
  const text = elfErrorText(elf.error);
  if (elf.error === ElfError.SegmentsOverlap) {
    console.log(`elf: ${name}: segment ${elf.segment} ${text} (segment ${elf.other}, page 0x${elf.value.toString(16)})`);
  } else if (elf.error === ElfError.EntryNotExecutable) {
    console.log(`elf: ${name}: entry point 0x${elf.value.toString(16)} ${text} (segment ${elf.segment})`);
  } else if (elf.error === ElfError.EntryOutsideSegments) {
    console.log(`elf: ${name}: entry point 0x${elf.value.toString(16)} ${text}`);
  } else if (elf.segment >= 0) {
    console.log(`elf: ${name}: segment ${elf.segment} at 0x${elf.value.toString(16)} ${text}`);
  } else {
    console.log(`elf: ${name}: file ${text} (0x${elf.value.toString(16)})`);
  }
}
