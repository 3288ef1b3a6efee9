// Where the kernel image lands in physical memory, read from build/keel.elf's program headers: a
// Multiboot2 loader puts each PT_LOAD segment at its physical address whatever the memory map says
// there (GRUB) or refuses (Limine), so the image must stay small and clear of the ranges firmware
// keeps. OVMF (QEMU q35) reports ACPI NVS at 0x806000-0x807fff and 0x810000-0x8fffff; an image
// with its heap in .bss once reached 0xa5a720, over both (docs/architecture.md, "Kernel image").
import { beforeAll, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROOT, make } from "./qemu.ts";

const ELF = resolve(ROOT, "build/keel.elf");
const PT_LOAD = 1;
const OVMF_ACPI_NVS: [number, number][] = [[0x806000, 0x808000], [0x810000, 0x900000]];
/** The link address (boot/linker.ld) and the most the image may take: code, data, boot tables, boot heap. */
const LOAD_BASE = 0x200000;
const MAX_IMAGE_BYTES = 1 << 20;

interface Segment {
  paddr: number;
  memsz: number;
}

/** The PT_LOAD segments of a little-endian ELF64 file. */
function loadSegments(b: Buffer): Segment[] {
  expect(b.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  expect(b[4], "ELFCLASS64").toBe(2);
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  const segs: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (b.readUInt32LE(h) !== PT_LOAD) continue;
    segs.push({ paddr: Number(b.readBigUInt64LE(h + 0x18)), memsz: Number(b.readBigUInt64LE(h + 0x28)) });
  }
  return segs;
}

let segments: Segment[] = [];

beforeAll(() => {
  make(ELF);
  segments = loadSegments(readFileSync(ELF));
});

describe("the kernel image's physical range", () => {
  test("starts at 2 MiB and takes under 1 MiB, .bss included", () => {
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const start = Math.min(...segments.map((s) => s.paddr));
    const end = Math.max(...segments.map((s) => s.paddr + s.memsz));
    expect(start).toBe(LOAD_BASE);
    expect(end - start, `image 0x${start.toString(16)}-0x${end.toString(16)}`).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
  });

  test("overlaps none of OVMF's ACPI NVS ranges", () => {
    for (const s of segments) {
      for (const [lo, hi] of OVMF_ACPI_NVS) {
        const overlaps = s.paddr < hi && lo < s.paddr + s.memsz;
        expect(overlaps, `segment 0x${s.paddr.toString(16)}+0x${s.memsz.toString(16)} over 0x${lo.toString(16)}-0x${hi.toString(16)}`).toBe(false);
      }
    }
  });
});
