// Host-only: simulated physical/virtual memory behind lang/mem.ts.
// Tests attach regions (a base address and a DataView); every access must fall inside one region,
// otherwise it throws, which stands in for a page fault on the host.

export class SimRegion {
  readonly view: DataView;
  constructor(readonly base: number, readonly size: number) {
    this.view = new DataView(new ArrayBuffer(size));
  }
}

const regions: SimRegion[] = [];

/** Adds a zeroed region of `size` bytes at `base` and returns it. */
export function attachMemory(base: number, size: number): SimRegion {
  for (const r of regions) {
    if (base < r.base + r.size && r.base < base + size) {
      throw new Error(`sim memory: region ${base.toString(16)}+${size.toString(16)} overlaps an attached one`);
    }
  }
  const r = new SimRegion(base, size);
  regions.push(r);
  return r;
}

/** Removes every attached region (call between tests). */
export function detachAllMemory(): void {
  regions.length = 0;
}

/** Finds the region holding [addr, addr+len) and returns it with the offset of addr inside it. */
export function locate(addr: number, len: number): [DataView, number] {
  for (const r of regions) {
    if (addr >= r.base && addr + len <= r.base + r.size) return [r.view, addr - r.base];
  }
  throw new Error(`sim memory: access of ${len} bytes at 0x${addr.toString(16)} is outside every attached region`);
}

/** Copies bytes into simulated memory (loading a captured blob, an ELF file, a font). */
export function writeBytes(addr: number, bytes: Uint8Array): void {
  const [v, o] = locate(addr, bytes.length);
  new Uint8Array(v.buffer, v.byteOffset + o, bytes.length).set(bytes);
}

/** Copies bytes out of simulated memory. */
export function readBytes(addr: number, len: number): Uint8Array {
  const [v, o] = locate(addr, len);
  return new Uint8Array(v.buffer.slice(v.byteOffset + o, v.byteOffset + o + len));
}
