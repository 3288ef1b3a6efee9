// scripts/flash-usb.sh against faked lsblk, sysfs and mount tables (the "disk" a regular file) and
// against real loop devices. Never a real disk: every device here is a file in a temporary
// directory or a loop device over one.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createHash } from "node:crypto";

const ROOT = resolve(import.meta.dirname, "../../..");
const TOOL = join(ROOT, "scripts/flash-usb.sh");
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A faked disk as lsblk and sysfs describe it. */
interface FakeDisk {
  name: string;
  type?: string;
  size?: number;
  rm?: number;
  hotplug?: number;
  tran?: string;
  model?: string;
  serial?: string;
  ro?: number;
  /** Parent disk of a partition. */
  pk?: string;
  /** Mount points of the device and the devices below it, as lsblk -nrpo NAME,MOUNTPOINT lists them. */
  tree?: Array<[string, string]>;
  /** Where sysfs's device link leads (a USB path by default). */
  sysfsPath?: string;
  removableFile?: string;
}

let dir: string;

/** Writes the fake lsblk (a script answering from files), sysfs and the stand-in device files. */
function fakeSystem(disks: FakeDisk[]): Record<string, string> {
  const lsblkDir = join(dir, "lsblk");
  mkdirSync(lsblkDir, { recursive: true });
  mkdirSync(join(dir, "dev"), { recursive: true });
  for (const d of disks) {
    const row = `NAME="${d.name}" TYPE="${d.type ?? "disk"}" SIZE="${d.size ?? 8 * GiB}" RM="${d.rm ?? 1}" HOTPLUG="${d.hotplug ?? 1}" ` +
      `TRAN="${d.tran ?? "usb"}" MODEL="${d.model ?? "SanDisk Cruzer Blade"}" SERIAL="${d.serial ?? "4C530001230915112133"}" RO="${d.ro ?? 0}" PKNAME="${d.pk ?? ""}"`;
    writeFileSync(join(lsblkDir, `${d.name}.row`), row + "\n");
    const dev = join(dir, "dev", d.name);
    const tree = d.tree ?? [[dev, ""]];
    writeFileSync(join(lsblkDir, `${d.name}.tree`), tree.map(([n, m]) => `${n} ${m}`.trimEnd()).join("\n") + "\n");
    // A stand-in device: zeros, room for the image (the size lsblk reports is what the checks read).
    writeFileSync(dev, Buffer.alloc(DEVICE_BYTES));
    const sys = join(dir, "sys");
    const target = join(sys, d.sysfsPath ?? `devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0`);
    mkdirSync(target, { recursive: true });
    mkdirSync(join(sys, "block", d.name), { recursive: true });
    symlinkSync(target, join(sys, "block", d.name, "device"));
    writeFileSync(join(sys, "block", d.name, "removable"), (d.removableFile ?? String(d.rm ?? 1)) + "\n");
  }
  writeFileSync(join(lsblkDir, "all"), disks.map((d) => d.name).join("\n") + "\n");
  // The fake answers the three questions the tool asks: one row (-dnbPo), the device tree with
  // mount points (-nrpo NAME,MOUNTPOINT or NAME), and the list of disks (-dnro NAME).
  const fake = join(dir, "fake-lsblk");
  writeFileSync(fake, `#!/usr/bin/env bash
d=${lsblkDir}
dev=""; for a in "$@"; do case "$a" in -*|*,*|NAME) ;; *) dev=$a ;; esac; done
n=\${dev##*/}
case "$1" in
  -dnbPo) cat "$d/$n.row" 2>/dev/null || exit 32 ;;
  -nrpo) if [ "$2" = NAME ]; then cut -d' ' -f1 "$d/$n.tree"; else cat "$d/$n.tree"; fi ;;
  -dnro) cat "$d/all" ;;
  *) echo "fake lsblk: unexpected $*" >&2; exit 1 ;;
esac
`);
  chmodSync(fake, 0o755);
  writeFileSync(join(dir, "mounts"), "proc /proc proc rw 0 0\n");
  writeFileSync(join(dir, "swaps"), "Filename Type Size Used Priority\n");
  return {
    KEEL_FLASH_LSBLK: fake,
    KEEL_FLASH_SYSFS: join(dir, "sys"),
    KEEL_FLASH_MOUNTS: join(dir, "mounts"),
    KEEL_FLASH_SWAPS: join(dir, "swaps"),
    KEEL_FLASH_DEV_DIR: join(dir, "dev"),
    KEEL_FLASH_DEVICE_FILE: "1",
  };
}

const DEVICE_BYTES = 12 * MiB;
const IMAGE_BYTES = 9 * MiB + 1234;

/** A 9 MiB image of recognisable bytes (not a multiple of the tool's 4 MiB chunk). */
function makeImage(): string {
  const img = join(dir, "keel.img");
  const block = Buffer.alloc(65536 + 7);
  for (let i = 0; i < block.length; i++) block[i] = (i * 131) & 0xff;
  const b = Buffer.alloc(IMAGE_BYTES);
  for (let at = 0; at < b.length; at += block.length) block.copy(b, at);
  writeFileSync(img, b);
  return img;
}

function run(args: string[], env: Record<string, string>, input = "") {
  const r = spawnSync("bash", [TOOL, ...args], { env: { ...process.env, ...env }, input, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const dev = (name: string) => join(dir, "dev", name);
const untouched = (name: string) => readFileSync(dev(name)).equals(Buffer.alloc(DEVICE_BYTES));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "keel-flash-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("flash-usb.sh refuses, one line each, before writing anything", () => {
  const cases: Array<[string, FakeDisk[], string[], RegExp]> = [
    ["a partition", [{ name: "sdb1", type: "part", pk: "sdb" }], ["sdb1"], /sdb1 is a partition, not a whole disk \(the disk is \/dev\/sdb\)/],
    ["the disk holding /", [{ name: "sdb", tree: [["@/sdb", ""], ["@/sdb2", "/"]] }], ["sdb"], /sdb holds the root file system \//],
    ["a disk with a mounted file system", [{ name: "sdb", tree: [["@/sdb", ""], ["@/sdb1", "/media/stick"]] }], ["sdb"],
      /sdb has mounted file systems: .*sdb1 on \/media\/stick \(unmount them first\)/],
    ["a SATA disk", [{ name: "sda", tran: "sata", rm: 0, hotplug: 0 }], ["sda"], /sda is not a USB disk \(transport: sata\)/],
    ["a NVMe disk", [{ name: "nvme0n1", tran: "nvme", rm: 0, hotplug: 0 }], ["nvme0n1"], /nvme0n1 is not a USB disk \(transport: nvme\)/],
    ["a USB disk neither removable nor hot-pluggable", [{ name: "sdc", rm: 0, hotplug: 0 }], ["sdc"], /sdc is not removable \(lsblk RM=0, HOTPLUG=0\)/],
    ["a disk lsblk calls USB that sysfs places on another bus", [{ name: "sdd", sysfsPath: "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0" }],
      ["sdd"], /sdd is not on a USB bus according to .*\/block\/sdd\/device/],
    ["a device over the size limit", [{ name: "sde", size: 2000 * GiB }], ["sde"],
      /sde is 2\.0 TiB, larger than the limit of 128\.0 GiB \(--max-size raises it\)/],
    ["a device over a lowered limit", [{ name: "sde", size: 16 * GiB }], ["--max-size", "8G", "sde"], /sde is 16\.0 GiB, larger than the limit of 8\.0 GiB/],
    ["a loop device without --allow-loop", [{ name: "loop7", type: "loop", tran: "", rm: 0, hotplug: 0 }], ["loop7"],
      /loop7 is a loop device \(--allow-loop accepts one\)/],
    ["a read-only stick", [{ name: "sdf", ro: 1 }], ["sdf"], /sdf is read-only/],
  ];
  for (const [what, disks, args, message] of cases) {
    it(what, () => {
      // "@" stands for the fake /dev directory, known only once the test runs.
      for (const d of disks) if (d.tree) d.tree = d.tree.map(([n, m]) => [n.replace("@", join(dir, "dev")), m]);
      const env = fakeSystem(disks);
      const img = makeImage();
      const name = args[args.length - 1]!;
      const r = run([...args.slice(0, -1), dev(name), img, "--yes"], env);
      expect(r.status, r.err).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(/^flash-usb: refused: /);
      expect(r.out).toBe("");
      expect(untouched(name)).toBe(true);
    });
  }

  it("a missing image", () => {
    const env = fakeSystem([{ name: "sdb" }]);
    const r = run([dev("sdb"), join(dir, "nope.img"), "--yes"], env);
    expect(r.status).toBe(1);
    expect(r.err.trim()).toMatch(/^flash-usb: refused: image .*nope\.img not found \(make usb builds it\)$/);
    expect(untouched("sdb")).toBe(true);
  });

  it("an image larger than the stick", () => {
    const env = fakeSystem([{ name: "sdb", size: 4 * MiB }]);
    const r = run([dev("sdb"), makeImage(), "--yes"], env);
    expect(r.status).toBe(1);
    expect(r.err.trim()).toMatch(/^flash-usb: refused: the image \(9\.0 MiB\) does not fit on .*sdb \(4\.0 MiB\)$/);
    expect(untouched("sdb")).toBe(true);
  });

  it("a wrong or missing confirmation writes nothing", () => {
    const env = fakeSystem([{ name: "sdb" }]);
    const img = makeImage();
    for (const input of ["sda\n", "yes\n", ""]) {
      const r = run([dev("sdb"), img], env, input);
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/Type sdb to write the image to it/);
      expect(r.err).toMatch(/cancelled, nothing written/);
      expect(untouched("sdb")).toBe(true);
    }
  });
});

describe("flash-usb.sh on a faked USB stick", () => {
  it("lists the disks it would accept, with model, size and serial, and no others", () => {
    const env = fakeSystem([
      { name: "sda", tran: "sata", rm: 0, hotplug: 0, model: "Samsung SSD" },
      { name: "sdb", model: "SanDisk Cruzer Blade", serial: "4C5300012309", size: 16 * GiB },
      { name: "sdc", model: "Kingston DataTraveler" },
    ]);
    // sdc's tree names its own mounted partition: lsblk lists it under whichever path was asked.
    writeFileSync(join(dir, "lsblk", "sdc.tree"), `${dev("sdc")}\n${dev("sdc")}1 /media/k\n`);
    const r = run([], env);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/sdb +SanDisk Cruzer Blade +16\.0 GiB +serial 4C5300012309/);
    expect(r.out).not.toMatch(/sda|sdc/);
  });

  it("writes with progress, verifies the read-back and says how to boot; the confirmation is the device's name", () => {
    const env = fakeSystem([{ name: "sdb", size: 32 * MiB }]);
    const img = makeImage();
    const r = run([dev("sdb"), img], env, "sdb\n");
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/model +SanDisk Cruzer Blade/);
    expect(r.out).toMatch(/size +32\.0 MiB \(33554432 bytes\)/);
    expect(r.out).toMatch(/serial +4C530001230915112133/);
    expect(r.out).toMatch(/writing \[#{40}\] 100% 9\.0 MiB \/ 9\.0 MiB/);
    const image = readFileSync(img);
    expect(r.out).toContain(`verified: ${dev("sdb")} holds the image (sha256 ${sha(image)})`);
    expect(r.out).toMatch(/boot menu/);
    const written = readFileSync(dev("sdb"));
    expect(written.subarray(0, image.length).equals(image)).toBe(true);
    expect(written.subarray(image.length).equals(Buffer.alloc(DEVICE_BYTES - image.length))).toBe(true);
  });

  it("reports a read-back that differs from the image as a verification failure", () => {
    const env = fakeSystem([{ name: "sdb", size: 32 * MiB }]);
    const img = makeImage();
    // Between the sync and the read-back, one byte in the middle of the stick turns bad.
    const corrupt = join(dir, "corrupt.sh");
    writeFileSync(corrupt, `#!/usr/bin/env bash\nprintf '\\x5a' | dd of="$1" bs=1 seek=5000000 conv=notrunc status=none\n`);
    chmodSync(corrupt, 0o755);
    const r = run([dev("sdb"), img, "--yes"], { ...env, KEEL_FLASH_AFTER_WRITE: corrupt });
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/verification FAILED: .*sdb reads back sha256 [0-9a-f]{64}, the image is [0-9a-f]{64}; do not boot from it/);
    expect(r.out).not.toMatch(/verified:/);
  });
});

// Real loop devices need root and a kernel with loop support; the faked stick above covers the
// same paths through the tool otherwise.
const loopReason = (() => {
  if (process.getuid?.() !== 0) return "not root";
  const r = spawnSync("losetup", ["-f"], { encoding: "utf8" });
  return r.status === 0 ? "" : `no free loop device (${(r.stderr || r.error?.message || "").trim()})`;
})();

describe.skipIf(loopReason !== "")(`flash-usb.sh on a loop device${loopReason ? ` (skipped: ${loopReason})` : ""}`, () => {
  const attached: string[] = [];
  let backing = "";
  afterAll(() => {
    for (const l of attached) spawnSync("losetup", ["-d", l]);
  });

  function attach(): string {
    backing = join(dir, "stick.bin");
    writeFileSync(backing, Buffer.alloc(16 * MiB));
    const r = spawnSync("losetup", ["-f", "--show", backing], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const loop = r.stdout.trim();
    attached.push(loop);
    return loop;
  }
  function detach(loop: string): void {
    spawnSync("losetup", ["-d", loop]);
    attached.splice(attached.indexOf(loop), 1);
  }

  it("refuses it without --allow-loop, writes and verifies it with", () => {
    const loop = attach();
    try {
      const img = makeImage();
      const refused = run([loop, img, "--yes"], {});
      expect(refused.status).toBe(1);
      expect(refused.err.trim()).toBe(`flash-usb: refused: ${loop} is a loop device (--allow-loop accepts one)`);
      expect(readFileSync(backing).equals(Buffer.alloc(16 * MiB))).toBe(true);

      const r = run(["--allow-loop", loop, img], {}, `${loop.split("/").pop()}\n`);
      expect(r.status, r.err).toBe(0);
      expect(r.out).toContain(`verified: ${loop} holds the image (sha256 ${sha(readFileSync(img))})`);
      spawnSync("sync");
      expect(readFileSync(backing).subarray(0, IMAGE_BYTES).equals(readFileSync(img))).toBe(true);
    } finally {
      detach(loop);
    }
  });

  it("reports a corrupted read-back from the loop device as a verification failure", () => {
    const loop = attach();
    try {
      const corrupt = join(dir, "corrupt.sh");
      writeFileSync(corrupt, `#!/usr/bin/env bash\nprintf '\\xa5' | dd of="$1" bs=512 seek=100 count=1 conv=notrunc,fsync status=none\n`);
      chmodSync(corrupt, 0o755);
      const r = run(["--allow-loop", "--yes", loop, makeImage()], { KEEL_FLASH_AFTER_WRITE: corrupt });
      expect(r.status).toBe(3);
      expect(r.err).toMatch(/verification FAILED/);
    } finally {
      detach(loop);
    }
  });
});
