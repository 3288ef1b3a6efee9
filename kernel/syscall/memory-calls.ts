// Shared-memory system calls: memory objects made, mapped into the caller's address space and
// unmapped. A process's mappings are recorded in its capability context (kernel/proc/proc-caps.ts),
// which unmaps what is left when the process ends.
import { ErrorCode } from "../../abi/errors.ts";
import { Right } from "../../abi/rights.ts";
import { PAGE_SIZE } from "../arch/x86_64/layout.ts";
import { framebufferHandOver, framebufferOverlaps } from "../console/framebuffer.ts";
import { kinfo } from "../console/log.ts";
import { MemoryKind, memoryCreate, memoryMap, memoryRecord, memoryUnmap } from "../object/memory.ts";
import { MAX_MAPPINGS, type ProcCaps } from "../proc/proc-caps.ts";
import type { Process } from "../proc/process.ts";

/** memory_create(pages): a memory object of zeroed pages; its handle. */
export function sysMemoryCreate(pc: ProcCaps, pages: number): number {
  return memoryCreate(pc.table, pages);
}

/** memory_map(mem, addr, rights): maps the whole object at `addr`, recorded in the caller's mappings. */
export function sysMemoryMap(p: Process, pc: ProcCaps, h: number, addr: number, rights: number): number {
  let slot = -1;
  for (let i = 0; i < MAX_MAPPINGS && slot < 0; i++) if (pc.mapMem[i]! < 0) slot = i;
  if (slot < 0) return -ErrorCode.NoMemory;
  const index = memoryMap(pc.table, h, p.space!, addr, rights, p.plan.guardBase);
  if (index < 0) return index;
  const r = memoryRecord(index)!;
  pc.mapStart[slot] = addr;
  pc.mapPages[slot] = r.pages;
  pc.mapMem[slot] = index;
  // A driver draws on the boot framebuffer now: the kernel's console leaves it (its last line
  // on the screen says so) and its log goes on on serial.
  if (r.kind === MemoryKind.Device && (rights & Right.Write) !== 0 && framebufferOverlaps(r.base, r.pages * PAGE_SIZE)) {
    kinfo(`console: pid ${p.pid} maps the framebuffer; the kernel stops drawing on it (its log goes on on serial)`);
    framebufferHandOver();
  }
  return 0;
}

/** memory_unmap(addr): ends the mapping that starts at `addr`. */
export function sysMemoryUnmap(p: Process, pc: ProcCaps, addr: number): number {
  for (let i = 0; i < MAX_MAPPINGS; i++) {
    if (pc.mapMem[i]! >= 0 && pc.mapStart[i]! === addr) {
      memoryUnmap(p.space!, addr, pc.mapMem[i]!);
      pc.mapMem[i] = -1;
      return 0;
    }
  }
  return -ErrorCode.NotFound;
}
