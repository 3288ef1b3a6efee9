// Shared helpers for memory-management tests: boot information built from a list of regions.
import { BootInfo, MemoryType } from "../../../kernel/boot/bootinfo.ts";

export interface Region { base: number; length: number; type: number }

export function makeBootInfo(regions: Region[], modules: Array<[number, number]> = [], infoAddr = 0x9000, infoSize = 0x800): BootInfo {
  const info = new BootInfo(regions.length, modules.length);
  regions.forEach((r, i) => {
    const m = info.memory[i]!;
    m.base = r.base;
    m.length = r.length;
    m.type = r.type;
  });
  info.memoryCount = regions.length;
  modules.forEach(([s, e], i) => {
    info.modules[i]!.start = s;
    info.modules[i]!.end = e;
  });
  info.moduleCount = modules.length;
  info.infoAddr = infoAddr;
  info.infoSize = infoSize;
  return info;
}

export const MiB = 0x100000;
export const usable = (base: number, length: number): Region => ({ base, length, type: MemoryType.Usable });
export const reserved = (base: number, length: number): Region => ({ base, length, type: MemoryType.Reserved });
