// The PCI service and the virtio-blk driver in QEMU (the image of `make iso-disk`, BIOS, pc): the
// PCI service lists QEMU's devices at boot; init hands the virtio-blk driver its device's I/O BAR
// and interrupt line; the test client blk-test writes a sector pattern, the machine is booted a
// second time with the same disk image file and the client finds the pattern; the host reads the
// file and finds the bytes at the sectors' offset. blk-test also kills the driver right after
// sending it a write, and init's restarted driver serves it again. Without a disk, init does
// not start the driver.
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";
import { patternByte, TEST_LBA, TEST_SECTORS } from "../../userland/blk-test/pattern.ts";

const SECTOR = 512;
const DISK_SECTORS = 2048;
const DONE = /init: blk-test \(pid \d+\) (exited|was killed)[^\n]*\n|PANIC/;

let first: BootResult;
let second: BootResult;
let noDisk: BootResult;
let image: Buffer;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-disk");
  const iso = resolve(ROOT, "build/iso/disk.iso");
  const dir = mkdtempSync(join(tmpdir(), "keel-disk-"));
  const disk = join(dir, "disk.img");
  try {
    writeFileSync(disk, Buffer.alloc(DISK_SECTORS * SECTOR));
    first = await bootIso(iso, { timeoutSeconds: 240, disk, until: DONE, logName: "disk-first" });
    second = await bootIso(iso, { timeoutSeconds: 240, disk, until: DONE, logName: "disk-second" });
    image = readFileSync(disk);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  noDisk = await bootIso(iso, { timeoutSeconds: 240, until: /init: (no virtio-blk device|driver virtio-blk started)[^\n]*\n|PANIC/, logName: "disk-none" });
}, 900_000);

describe("the PCI service", () => {
  test("lists QEMU's devices with their BARs and interrupt lines", () => {
    expect(first.output, summary(first)).toMatch(/^pci: 00:00\.0 8086:1237 class 060000/m);
    expect(first.output, summary(first)).toMatch(/^pci: 00:01\.0 8086:7000 class 060100/m);
    const blk = /^pci: (00:0[0-9a-f]\.0) 1af4:1001 class 010000 irq (\d+) pin 1$/m.exec(first.output);
    expect(blk, summary(first)).not.toBeNull();
    expect(Number(blk![2])).toBeGreaterThan(0);
    // The transitional device's legacy I/O BAR: at least the legacy registers (0x14 and the configuration).
    const bar = new RegExp(`^pci: ${blk![1]!.replace(".", "\\.")} bar0 io 0x([0-9a-f]+) size 0x([0-9a-f]+)$`, "m").exec(first.output);
    expect(bar, summary(first)).not.toBeNull();
    expect(parseInt(bar![2]!, 16)).toBeGreaterThanOrEqual(0x20);
    expect(first.output, summary(first)).toMatch(/^pci: \d+ functions$/m);
    expect(first.output, summary(first)).toMatch(/init: driver pci started as pid \d+$/m);
  });
});

describe("the virtio-blk driver", () => {
  test("starts with its device and reports the disk's capacity", () => {
    expect(first.output, summary(first)).toMatch(new RegExp(`virtio-blk: ready: ${DISK_SECTORS} sectors, queue of \\d+, ports 0x[0-9a-f]+$`, "m"));
    expect(first.output, summary(first)).toMatch(new RegExp(`blk-test: capacity ${DISK_SECTORS} sectors of 512 bytes, at most \\d+ a request`));
  });

  test("a client writes a pattern and reads it back", () => {
    expect(first.output, summary(first)).toMatch(new RegExp(`blk-test: no pattern at lba ${TEST_LBA}: writing it`));
    expect(first.output, summary(first)).toMatch(/blk-test: write: ok$/m);
    expect(first.output, summary(first)).toMatch(/blk-test: read back: ok, pattern matches$/m);
  });

  test("the pattern is on the disk image file, at its sectors' offset, and nothing else was written", () => {
    for (let s = 0; s < TEST_SECTORS; s++) {
      const want = Buffer.alloc(SECTOR);
      for (let i = 0; i < SECTOR; i++) want[i] = patternByte(TEST_LBA + s, i);
      const at = (TEST_LBA + s) * SECTOR;
      expect(image.subarray(at, at + SECTOR).equals(want), `sector ${TEST_LBA + s}`).toBe(true);
    }
    const before = image.subarray(0, TEST_LBA * SECTOR);
    const after = image.subarray((TEST_LBA + TEST_SECTORS) * SECTOR);
    expect(before.every((b) => b === 0)).toBe(true);
    expect(after.every((b) => b === 0)).toBe(true);
  });

  test("a second boot with the same image finds the pattern", () => {
    expect(second.output, summary(second)).toMatch(new RegExp(`blk-test: pattern found at lba ${TEST_LBA}$`, "m"));
    expect(second.output, summary(second)).not.toMatch(/blk-test: no pattern/);
  });

  test("out-of-range and malformed requests get clear errors", () => {
    for (const r of [first, second]) {
      expect(r.output, summary(r)).toMatch(/blk-test: read beyond the end: out of range$/m);
      expect(r.output, summary(r)).toMatch(/blk-test: read of 0 sectors: bad request$/m);
      expect(r.output, summary(r)).toMatch(/blk-test: write without a buffer: bad request$/m);
    }
  });

  test("a driver killed right after it was sent a write is restarted by init and serves again", () => {
    for (const r of [first, second]) {
      expect(r.output, summary(r)).toMatch(/blk-test: write sent \(success\), driver killed \(success\)$/m);
      expect(r.output, summary(r)).toMatch(/init: driver virtio-blk \(pid \d+\) was killed \(status 99\); restarting \(1 of 5\)$/m);
      expect(r.output.match(/virtio-blk: ready/g)?.length, summary(r)).toBe(2);
      expect(r.output, summary(r)).toMatch(/blk-test: after the restart: read ok, pattern matches$/m);
      expect(r.output, summary(r)).toMatch(/init: blk-test \(pid \d+\) exited with status 0$/m);
      expect(r.output, summary(r)).not.toMatch(/PANIC/);
    }
  });

  test("without a disk, init does not start the driver", () => {
    expect(noDisk.output, summary(noDisk)).toMatch(/init: no virtio-blk device: driver virtio-blk not started$/m);
    expect(noDisk.output, summary(noDisk)).toMatch(/^pci: 00:00\.0 8086:1237/m);
    expect(noDisk.output, summary(noDisk)).not.toMatch(/1af4:1001|PANIC/);
  });
});
