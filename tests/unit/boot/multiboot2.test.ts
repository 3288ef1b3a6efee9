import { describe, it, expect, beforeEach } from "vitest";
import fc from "fast-check";
import { attachMemory, detachAllMemory, writeBytes, readBytes } from "../../../lang/host/memory.ts";
import { DIRECT_MAP_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { parseBootInfo, MULTIBOOT2_MAGIC } from "../../../kernel/boot/multiboot2.ts";
import { BootInfo, BootError, MemoryType, bootErrorMessage, findModule, firstFatalBootError, hasBootError, physBytesEqual, addBootError, MAX_BOOT_ERRORS } from "../../../kernel/boot/bootinfo.ts";
import { grubBios, grubUefi, listTags, Mb2Fixture } from "../fixtures/multiboot2.ts";
import { FramebufferType } from "../../../kernel/console/framebuffer.ts";

const RAM = 0x200000;

beforeEach(() => {
  detachAllMemory();
  attachMemory(DIRECT_MAP_BASE, RAM);
});

function parseAt(bytes: Uint8Array, addr: number): BootInfo {
  writeBytes(physToVirt(addr), bytes);
  return parseBootInfo(MULTIBOOT2_MAGIC, addr);
}

function str(addr: number, len: number): string {
  return Buffer.from(readBytes(physToVirt(addr), len)).toString("latin1");
}

function errors(info: BootInfo): number[] {
  return Array.from(info.errors.slice(0, info.errorCount));
}

/** Memory map decoded independently of the parser, straight from the fixture bytes. */
function referenceMemoryMap(f: Mb2Fixture): Array<{ base: number; length: number; type: number }> {
  const dv = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
  const tag = listTags(f.bytes).find((t) => t.type === 6)!;
  const entrySize = dv.getUint32(tag.off + 8, true);
  const out = [];
  for (let e = tag.off + 16; e + entrySize <= tag.off + tag.size; e += entrySize) {
    const length = Number(dv.getBigUint64(e + 8, true));
    if (length === 0) continue;
    const raw = dv.getUint32(e + 16, true);
    out.push({ base: Number(dv.getBigUint64(e, true)), length, type: [1, 3, 4, 5].includes(raw) ? raw : 2 });
  }
  return out;
}

function setU32(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(off, v, true);
}

describe.each([["BIOS", grubBios], ["UEFI", grubUefi]])("GRUB %s capture", (_n, fixture) => {
  it("parses without errors", () => {
    const f = fixture();
    const info = parseAt(f.bytes, f.addr);
    expect(errors(info)).toEqual([]);
    expect(info.infoAddr).toBe(f.addr);
    expect(info.infoSize).toBe(f.bytes.length);
  });

  it("gives the memory map as the loader wrote it", () => {
    const f = fixture();
    const info = parseAt(f.bytes, f.addr);
    const ref = referenceMemoryMap(f);
    expect(info.memoryCount).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) {
      expect({ base: info.memory[i]!.base, length: info.memory[i]!.length, type: info.memory[i]!.type }).toEqual(ref[i]);
    }
    // QEMU's default 128 MiB: the usable regions add up to a bit less than that.
    const usable = ref.filter((r) => r.type === MemoryType.Usable).reduce((s, r) => s + r.length, 0);
    expect(usable).toBeGreaterThan(100 * 1024 * 1024);
    expect(usable).toBeLessThanOrEqual(128 * 1024 * 1024);
  });

  it("finds the command line, loader name and font module", () => {
    const f = fixture();
    const info = parseAt(f.bytes, f.addr);
    expect(str(info.cmdlineAddr, info.cmdlineLength)).toBe("keel.log=debug keel.test=memory,paging");
    expect(str(info.loaderNameAddr, info.loaderNameLength)).toMatch(/^GRUB 2\.06/);
    expect(info.moduleCount).toBe(1);
    expect(findModule(info, "font")).toBe(0);
    expect(findModule(info, "fon")).toBe(-1);
    const m = info.modules[0]!;
    expect(m.end - m.start).toBe(20770); // size of Uni2-Terminus18x10.psf
    expect(m.start % 4096).toBe(0);
  });

  it("reports the framebuffer as 32-bpp RGB", () => {
    const f = fixture();
    const info = parseAt(f.bytes, f.addr);
    const fb = info.framebuffer;
    expect(fb.type).toBe(FramebufferType.Rgb);
    expect([fb.width, fb.height, fb.bpp]).toEqual([1024, 768, 32]);
    expect(fb.pitch).toBeGreaterThanOrEqual(1024 * 4);
    expect([fb.redPosition, fb.redSize, fb.greenPosition, fb.greenSize, fb.bluePosition, fb.blueSize])
      .toEqual([16, 8, 8, 8, 0, 8]);
    expect(fb.address).toBeGreaterThan(RAM);
  });

  it("records where the ACPI RSDP copy is", () => {
    const f = fixture();
    const info = parseAt(f.bytes, f.addr);
    expect(info.rsdpAddr).toBeGreaterThan(f.addr);
    expect(str(info.rsdpAddr, 8)).toBe("RSD PTR ");
    expect(info.rsdpVersion).toBe(_n === "UEFI" ? 2 : 1);
  });
});

/**
 * The BIOS capture with `count` module tags (named prog0, prog1, ...; 4 KiB each from 16 MiB)
 * added before the end tag, and the memory map replaced by `regions` entries when given.
 */
function withModules(count: number, regions = 0): Mb2Fixture {
  const f = grubBios();
  const tags = listTags(f.bytes);
  const end = tags.find((t) => t.type === 0)!;
  const parts: Uint8Array[] = [];
  for (const t of tags) {
    if (t.type === 0) continue;
    if (t.type === 6 && regions > 0) {
      const mmap = new Uint8Array(16 + 24 * regions);
      setU32(mmap, 0, 6);
      setU32(mmap, 4, mmap.length);
      setU32(mmap, 8, 24);
      for (let i = 0; i < regions; i++) {
        setU32(mmap, 16 + 24 * i, 0x100000 + i * 0x10000); // base, low half
        setU32(mmap, 16 + 24 * i + 8, 0x10000); // length, low half
        setU32(mmap, 16 + 24 * i + 16, i % 2 === 0 ? 1 : 2);
      }
      parts.push(mmap);
      continue;
    }
    parts.push(f.bytes.slice(t.off, t.off + ((t.size + 7) & ~7)));
  }
  for (let i = 0; i < count; i++) {
    const name = new TextEncoder().encode(`prog${i}\0`);
    const tag = new Uint8Array(16 + name.length);
    setU32(tag, 0, 3);
    setU32(tag, 4, tag.length);
    setU32(tag, 8, 0x1000000 + i * 0x1000);
    setU32(tag, 12, 0x1000000 + i * 0x1000 + 0x1000);
    tag.set(name, 16);
    const padded = new Uint8Array((tag.length + 7) & ~7);
    padded.set(tag);
    parts.push(padded);
  }
  parts.push(f.bytes.slice(end.off, end.off + 8));
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const b = new Uint8Array(total);
  b.set(f.bytes.subarray(0, 8));
  setU32(b, 0, total);
  let at = 8;
  for (const p of parts) {
    b.set(p, at);
    at += p.length;
  }
  return new Mb2Fixture(`bios+${count}`, f.addr, b);
}

describe("many modules and memory regions", () => {
  for (const count of [20, 100, 1000]) {
    it(`keeps all ${count + 1} modules, in order, with their names`, () => {
      const x = withModules(count);
      const info = parseAt(x.bytes, x.addr);
      expect(errors(info)).toEqual([]);
      expect(info.moduleCount).toBe(count + 1);
      expect(findModule(info, "font")).toBe(0);
      for (let i = 0; i < count; i++) {
        expect(findModule(info, `prog${i}`)).toBe(i + 1);
        expect(info.modules[i + 1]!.start).toBe(0x1000000 + i * 0x1000);
        expect(info.modules[i + 1]!.end - info.modules[i + 1]!.start).toBe(0x1000);
      }
    });
  }

  it("keeps a memory map of 600 entries", () => {
    const x = withModules(0, 600);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([]);
    expect(info.memoryCount).toBe(600);
    expect(info.memory[599]!.base).toBe(0x100000 + 599 * 0x10000);
    expect(info.memory[599]!.type).toBe(MemoryType.Reserved);
  });
});

describe("EFI tags", () => {
  it("UEFI capture has the system table and EFI memory map; BIOS has neither", () => {
    const u = grubUefi();
    const info = parseAt(u.bytes, u.addr);
    expect(info.efiSystemTable).toBeGreaterThan(0);
    expect(info.efiMemoryMapPresent).toBe(true);
    expect(info.efiBootServicesActive).toBe(false);
    detachAllMemory();
    attachMemory(DIRECT_MAP_BASE, RAM);
    const b = grubBios();
    const binfo = parseAt(b.bytes, b.addr);
    expect(binfo.efiSystemTable).toBe(0);
    expect(binfo.efiMemoryMapPresent).toBe(false);
  });

  it("sees the boot-services-not-terminated tag", () => {
    const u = grubUefi();
    const end = listTags(u.bytes).find((t) => t.type === 0)!;
    const b = new Uint8Array(u.bytes.length + 8);
    b.set(u.bytes.subarray(0, end.off));
    setU32(b, end.off, 18);
    setU32(b, end.off + 4, 8);
    setU32(b, end.off + 8, 0);
    setU32(b, end.off + 12, 8);
    setU32(b, 0, b.length);
    const info = parseAt(b, u.addr);
    expect(errors(info)).toEqual([]);
    expect(info.efiBootServicesActive).toBe(true);
  });
});

describe("malformed structures", () => {
  const f = () => grubBios();

  it("rejects a wrong magic as fatal", () => {
    const x = f();
    writeBytes(physToVirt(x.addr), x.bytes);
    const info = parseBootInfo(0x2badb002, x.addr);
    expect(errors(info)).toEqual([BootError.BadMagic]);
    expect(firstFatalBootError(info)).toBe(BootError.BadMagic);
    expect(bootErrorMessage(BootError.BadMagic)).toMatch(/magic/);
  });

  it("rejects a null or misaligned address", () => {
    expect(errors(parseBootInfo(MULTIBOOT2_MAGIC, 0))).toEqual([BootError.NullInfo]);
    const x = f();
    const info = parseAt(x.bytes, x.addr + 4);
    expect(errors(info)).toEqual([BootError.MisalignedInfo]);
    expect(firstFatalBootError(info)).toBe(BootError.MisalignedInfo);
  });

  it("rejects a total size too small to hold anything", () => {
    const x = f();
    setU32(x.bytes, 0, 8);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toContain(BootError.TotalSizeTooSmall);
    expect(firstFatalBootError(info)).not.toBe(0);
  });

  it("caps an implausible total size and still parses the tags", () => {
    const x = f();
    setU32(x.bytes, 0, 0x7fffffff);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.TotalSizeTooLarge, BootError.EndTagNotLast]);
    expect(firstFatalBootError(info)).toBe(0);
    expect(info.memoryCount).toBe(referenceMemoryMap(x).length);
  });

  it("stops at a structure truncated in the middle of the memory map", () => {
    const x = f();
    const mmap = listTags(x.bytes).find((t) => t.type === 6)!;
    const cut = mmap.off + 40;
    const b = x.bytes.slice(0, cut);
    setU32(b, 0, cut);
    const info = parseAt(b, x.addr);
    expect(errors(info)).toEqual([BootError.TagPastEnd, BootError.NoMemoryMap]);
    expect(firstFatalBootError(info)).toBe(BootError.NoMemoryMap);
    // Tags before the damage are kept.
    expect(info.cmdlineLength).toBeGreaterThan(0);
    expect(info.moduleCount).toBe(1);
  });

  it("reports a tag whose size runs past the end", () => {
    const x = f();
    const fb = listTags(x.bytes).find((t) => t.type === 8)!;
    setU32(x.bytes, fb.off + 4, x.bytes.length);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.TagPastEnd]);
    expect(info.framebuffer.type).toBe(FramebufferType.None);
    expect(info.memoryCount).toBeGreaterThan(0);
  });

  it("reports a zero-size tag instead of looping on it", () => {
    const x = f();
    const mod = listTags(x.bytes).find((t) => t.type === 3)!;
    setU32(x.bytes, mod.off + 4, 0);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.TagTooSmall, BootError.NoMemoryMap]);
  });

  it("detects a tag shifted off its 8-byte boundary", () => {
    const x = f();
    const tags = listTags(x.bytes);
    const second = tags[1]!;
    const b = new Uint8Array(x.bytes.length + 4);
    b.set(x.bytes.subarray(0, second.off));
    b.set(x.bytes.subarray(second.off), second.off + 4);
    setU32(b, 0, b.length);
    const info = parseAt(b, x.addr);
    expect(errors(info)).toContain(BootError.TagTooSmall);
    expect(firstFatalBootError(info)).toBe(BootError.NoMemoryMap);
  });

  it("makes a missing memory map fatal with a clear message", () => {
    const x = f();
    const mmap = listTags(x.bytes).find((t) => t.type === 6)!;
    setU32(x.bytes, mmap.off, 0x7777);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.NoMemoryMap]);
    expect(bootErrorMessage(firstFatalBootError(info))).toBe("boot loader gave no memory map");
  });

  it("reports a missing end tag", () => {
    const x = f();
    const end = listTags(x.bytes).find((t) => t.type === 0)!;
    setU32(x.bytes, end.off, 0x1234);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.MissingEndTag]);
    expect(firstFatalBootError(info)).toBe(0);
  });

  it("skips zero-length memory map entries and bad entry sizes", () => {
    const x = f();
    const mmap = listTags(x.bytes).find((t) => t.type === 6)!;
    setU32(x.bytes, mmap.off + 16 + 8, 0); // first entry's length, low half
    setU32(x.bytes, mmap.off + 16 + 12, 0);
    let info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.MemoryRegionZeroLength]);
    expect(info.memoryCount).toBe(referenceMemoryMap(grubBios()).length - 1);
    setU32(x.bytes, mmap.off + 8, 20);
    info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.MemoryMapBadEntrySize, BootError.NoMemoryMap]);
  });

  it("keeps going after an unterminated string", () => {
    const x = f();
    const cmd = listTags(x.bytes).find((t) => t.type === 1)!;
    for (let i = cmd.off + 8; i < cmd.off + cmd.size; i++) if (x.bytes[i] === 0) x.bytes[i] = 0x78;
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.StringNotTerminated]);
    expect(info.cmdlineLength).toBe(cmd.size - 8);
    expect(info.memoryCount).toBeGreaterThan(0);
  });

  it("rejects a module that ends before it starts", () => {
    const x = f();
    const mod = listTags(x.bytes).find((t) => t.type === 3)!;
    setU32(x.bytes, mod.off + 12, 0x1000);
    const info = parseAt(x.bytes, x.addr);
    expect(errors(info)).toEqual([BootError.ModuleBadRange]);
    expect(info.moduleCount).toBe(0);
  });
});

describe("error list", () => {
  it("keeps a bounded list and marks the overflow", () => {
    const info = new BootInfo(0, 0);
    for (let i = 0; i < 40; i++) addBootError(info, BootError.TagBadSize);
    expect(info.errorCount).toBe(MAX_BOOT_ERRORS);
    expect(info.errors[MAX_BOOT_ERRORS - 1]).toBe(BootError.TooManyErrors);
    expect(hasBootError(info, BootError.TooManyErrors)).toBe(true);
  });

  it("has a distinct message for every code", () => {
    const msgs = new Set<string>();
    for (let c = 1; c <= 21; c++) msgs.add(bootErrorMessage(c));
    expect(msgs.size).toBe(21);
    expect(msgs.has(bootErrorMessage(999))).toBe(false);
  });

  it("compares bytes in memory against literals", () => {
    writeBytes(physToVirt(0x5000), new TextEncoder().encode("font\0"));
    expect(physBytesEqual(0x5000, 4, "font")).toBe(true);
    expect(physBytesEqual(0x5000, 4, "fonts")).toBe(false);
    expect(physBytesEqual(0x5000, 3, "fon")).toBe(true);
    expect(physBytesEqual(0x5000, 4, "fint")).toBe(false);
  });
});

describe("robustness", () => {
  it("never reads outside the structure, whatever bytes after the header say", () => {
    for (const fixture of [grubBios, grubUefi]) {
      const f = fixture();
      fc.assert(fc.property(
        fc.array(fc.tuple(fc.integer({ min: 8, max: f.bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        (edits) => {
          detachAllMemory();
          // Exactly the structure: any access outside it throws in the simulated memory.
          attachMemory(physToVirt(f.addr), f.bytes.length);
          const b = f.bytes.slice();
          for (const [off, v] of edits) b[off] = v;
          writeBytes(physToVirt(f.addr), b);
          const info = parseBootInfo(MULTIBOOT2_MAGIC, f.addr);
          expect(info.errorCount).toBeLessThanOrEqual(MAX_BOOT_ERRORS);
          expect(info.memoryCount).toBeLessThanOrEqual(info.memory.length);
          for (let i = 0; i < info.moduleCount; i++) {
            const m = info.modules[i]!;
            expect(m.end).toBeGreaterThanOrEqual(m.start);
            expect(m.nameAddr + m.nameLength).toBeLessThanOrEqual(f.addr + f.bytes.length);
          }
          expect(info.cmdlineAddr + info.cmdlineLength).toBeLessThanOrEqual(f.addr + f.bytes.length);
        },
      ), { numRuns: 300 });
    }
  });
});
