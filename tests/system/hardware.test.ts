// The hardware matrix: Keel boots to its shell on machines unlike QEMU's defaults. Machines pc
// and q35, CPU models Nehalem, Skylake-Client, EPYC and max, 128 MiB to 6 GiB (RAM above 4 GiB), four
// processors, OVMF framebuffers of 800x600, 1024x768 and 1920x1080, no serial port, no HPET.
//
// `make test-hw` (KEEL_HW_MATRIX=full) boots every cell; `make test` only the reduced cells,
// chosen so that between them every kind of difference is there at least once: no serial port
// and no HPET on the smallest machine, RAM above 4 GiB with four processors and the largest
// framebuffer under UEFI.
//
// Every cell boots build/iso/hw*.iso, whose kernel also writes its log to QEMU's debug console
// (keel.debugcon=1), so a cell without a serial port is heard there; GRUB sets the cell's video
// mode (make-iso.sh).
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, SHELL_AND_INIT_DONE, bootIso, make, readPpm, requireQemu, shellNotUp } from "./qemu.ts";

interface Cell {
  machine: "pc" | "q35";
  uefi: boolean;
  cpu: "Nehalem" | "Skylake-Client" | "EPYC" | "max";
  memoryMiB: number;
  smp?: number;
  video?: "800x600" | "1024x768" | "1920x1080";
  noSerial?: boolean;
  noHpet?: boolean;
  /** In the reduced matrix of `make test`. */
  reduced?: boolean;
}

const CELLS: Cell[] = [
  { machine: "pc", uefi: false, cpu: "Nehalem", memoryMiB: 128, noSerial: true, noHpet: true, reduced: true },
  { machine: "q35", uefi: true, cpu: "EPYC", memoryMiB: 6144, smp: 4, video: "1920x1080", reduced: true },
  { machine: "pc", uefi: false, cpu: "Skylake-Client", memoryMiB: 1024, smp: 4 },
  { machine: "pc", uefi: false, cpu: "EPYC", memoryMiB: 6144 },
  { machine: "pc", uefi: false, cpu: "max", memoryMiB: 1024, noHpet: true },
  { machine: "q35", uefi: false, cpu: "Nehalem", memoryMiB: 1024, smp: 4 },
  { machine: "q35", uefi: false, cpu: "Skylake-Client", memoryMiB: 6144, noSerial: true },
  { machine: "q35", uefi: true, cpu: "Nehalem", memoryMiB: 1024, video: "800x600", noHpet: true },
  { machine: "q35", uefi: true, cpu: "Skylake-Client", memoryMiB: 1024, video: "1024x768", noSerial: true },
  { machine: "q35", uefi: true, cpu: "max", memoryMiB: 128, video: "1920x1080", smp: 4 },
  { machine: "pc", uefi: true, cpu: "max", memoryMiB: 1024, video: "800x600" },
  { machine: "pc", uefi: true, cpu: "EPYC", memoryMiB: 1024, video: "1024x768", smp: 4, noSerial: true },
];

const FULL = process.env.KEEL_HW_MATRIX === "full";
const cells = CELLS.filter((c) => FULL || c.reduced);
const BOOT_TIMEOUT = { bios: 300, uefi: 480 } as const;
const TEST_TIMEOUT_MS = 3_600_000;

function cellName(c: Cell): string {
  return [c.machine, c.uefi ? "ovmf" : "seabios", c.cpu, `${c.memoryMiB}M`, c.smp ? `smp${c.smp}` : "", c.video ?? "",
    c.noSerial ? "noserial" : "", c.noHpet ? "nohpet" : ""].filter((x) => x !== "").join("-");
}

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, log:\n${r.output}`;
}

beforeAll(() => {
  requireQemu(true);
  make("iso-hw");
});

describe(`hardware matrix (${FULL ? "every cell" : "reduced; make test-hw boots every cell"})`, () => {
  for (const c of cells) {
    test.concurrent(cellName(c), { timeout: TEST_TIMEOUT_MS }, async () => {
      const iso = resolve(ROOT, "build/iso", c.video ? `hw-${c.video}.iso` : "hw.iso");
      const qemuArgs = ["-cpu", c.cpu, ...(c.smp ? ["-smp", String(c.smp)] : [])];
      const screen = resolve(ROOT, "build/system-logs", `hw-${cellName(c)}.ppm`);
      const r = await bootIso(iso, {
        uefi: c.uefi,
        machine: `${c.machine}${c.noHpet ? ",hpet=off" : ""}`,
        memory: `${c.memoryMiB}M`,
        noSerial: c.noSerial ?? false,
        qemuArgs,
        screendump: screen,
        timeoutSeconds: BOOT_TIMEOUT[c.uefi ? "uefi" : "bios"],
        until: SHELL_AND_INIT_DONE,
        logName: `hw-${cellName(c)}`,
      });
      expect(r.stoppedEarly, summary(r)).toBe(true);
      expect(r.output, summary(r)).not.toMatch(/PANIC|NOT ALL USABLE RAM|EXCEPTION/);
      // Without a serial port, GRUB and the banner (written before the command line is read) are
      // not heard; with one, the banner is the kernel's first line.
      if (!c.noSerial) expect(r.kernelLines[0], summary(r)).toMatch(/^Keel \d+\.\d+\.\d+ \(x86-64\)$/);
      else expect(r.output, summary(r)).not.toMatch(/Booting `Keel'/);
      // The kernel finds out whether COM1 exists, and says so when it does not (and writes no more there).
      const noUart = /^console: no UART at COM1 \(its scratch register does not hold a value\); the log goes to the screen only$/m;
      if (c.noSerial) expect(r.output, summary(r)).toMatch(noUart);
      else expect(r.output, summary(r)).not.toMatch(noUart);
      // All the RAM is found and used, also above 4 GiB: firmware and the first MiB keep at most
      // a few tens of MiB (OVMF keeps more of a small machine).
      const mem = /memory: (\d+) MiB usable, (\d+) MiB free/.exec(r.output);
      expect(mem, summary(r)).not.toBeNull();
      expect(Number(mem![1]), summary(r)).toBeLessThanOrEqual(c.memoryMiB);
      expect(Number(mem![1]), summary(r)).toBeGreaterThan(c.memoryMiB * (c.memoryMiB <= 128 ? 0.75 : 0.95));
      expect(r.output, summary(r)).toMatch(/init: started \d+ programs/);
      // The boot's hardware summary (what a photo of the screen reports) describes this cell.
      const vendor = { Nehalem: "GenuineIntel", "Skylake-Client": "GenuineIntel", EPYC: "AuthenticAMD", max: "\\w+" }[c.cpu];
      expect(r.output, summary(r)).toMatch(new RegExp(`\\ncpu: ${vendor} ".+", family \\d+ model \\d+ stepping \\d+; features: nx `));
      expect(r.output, summary(r)).toMatch(new RegExp(`\\nfirmware: ${c.uefi ? "UEFI" : "BIOS"}, loaded by GRUB`));
      expect(r.output, summary(r)).toMatch(/\nacpi: RSDP revision \d+, (RSDT|XSDT) at 0x[0-9a-f]+: [A-Z ]*APIC/);
      const cpus = c.smp ?? 1;
      const ids = Array.from({ length: cpus }, (_, i) => i).join(" ");
      expect(r.output, summary(r)).toMatch(new RegExp(`\\napic: ${cpus} CPUs, local APIC IDs ${ids};`));
      expect(r.output, summary(r)).toMatch(c.noHpet ? /\ntimers: no HPET, PM timer/ : /\ntimers: HPET at 0x/);
      // Booted to the shell (heard on the debug console when there is no serial port).
      expect(shellNotUp(r.output), summary(r)).toBeNull();
      // The screen: the mode GRUB was asked for (the header's 1024x768 otherwise), taken over by
      // the framebuffer console driver, whose banner is drawn on it (lit pixels on a row of text).
      const mode = c.video ?? "1024x768";
      expect(r.output, summary(r)).toMatch(new RegExp(`fbcon: RGB (32|24) bpp ${mode},`));
      expect(r.output, summary(r)).toMatch(/console: pid \d+ maps the framebuffer/);
      const s = readPpm(screen);
      expect(s, `no screen dump in ${screen}`).not.toBeNull();
      expect(`${s!.width}x${s!.height}`).toBe(mode);
      let litRows = 0;
      for (let y = 0; y < s!.height; y++) {
        const row = s!.pixels.subarray(y * s!.width * 3, (y + 1) * s!.width * 3);
        if (row.some((v) => v > 0x40)) litRows++;
      }
      expect(litRows, "rows of the screen with text on them").toBeGreaterThan(8);
    });
  }
});
