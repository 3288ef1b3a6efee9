// Model-based property: executables built from random valid layouts (segments anywhere in the
// user half, any offset within the first page, any mix of permissions short of W+X, .bss tails of
// any length) are all accepted, parsed exactly as generated, and loaded byte for byte.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ElfError, ElfImage, parseElf } from "../../../kernel/loader/elf.ts";
import { DEFAULT_STACK_SIZE, DEFAULT_STACK_TOP, LoadPlan, MapFlag, buildLoadPlan } from "../../../kernel/loader/load-plan.ts";
import { executeLoadPlan } from "../../../kernel/loader/execute.ts";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { PAGE_SIZE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";

const PAGE = PAGE_SIZE;

class SegSpec {
  constructor(
    readonly vaddr: number,
    readonly memsz: number,
    readonly filesz: number,
    readonly flags: number,
    public offset = 0,
  ) {}
}

/** Random disjoint segments: each starts at least one page after the previous one's last page. */
const layout: fc.Arbitrary<Layout> = fc
  .array(
    fc.record({
      gapPages: fc.nat(40),
      inPage: fc.nat(PAGE - 1),
      memsz: fc.integer({ min: 1, max: 3 * PAGE }),
      fileFraction: fc.nat(100),
      flags: fc.constantFrom(0, 1, 2, 4, 5, 6), // none, X, W, R, RX, RW
    }),
    { minLength: 1, maxLength: 6 },
  )
  .chain((raw) =>
    fc.record({
      base: fc.oneof(fc.integer({ min: 1, max: 0x10000 }), fc.integer({ min: 1, max: 0x7fffffe00 })).map((p) => p * PAGE),
      raw: fc.constant(raw),
      exec: fc.nat(raw.length - 1),
      entryFraction: fc.nat(99),
      seed: fc.nat(),
    }),
  );

interface RawSeg { gapPages: number; inPage: number; memsz: number; fileFraction: number; flags: number }
interface Layout { base: number; raw: RawSeg[]; exec: number; entryFraction: number; seed: number }

function build(l: Layout): [Uint8Array, SegSpec[], number] {
  const segs: SegSpec[] = [];
  let nextPage = l.base;
  l.raw.forEach((r, i) => {
    const vaddr = nextPage + r.gapPages * PAGE + r.inPage;
    const flags = i === l.exec ? 5 : r.flags;
    const filesz = Math.floor((r.memsz * r.fileFraction) / 100);
    segs.push(new SegSpec(vaddr, r.memsz, filesz, flags));
    nextPage = Math.ceil((vaddr + r.memsz) / PAGE) * PAGE;
  });
  // File: headers in page 0, each segment's bytes in pages of their own, congruent with vaddr.
  let fileCursor = PAGE;
  for (const s of segs) {
    s.offset = fileCursor + (s.vaddr % PAGE);
    fileCursor = Math.ceil((s.offset + s.filesz + 1) / PAGE) * PAGE;
  }
  const bytes = new Uint8Array(fileCursor);
  let x = l.seed | 1;
  for (let i = PAGE; i < bytes.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    bytes[i] = (x >>> 16) & 0xff;
  }
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 62, true); // EM_X86_64
  v.setUint32(20, 1, true);
  const ex = segs[l.exec]!;
  const entry = ex.vaddr + Math.floor((ex.memsz * l.entryFraction) / 100);
  v.setBigUint64(24, BigInt(entry), true);
  v.setBigUint64(32, 64n, true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, segs.length, true);
  segs.forEach((s, i) => {
    const ph = 64 + i * 56;
    v.setUint32(ph, 1, true);
    v.setUint32(ph + 4, s.flags, true);
    v.setBigUint64(ph + 8, BigInt(s.offset), true);
    v.setBigUint64(ph + 16, BigInt(s.vaddr), true);
    v.setBigUint64(ph + 24, BigInt(s.vaddr), true);
    v.setBigUint64(ph + 32, BigInt(s.filesz), true);
    v.setBigUint64(ph + 40, BigInt(s.memsz), true);
    v.setBigUint64(ph + 48, BigInt(PAGE), true);
  });
  return [bytes, segs, entry];
}

const IMAGE = 0x10000000;
const PHYS = 0x2000000;
const FRAMES = 64;

describe("random valid layouts", () => {
  it("are accepted and loaded exactly", () => {
    fc.assert(
      fc.property(layout, (l) => {
        const [bytes, segs, entry] = build(l);
        detachAllMemory();
        attachMemory(IMAGE, bytes.length);
        writeBytes(IMAGE, bytes);
        const elf = new ElfImage();
        expect(parseElf(IMAGE, bytes.length, 1 << 30, elf)).toBe(ElfError.None);
        expect(elf.count).toBe(segs.length);
        expect(elf.entry).toBe(entry);
        segs.forEach((s, i) => {
          expect([elf.vaddr[i], elf.memsz[i], elf.filesz[i], elf.offset[i], elf.flags[i]]).toEqual([s.vaddr, s.memsz, s.filesz, s.offset, s.flags]);
        });

        const plan = new LoadPlan();
        expect(buildLoadPlan(elf, DEFAULT_STACK_TOP, DEFAULT_STACK_SIZE, plan)).toBe(ElfError.None);
        // Load only the segments (the stack is covered elsewhere) to keep each run cheap.
        plan.count -= 1;
        // Frames start as garbage so that missing zeroing shows.
        new Uint8Array(attachMemory(physToVirt(PHYS), FRAMES * PAGE).view.buffer).fill(0xee);
        let next = 0;
        const pages = new Map<number, [number, number]>();
        const ok = executeLoadPlan(
          plan,
          IMAGE,
          pages,
          () => PHYS + PAGE * next++,
          () => {},
          (m: Map<number, [number, number]>, virt: number, phys: number, flags: number) => (m.set(virt, [phys, flags]), 0),
        );
        expect(ok).toBe(true);
        for (const s of segs) {
          const start = Math.floor(s.vaddr / PAGE) * PAGE;
          const end = Math.ceil((s.vaddr + s.memsz) / PAGE) * PAGE;
          const flags = MapFlag.User | (s.flags & 2 ? MapFlag.Writable : 0) | (s.flags & 1 ? 0 : MapFlag.NoExecute);
          for (let p = start; p < end; p += PAGE) {
            const [phys, f] = pages.get(p)!;
            expect(f).toBe(flags);
            const got = readBytes(physToVirt(phys), PAGE);
            const want = new Uint8Array(PAGE);
            for (let a = Math.max(p, s.vaddr); a < Math.min(p + PAGE, s.vaddr + s.filesz); a++) {
              want[a - p] = bytes[s.offset + (a - s.vaddr)]!;
            }
            let mismatch = -1;
            for (let k = 0; k < PAGE && mismatch < 0; k++) if (got[k] !== want[k]) mismatch = k;
            expect(mismatch).toBe(-1);
          }
        }
        expect(pages.size).toBe(plan.pages - DEFAULT_STACK_SIZE / PAGE);
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
