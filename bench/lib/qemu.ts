// The QEMU configuration every benchmark boots with, Keel's and the Linux baseline's alike, so that
// their figures are ratios of like with like.
//
// -icount shift=0,sleep=off: TCG advances the guest clock by one nanosecond per executed
// instruction and, while the guest idles, jumps to the next timer deadline instead of following
// the host's clock, so rdtsc readings count instructions ("virtual cycles") whatever the host's
// load. That alone is not enough for a guest that draws random numbers (Linux: address-space
// layout, hash seeds, slab freelists), which would lay out memory differently and take other
// paths in every boot: -seed makes RDRAND/RDSEED a seeded pseudo-random sequence and -rtc fixes
// the wall clock the guest starts from, so each boot repeats the last one exactly.
// -cpu max: the same CPU model as scripts/run-qemu.sh (Keel relies on its features). -smp 1: two
// communicating processes always share the one CPU.
import { spawn, spawnSync } from "node:child_process";

export const QEMU_BINARY = "qemu-system-x86_64";

export const BENCH_QEMU_ARGS: readonly string[] = Object.freeze([
  "-accel", "tcg",
  "-icount", "shift=0,sleep=off",
  "-smp", "1",
  "-cpu", "max",
  "-m", "256M",
  "-seed", "1",
  "-rtc", "base=2024-01-01T00:00:00,clock=vm",
]);

/** Arguments to boot a Linux kernel and initramfs for a benchmark, console on the serial port. */
export function linuxGuestArgs(kernel: string, initrd: string, append: string): string[] {
  return [
    ...BENCH_QEMU_ARGS,
    "-kernel", kernel,
    "-initrd", initrd,
    "-append", append,
    "-nographic",
    "-no-reboot",
  ];
}

/**
 * Arguments to boot a Keel ISO for a benchmark: the same machine as scripts/run-qemu.sh --bench
 * (serial on stdout, isa-debug-exit so the kernel ends the run with a status of its own).
 */
export function isoGuestArgs(iso: string): string[] {
  return [
    ...BENCH_QEMU_ARGS,
    "-serial", "stdio",
    "-display", "none",
    "-no-reboot",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    "-drive", `file=${iso},format=raw,media=cdrom,readonly=on`,
    "-boot", "d",
  ];
}

/** The first line of `qemu-system-x86_64 --version`: figures are only comparable under one version. */
export function qemuVersion(): string {
  const r = spawnSync(QEMU_BINARY, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${QEMU_BINARY} --version failed (make setup?): ${r.stderr ?? r.error}`);
  return r.stdout.split("\n")[0]!.trim();
}

export class QemuRun {
  constructor(
    /** Exit status of QEMU, or null when it was killed. */
    readonly status: number | null,
    /** Everything QEMU wrote on stdout and stderr (the guest's serial console). */
    readonly output: string,
    readonly timedOut: boolean,
    readonly seconds: number,
  ) {}
}

/** Runs QEMU with the given arguments, killing it after timeoutSeconds. */
export function runQemu(args: readonly string[], timeoutSeconds: number): Promise<QemuRun> {
  const start = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(QEMU_BINARY, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    child.stderr.on("data", (b: Buffer) => chunks.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString("latin1");
      resolvePromise(new QemuRun(status, output, timedOut, (Date.now() - start) / 1000));
    });
  });
}
