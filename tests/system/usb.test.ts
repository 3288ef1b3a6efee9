// build/keel.img as a USB stick: its partition layout, and QEMU booting it as a USB mass-storage
// device on an xHCI controller (the only boot device) under SeaBIOS and under OVMF, through GRUB
// to the shell.
import { beforeAll, describe, expect, test } from "vitest";
import { openSync, readSync, closeSync } from "node:fs";
import { resolve } from "node:path";
import { BootResult, ROOT, SHELL_AND_INIT_DONE, bootIso, make, requireQemu, shellNotUp } from "./qemu.ts";

const IMG = resolve(ROOT, "build/keel.img");
const BOOT_TIMEOUT = { bios: 240, uefi: 420 } as const;
const TEST_TIMEOUT_MS = 1_800_000;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

function readAt(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** GUIDs as GPT stores them (first three fields little-endian), in the usual text form. */
function guid(b: Buffer): string {
  const h = (x: Buffer) => x.toString("hex");
  return [h(Buffer.from(b.subarray(0, 4)).reverse()), h(Buffer.from(b.subarray(4, 6)).reverse()), h(Buffer.from(b.subarray(6, 8)).reverse()),
    h(b.subarray(8, 10)), h(b.subarray(10, 16))].join("-");
}

beforeAll(() => {
  requireQemu(true);
  make("usb");
});

describe("build/keel.img", () => {
  test("is a disk image: BIOS boot code in the MBR, a GPT with an EFI system partition, and the ISO file system", () => {
    const head = readAt(IMG, 0, 0x10000);
    expect(head.readUInt16LE(510)).toBe(0xaa55);
    expect(head.subarray(0, 440).some((b) => b !== 0)).toBe(true); // boot code, not an empty MBR
    expect(head[446 + 4]).toBe(0xee); // protective MBR entry for the GPT
    expect(head.subarray(512, 520).toString("latin1")).toBe("EFI PART");
    const entriesLba = Number(head.readBigUInt64LE(512 + 72));
    const count = head.readUInt32LE(512 + 80);
    const size = head.readUInt32LE(512 + 84);
    const types: string[] = [];
    const table = readAt(IMG, entriesLba * 512, count * size);
    for (let i = 0; i < count; i++) {
      const e = table.subarray(i * size, (i + 1) * size);
      if (e.subarray(0, 16).some((b) => b !== 0)) types.push(guid(e.subarray(0, 16)));
    }
    expect(types).toContain("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"); // EFI system partition
    expect(readAt(IMG, 0x8001, 5).toString("latin1")).toBe("CD001");
  });
});

// UEFI first: it is the longer boot.
for (const firmware of ["uefi", "bios"] as const) {
  const uefi = firmware === "uefi";
  describe(`USB stick under ${uefi ? "OVMF" : "SeaBIOS"}`, () => {
    test.concurrent("boots through GRUB to the shell, with the kernel image in usable RAM", { timeout: TEST_TIMEOUT_MS }, async () => {
      const r = await bootIso(IMG, { uefi, usb: true, timeoutSeconds: BOOT_TIMEOUT[firmware], until: SHELL_AND_INIT_DONE, logName: `usb-${firmware}` });
      expect(r.stoppedEarly, summary(r)).toBe(true);
      // OVMF names the device it boots from: the USB disk, not a CD-ROM or the network.
      if (uefi) expect(r.output, summary(r)).toMatch(/BdsDxe: starting Boot\d+ "UEFI QEMU QEMU USB HARDDRIVE/);
      expect(r.kernelLines[0], summary(r)).toMatch(/^Keel \d+\.\d+\.\d+ \(x86-64\)$/);
      expect(r.output, summary(r)).toMatch(/memory: \d+ MiB usable/);
      expect(r.output, summary(r)).not.toMatch(/NOT ALL USABLE RAM|PANIC/);
      expect(r.output, summary(r)).toMatch(/init: started \d+ programs/);
      expect(shellNotUp(r.output), summary(r)).toBeNull();
    });
  });
}
