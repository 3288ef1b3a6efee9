// The ELF parser against real executables built by gcc/ld, and against malformed variants derived
// from them byte by byte, each of which must be refused with one exact error code.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ElfError, ELF_ERROR_COUNT, SegmentFlag, elfErrorText, logElfError } from "../../../kernel/loader/elf.ts";
import {
  FIXTURE_NAMES,
  ERROR_NAMES,
  Mutable,
  REFUSED_FIXTURE_NAMES,
  errorName,
  fixtureBytes,
  fixturePath,
  parseBytes,
  readelfEntry,
  readelfLoads,
  withAppendedHeaders,
} from "./elf-fixtures.ts";

const PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;

let dataBss: Uint8Array;
beforeAll(() => {
  for (const name of [...FIXTURE_NAMES, ...REFUSED_FIXTURE_NAMES]) fixturePath(name);
  dataBss = fixtureBytes("data-bss");
});

function expectError(bytes: Uint8Array, error: ElfError, segment = -1, limit?: number) {
  const elf = limit === undefined ? parseBytes(bytes) : parseBytes(bytes, limit);
  expect(errorName(elf.error)).toBe(errorName(error));
  expect(elf.segment).toBe(segment);
  return elf;
}

function flagString(f: number): string {
  return `${f & SegmentFlag.Read ? "R" : ""}${f & SegmentFlag.Write ? "W" : ""}${f & SegmentFlag.Execute ? "E" : ""}`;
}

describe("accepted executables", () => {
  it.each(FIXTURE_NAMES)("%s: segments and entry match readelf", (name) => {
    const path = fixturePath(name);
    const elf = parseBytes(fixtureBytes(name));
    expect(errorName(elf.error)).toBe("None");
    const loads = readelfLoads(path).filter((l) => l.memsz > 0);
    expect(loads.length).toBeGreaterThan(0);
    expect(elf.count).toBe(loads.length);
    let pages = 0;
    loads.forEach((l, i) => {
      expect(elf.header[i]).toBe(l.index);
      expect(elf.vaddr[i]).toBe(l.vaddr);
      expect(elf.memsz[i]).toBe(l.memsz);
      expect(elf.offset[i]).toBe(l.offset);
      expect(elf.filesz[i]).toBe(l.filesz);
      expect(flagString(elf.flags[i]!)).toBe(l.flags);
      pages += Math.ceil((l.vaddr + l.memsz) / 4096) - Math.floor(l.vaddr / 4096);
    });
    expect(elf.memoryBytes).toBe(pages * 4096);
    expect(elf.entry).toBe(readelfEntry(path));
  });

  it("data-bss has a segment whose memory size exceeds its file size", () => {
    const loads = readelfLoads(fixturePath("data-bss"));
    const rw = loads.filter((l) => l.flags === "RW");
    expect(rw.length).toBe(1);
    expect(rw[0]!.memsz).toBeGreaterThan(rw[0]!.filesz + 4096);
  });

  it("accepts the GNU OS ABI", () => {
    expect(parseBytes(new Mutable(dataBss).u8(7, 3).bytes).error).toBe(ElfError.None);
  });

  it("ignores a zero-sized PT_LOAD", () => {
    const m = new Mutable(dataBss);
    const note = m.find(PT_NOTE);
    m.type(note, PT_LOAD).memsz(note, 0n).filesz(note, 0n);
    const elf = parseBytes(m.bytes);
    expect(elf.error).toBe(ElfError.None);
    expect(elf.count).toBe(4);
  });

  it("accepts a p_align larger than a page when addresses agree with it", () => {
    const m = new Mutable(dataBss);
    m.align(3, 0x200000n);
    expect(parseBytes(m.bytes).error).toBe(ElfError.None);
  });

  it("accepts a non-executable PT_GNU_STACK and its absence", () => {
    const m = new Mutable(dataBss);
    expect(m.find(PT_GNU_STACK)).toBe(5);
    expect(parseBytes(m.bytes).error).toBe(ElfError.None);
    m.type(5, PT_NULL);
    expect(parseBytes(m.bytes).error).toBe(ElfError.None);
  });

  it("reads the stack size a program asks for through PT_GNU_STACK", () => {
    expect(parseBytes(fixtureBytes("big-stack")).stackSize).toBe(0x40000);
    expect(parseBytes(dataBss).stackSize).toBe(0);
    expect(parseBytes(fixtureBytes("minimal")).stackSize).toBe(0);
    // Rounded up to whole pages; 16 MiB is the most a program can ask for.
    expect(parseBytes(new Mutable(dataBss).memsz(5, 0x1001n).bytes).stackSize).toBe(0x2000);
    expect(parseBytes(new Mutable(dataBss).memsz(5, 0x1000000n).bytes).stackSize).toBe(0x1000000);
  });

  it("enforces the memory limit at exactly the page-rounded size", () => {
    const elf = parseBytes(dataBss);
    expect(parseBytes(dataBss, elf.memoryBytes).error).toBe(ElfError.None);
    expectError(dataBss, ElfError.ImageTooLarge, -1, elf.memoryBytes - 1);
  });
});

describe("executables the linker produced but Keel refuses", () => {
  it("thread-local storage", () => {
    const m = new Mutable(fixtureBytes("tls"));
    expectError(m.bytes, ElfError.ThreadLocalStorage, m.find(PT_TLS));
  });
  it("linked with -z execstack", () => {
    const m = new Mutable(fixtureBytes("execstack"));
    expectError(m.bytes, ElfError.ExecutableStack, m.find(PT_GNU_STACK));
  });
  it("linked with -N (one RWX segment)", () => {
    const m = new Mutable(fixtureBytes("omagic"));
    expectError(m.bytes, ElfError.WritableAndExecutable, m.find(PT_LOAD));
  });
  it("static-PIE", () => expectError(fixtureBytes("static-pie"), ElfError.PositionIndependent));
});

describe("malformed executables", () => {
  it("truncated inside the ELF header", () => {
    for (const n of [0, 1, 4, 16, 63]) expectError(dataBss.slice(0, n), ElfError.Truncated);
  });

  it("truncated inside the program header table", () => {
    const m = new Mutable(dataBss);
    for (const n of [64, m.phoff + 56, m.phoff + m.phnum * 56 - 1]) {
      expectError(dataBss.slice(0, n), ElfError.ProgramHeadersOutsideFile);
    }
    expect(parseBytes(dataBss.slice(0, m.phoff + m.phnum * 56)).error).not.toBe(ElfError.ProgramHeadersOutsideFile);
  });

  it("truncated inside a segment's file contents", () => {
    const m = new Mutable(dataBss);
    for (const seg of [1, 3]) {
      const end = Number(m.getOffset(seg) + m.getFilesz(seg));
      expectError(dataBss.slice(0, end - 1), ElfError.SegmentOutsideFile, seg);
    }
  });

  it("bad magic", () => {
    for (let i = 0; i < 4; i++) expectError(new Mutable(dataBss).u8(i, dataBss[i]! ^ 0x20).bytes, ElfError.BadMagic);
  });

  it("32-bit class", () => expectError(new Mutable(dataBss).u8(4, 1).bytes, ElfError.NotElf64));
  it("big-endian", () => expectError(new Mutable(dataBss).u8(5, 2).bytes, ElfError.NotLittleEndian));
  it("unknown identification version", () => expectError(new Mutable(dataBss).u8(6, 0).bytes, ElfError.BadVersion));
  it("unknown e_version", () => expectError(new Mutable(dataBss).u32(20, 2).bytes, ElfError.BadVersion));
  it("foreign OS ABI", () => expectError(new Mutable(dataBss).u8(7, 9).bytes, ElfError.BadOsAbi));
  it("relocatable object (ET_REL)", () => expectError(new Mutable(dataBss).u16(16, 1).bytes, ElfError.NotExecutable));
  it("core file (ET_CORE)", () => expectError(new Mutable(dataBss).u16(16, 4).bytes, ElfError.NotExecutable));
  it("static-PIE or shared object (ET_DYN)", () => expectError(new Mutable(dataBss).u16(16, 3).bytes, ElfError.PositionIndependent));
  it("wrong machine", () => expectError(new Mutable(dataBss).u16(18, 3).bytes, ElfError.WrongMachine));
  it("wrong ELF header size", () => expectError(new Mutable(dataBss).u16(52, 52).bytes, ElfError.BadHeaderSize));
  it("wrong program header size", () => expectError(new Mutable(dataBss).u16(54, 32).bytes, ElfError.BadProgramHeaderSize));
  it("phnum overflow (PN_XNUM)", () => expectError(new Mutable(dataBss).u16(56, 0xffff).bytes, ElfError.TooManyProgramHeaders));
  it("phnum one above the limit", () => expectError(new Mutable(dataBss).u16(56, 65).bytes, ElfError.TooManyProgramHeaders));

  it("phnum within the limit but its table past the end of the file", () => {
    const short = dataBss.slice(0, 1000);
    expectError(short, ElfError.SegmentOutsideFile, 1);
    expectError(new Mutable(short).u16(56, 64).bytes, ElfError.ProgramHeadersOutsideFile);
  });

  it("phoff past the end, and phoff + table wrapping 64 bits", () => {
    expectError(new Mutable(dataBss).u64(32, BigInt(dataBss.length)).bytes, ElfError.ProgramHeadersOutsideFile);
    expectError(new Mutable(dataBss).u64(32, 0xffffffffffffffc0n).bytes, ElfError.ProgramHeadersOutsideFile);
  });

  it("no program headers at all", () => expectError(new Mutable(dataBss).u16(56, 0).bytes, ElfError.NoLoadSegment));

  it("no PT_LOAD", () => {
    const m = new Mutable(dataBss);
    for (let i = 0; i < 4; i++) m.type(m.find(PT_LOAD), PT_NULL);
    expectError(m.bytes, ElfError.NoLoadSegment);
  });

  it("segments overlapping in the same page", () => {
    // rodata moved into the page of text, keeping vaddr and offset congruent.
    const m = new Mutable(dataBss).vaddr(2, 0x401800n).offset(2, 0x2800n);
    const elf = expectError(m.bytes, ElfError.SegmentsOverlap, 1);
    expect(elf.other).toBe(2);
    expect(elf.value).toBe(0x401000n);
  });

  it("segments overlapping byte-wise", () => {
    const m = new Mutable(dataBss).vaddr(3, 0x400000n).offset(3, 0n).filesz(3, 0x10n);
    const elf = expectError(m.bytes, ElfError.SegmentsOverlap, 0);
    expect(elf.other).toBe(3);
  });

  it("segment in the kernel half", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0xffff800000003000n).bytes, ElfError.SegmentInKernelHalf, 3);
    expectError(new Mutable(dataBss).vaddr(1, 0xffffffff80001000n).bytes, ElfError.SegmentInKernelHalf, 1);
  });

  it("segment at a non-canonical address", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0x0000800000003000n).bytes, ElfError.SegmentInKernelHalf, 3);
  });

  it("segment crossing the top of the user half", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0x7ffffffff000n).bytes, ElfError.SegmentCrossesUserTop, 3);
  });

  // Found by elf-fuzz.test.ts: a segment inside the last user page was accepted and the plan
  // mapped that page, which the layout keeps unmapped (it is next to the non-canonical hole).
  it("segment in the last user page", () => {
    const off = new Mutable(dataBss).getOffset(3) % 0x1000n;
    expectError(new Mutable(dataBss).vaddr(3, 0x7ffffffff000n + off).memsz(3, 0x44n).bytes, ElfError.SegmentInLastPage, 3);
    expectError(new Mutable(dataBss).offset(0, 0n).vaddr(0, 0x7ffffffff000n).bytes, ElfError.SegmentInLastPage, 0);
    // Ending exactly where the last page begins is accepted (the default stack is there, but a
    // process may put its stack elsewhere).
    const m = new Mutable(dataBss).vaddr(3, 0x7fffffffe000n + off).memsz(3, 0x1000n - off);
    expect(errorName(parseBytes(m.bytes).error)).toBe("None");
  });

  it("vaddr + memsz overflowing 64 bits", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0xfffffffffffff000n).bytes, ElfError.SegmentAddressOverflow, 3);
    expectError(new Mutable(dataBss).memsz(3, 0xffffffffffffff00n).bytes, ElfError.SegmentAddressOverflow, 3);
  });

  it("p_filesz > p_memsz", () => {
    expectError(new Mutable(dataBss).memsz(3, 0x10n).bytes, ElfError.FileSizeExceedsMemorySize, 3);
  });

  it("p_offset + p_filesz past the end", () => {
    const len = BigInt(dataBss.length);
    expectError(new Mutable(dataBss).filesz(3, len).memsz(3, len).bytes, ElfError.SegmentOutsideFile, 3);
    expectError(new Mutable(dataBss).offset(3, len + 0x1000n - (len % 0x1000n)).bytes, ElfError.SegmentOutsideFile, 3);
    expectError(new Mutable(dataBss).offset(3, 0xfffffffffffff000n).bytes, ElfError.SegmentOutsideFile, 3);
    expectError(new Mutable(dataBss).filesz(3, 0xffffffffffffffffn).memsz(3, 0xffffffffffffffffn).bytes, ElfError.SegmentOutsideFile, 3);
  });

  it("huge memory size", () => {
    expectError(new Mutable(dataBss).memsz(3, 0x700000000000n).bytes, ElfError.ImageTooLarge);
    expectError(new Mutable(dataBss).memsz(3, 0x8000000000000000n).bytes, ElfError.SegmentCrossesUserTop, 3);
  });

  it("entry point outside every segment", () => {
    expectError(new Mutable(dataBss).u64(24, 0x500000n).bytes, ElfError.EntryOutsideSegments);
    expectError(new Mutable(dataBss).u64(24, 0n).bytes, ElfError.EntryOutsideSegments);
    expectError(new Mutable(dataBss).u64(24, 0xffffffff80000000n).bytes, ElfError.EntryOutsideSegments);
    // Just past the end of the text segment, in the same page but outside the segment.
    const m = new Mutable(dataBss);
    expectError(m.u64(24, m.getVaddr(1) + m.getMemsz(1)).bytes, ElfError.EntryOutsideSegments);
  });

  it("entry point in a non-executable segment", () => {
    expectError(new Mutable(dataBss).u64(24, 0x402000n).bytes, ElfError.EntryNotExecutable, 2);
    expectError(new Mutable(dataBss).u64(24, 0x404000n).bytes, ElfError.EntryNotExecutable, 3); // in .bss
  });

  it("writable and executable segment", () => {
    expectError(new Mutable(dataBss).flags(3, 7).bytes, ElfError.WritableAndExecutable, 3);
    expectError(new Mutable(dataBss).flags(1, 3).bytes, ElfError.WritableAndExecutable, 1);
  });

  it("PT_INTERP", () => {
    const m = new Mutable(dataBss);
    expectError(m.type(m.find(PT_NOTE), PT_INTERP).bytes, ElfError.InterpreterRequested, 4);
  });

  it("PT_DYNAMIC", () => {
    const m = new Mutable(dataBss);
    expectError(m.type(m.find(PT_NOTE), PT_DYNAMIC).bytes, ElfError.DynamicSection, 4);
  });

  it("PT_TLS", () => {
    const m = new Mutable(dataBss);
    expectError(m.type(m.find(PT_NOTE), PT_TLS).bytes, ElfError.ThreadLocalStorage, 4);
  });

  it("stack larger than 16 MiB requested by PT_GNU_STACK", () => {
    expectError(new Mutable(dataBss).memsz(5, 0x1000001n).bytes, ElfError.StackTooLarge, 5);
    expectError(new Mutable(dataBss).memsz(5, 0xffffffffffffffffn).bytes, ElfError.StackTooLarge, 5);
  });

  it("executable stack requested by PT_GNU_STACK", () => {
    expectError(new Mutable(dataBss).flags(5, 7).bytes, ElfError.ExecutableStack, 5);
  });

  it("misaligned p_vaddr", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0x403010n).bytes, ElfError.MisalignedSegment, 3);
  });

  it("misaligned p_offset", () => {
    expectError(new Mutable(dataBss).offset(1, 0x1008n).bytes, ElfError.MisalignedSegment, 1);
  });

  it("p_vaddr not congruent to p_offset modulo a large p_align", () => {
    expectError(new Mutable(dataBss).vaddr(3, 0x413000n).align(3, 0x20000n).bytes, ElfError.MisalignedSegment, 3);
    expect(parseBytes(new Mutable(dataBss).vaddr(3, 0x413000n).bytes).error).toBe(ElfError.None);
  });

  it("p_align not a power of two", () => {
    expectError(new Mutable(dataBss).align(3, 0x1800n).bytes, ElfError.BadAlignment, 3);
  });

  it("segment at address 0 (the null page)", () => {
    expectError(new Mutable(dataBss).vaddr(0, 0n).bytes, ElfError.SegmentInNullPage, 0);
  });

  it("more PT_LOADs than the loader holds", () => {
    const bytes = withAppendedHeaders(dataBss, 13, (m, i) => {
      m.type(i, PT_LOAD).flags(i, 4).offset(i, 0n).filesz(i, 0n).memsz(i, 0x1000n).align(i, 0x1000n);
      m.vaddr(i, BigInt(0x10000000 + i * 0x1000));
    });
    // 4 original + 12 appended fit; the 13th appended one (header 6 + 12) does not.
    expectError(bytes, ElfError.TooManySegments, 6 + 12);
  });

  it("the parser reuses its ElfImage without leaking an earlier result", () => {
    const bad = parseBytes(new Mutable(dataBss).u16(18, 3).bytes);
    expect(bad.error).toBe(ElfError.WrongMachine);
    const good = parseBytes(dataBss);
    expect(good.error).toBe(ElfError.None);
    expect(good.segment).toBe(-1);
  });
});

describe("error messages", () => {
  afterEach(() => vi.restoreAllMocks());

  function logged(bytes: Uint8Array): string {
    const elf = parseBytes(bytes);
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    logElfError("init", elf);
    expect(spy).toHaveBeenCalledTimes(1);
    return String(spy.mock.calls[0]![0]);
  }

  it("names the segment and its address", () => {
    expect(logged(new Mutable(dataBss).vaddr(2, 0xffff800000000000n).bytes)).toBe(
      "elf: init: segment 2 at 0xffff800000000000 lies in the kernel half",
    );
  });

  it("names the header field at fault", () => {
    expect(logged(new Mutable(dataBss).u16(18, 3).bytes)).toBe("elf: init: file is not for x86-64 (0x3)");
  });

  it("names both overlapping segments", () => {
    expect(logged(new Mutable(dataBss).vaddr(2, 0x401800n).offset(2, 0x2800n).bytes)).toBe(
      "elf: init: segment 1 shares a page with another segment (segment 2, page 0x401000)",
    );
  });

  it("names the entry point", () => {
    expect(logged(new Mutable(dataBss).u64(24, 0x402000n).bytes)).toBe(
      "elf: init: entry point 0x402000 has its entry point in a non-executable segment (segment 2)",
    );
  });

  it("every error code has its own text", () => {
    const texts = new Set<string>();
    expect(ERROR_NAMES.size).toBe(ELF_ERROR_COUNT);
    for (let e = 0; e < ELF_ERROR_COUNT; e++) {
      expect(ERROR_NAMES.has(e)).toBe(true);
      texts.add(elfErrorText(e));
    }
    expect(texts.size).toBe(ELF_ERROR_COUNT);
    expect(ERROR_NAMES.get(ElfError.SegmentInKernelHalf)).toBe("SegmentInKernelHalf");
    const outOfRange: number = ELF_ERROR_COUNT;
    expect(elfErrorText(outOfRange)).toBe("has an unknown problem");
  });
});
