// What the CPU says about itself through CPUID, for the boot's hardware summary: vendor, brand
// string, family/model/stepping and the features the kernel relies on or can use.
import { cpuid } from "./cpu.ts";

/** Features worth reporting, each a CPUID bit: leaf, register (0 eax .. 3 edx), bit. */
export const enum CpuFeature {
  Nx = 0,
  Syscall = 1,
  Apic = 2,
  Pge = 3,
  Tsc = 4,
  InvariantTsc = 5,
  TscDeadline = 6,
  X2Apic = 7,
  Pcid = 8,
  Xsave = 9,
  Sse2 = 10,
  Smep = 11,
  Smap = 12,
  Pages1G = 13,
  Count = 14,
}

function maxLeaf(extended: boolean): number {
  const m = cpuid(extended ? 0x80000000 : 0, 0, 0) >>> 0;
  return m;
}

/** Whether CPUID reports `f`. */
export function cpuHas(f: number): boolean {
  let leaf = 1;
  let reg = 3;
  let bit = 0;
  switch (f) {
    case CpuFeature.Nx: leaf = 0x80000001; bit = 20; break;
    case CpuFeature.Syscall: leaf = 0x80000001; bit = 11; break;
    case CpuFeature.Pages1G: leaf = 0x80000001; bit = 26; break;
    case CpuFeature.Apic: bit = 9; break;
    case CpuFeature.Pge: bit = 13; break;
    case CpuFeature.Tsc: bit = 4; break;
    case CpuFeature.Sse2: bit = 26; break;
    case CpuFeature.InvariantTsc: leaf = 0x80000007; bit = 8; break;
    case CpuFeature.TscDeadline: reg = 2; bit = 24; break;
    case CpuFeature.X2Apic: reg = 2; bit = 21; break;
    case CpuFeature.Pcid: reg = 2; bit = 17; break;
    case CpuFeature.Xsave: reg = 2; bit = 26; break;
    case CpuFeature.Smep: leaf = 7; reg = 1; bit = 7; break;
    case CpuFeature.Smap: leaf = 7; reg = 1; bit = 20; break;
    default: return false;
  }
  const extended = leaf >= 0x80000000;
  if ((leaf >>> 0) > maxLeaf(extended)) return false;
  return ((cpuid(leaf, 0, reg) >>> bit) & 1) !== 0;
}

export function cpuFeatureName(f: number): string {
  switch (f) {
    case CpuFeature.Nx: return "nx";
    case CpuFeature.Syscall: return "syscall";
    case CpuFeature.Apic: return "apic";
    case CpuFeature.Pge: return "pge";
    case CpuFeature.Tsc: return "tsc";
    case CpuFeature.InvariantTsc: return "invariant-tsc";
    case CpuFeature.TscDeadline: return "tsc-deadline";
    case CpuFeature.X2Apic: return "x2apic";
    case CpuFeature.Pcid: return "pcid";
    case CpuFeature.Xsave: return "xsave";
    case CpuFeature.Sse2: return "sse2";
    case CpuFeature.Smep: return "smep";
    case CpuFeature.Smap: return "smap";
    case CpuFeature.Pages1G: return "1g-pages";
    default: return "?";
  }
}

/** Byte `i` (0..11) of the vendor string ("GenuineIntel", "AuthenticAMD"...). */
export function cpuVendorByte(i: number): number {
  // The vendor string is ebx, edx, ecx of leaf 0.
  const reg = i < 4 ? 1 : i < 8 ? 3 : 2;
  return (cpuid(0, 0, reg) >>> ((i % 4) * 8)) & 0xff;
}

/** Byte `i` (0..47) of the brand string, or 0 when the CPU has none. */
export function cpuBrandByte(i: number): number {
  if (maxLeaf(true) < 0x80000004) return 0;
  const leaf = 0x80000002 + Math.floor(i / 16);
  return (cpuid(leaf, 0, Math.floor((i % 16) / 4)) >>> ((i % 4) * 8)) & 0xff;
}

/** Family, model and stepping from leaf 1 (with the extended fields, as both vendors define). */
export function cpuSignature(which: number): number {
  const eax = cpuid(1, 0, 0) >>> 0;
  const base = (eax >>> 8) & 0xf;
  const family = base === 0xf ? base + ((eax >>> 20) & 0xff) : base;
  if (which === 0) return family;
  if (which === 1) return base === 0x6 || base === 0xf ? (((eax >>> 16) & 0xf) << 4) | ((eax >>> 4) & 0xf) : (eax >>> 4) & 0xf;
  return eax & 0xf;
}
