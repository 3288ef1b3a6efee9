// A simulated machine for the process tests: RAM behind the direct map, the frame allocator, a
// kernel address space, and boot modules (a real static executable and a non-ELF blob) with
// names, as GRUB would leave them.
import { attachMemory, detachAllMemory, writeBytes } from "../../../lang/host/memory.ts";
import { fakeCpu, resetFakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";
import { DIRECT_MAP_BASE, physToVirt } from "../../../kernel/arch/x86_64/layout.ts";
import { FrameAllocator, buildFrameAllocator } from "../../../kernel/mm/frame-allocator.ts";
import { AddressSpace, createAddressSpace } from "../../../kernel/arch/x86_64/paging.ts";
import { BootInfo } from "../../../kernel/boot/bootinfo.ts";
import { serialSetEnabled } from "../../../kernel/console/serial.ts";
import { framebufferDisable } from "../../../kernel/console/framebuffer.ts";
import { makeBootInfo, usable } from "../mm/helpers.ts";
import { fixtureBytes } from "../loader/elf-fixtures.ts";

export const RAM = 32 * 0x100000;
const MODULES_PHYS = 0x1000000;
const NAMES_PHYS = 0x9800;

export class Machine {
  constructor(
    readonly frames: FrameAllocator,
    readonly kernel: AddressSpace,
    readonly info: BootInfo,
    /** Free frames once the kernel space exists: every process must give back all it took. */
    readonly baseline: number,
  ) {}
}

/**
 * Writes the boot modules into the RAM behind the direct map (attached by the caller) and returns
 * the boot information naming them: 0 "init" and 1 "prog" (the minimal fixture, or `prog` when
 * given), 2 "blob" (not an ELF).
 */
export function writeBootModules(prog: Uint8Array | null = null): BootInfo {
  const elf = fixtureBytes("minimal");
  const blob = new Uint8Array(4096).fill(0x42);
  const spans: Array<[number, number]> = [];
  let at = MODULES_PHYS;
  for (const bytes of [elf, prog ?? elf, blob]) {
    writeBytes(physToVirt(at), bytes);
    spans.push([at, at + bytes.length]);
    at += Math.ceil(bytes.length / 4096) * 4096;
  }
  const info = makeBootInfo([usable(0x100000, RAM - 0x100000)], spans);
  let nameAt = NAMES_PHYS;
  ["init", "prog", "blob"].forEach((name, i) => {
    writeBytes(physToVirt(nameAt), new TextEncoder().encode(name));
    info.modules[i]!.nameAddr = nameAt;
    info.modules[i]!.nameLength = name.length;
    nameAt += 16;
  });
  return info;
}

/** The machine with the modules of writeBootModules. */
export function makeMachine(prog: Uint8Array | null = null): Machine {
  detachAllMemory();
  resetFakeCpu();
  framebufferDisable();
  serialSetEnabled(true);
  attachMemory(DIRECT_MAP_BASE, RAM);
  const info = writeBootModules(prog);
  const frames = buildFrameAllocator(info, 0x200000, 0x400000);
  const kernel = createAddressSpace(frames)!;
  return new Machine(frames, kernel, info, frames.freeFrames);
}

/** Bytes written to COM1's data port since the last call. */
export function takeSerial(): string {
  const out = fakeCpu.portLog.filter(([port]) => port === 0x3f8).map(([, , v]) => String.fromCharCode(v)).join("");
  fakeCpu.portLog.length = 0;
  return out;
}
