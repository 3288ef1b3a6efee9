// Boots a Keel ISO headless in QEMU (through scripts/run-qemu.sh) and collects the serial log.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { basename, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

/** isa-debug-exit statuses: (code << 1) | 1 for the codes of kernel/test/runner.ts. */
export const STATUS_PASSED = (0x10 << 1) | 1;
export const STATUS_FAILED = (0x11 << 1) | 1;
export const STATUS_PANICKED = (0x12 << 1) | 1;

/** init's last line: every boot module it started has ended. */
export const INIT_DONE = /init: all \d+ programs done: \d+ exited, \d+ killed/;
/** The shell's first prompt, in the root directory. */
export const SHELL_PROMPT = /keel:\/\$ /;
/** Booted to the shell: its prompt and init's last line, in either order (they race). */
export const SHELL_AND_INIT_DONE = new RegExp(`^(?=[\\s\\S]*${SHELL_PROMPT.source})[\\s\\S]*${INIT_DONE.source}`);

/**
 * Why the log does not show a system up to its shell (init started it, it prompts and has not
 * ended); null when it does.
 */
export function shellNotUp(output: string): string | null {
  if (!/init: program shell started as pid \d+/.test(output)) return "init did not start the shell";
  if (/init: shell \(pid \d+\) (exited|was killed)/.test(output)) return "the shell ended";
  if (!SHELL_PROMPT.test(output)) return "no shell prompt";
  return null;
}

export class BootResult {
  constructor(
    /** QEMU's exit status; null when the run was stopped after `until` matched. */
    readonly status: number | null,
    /** Serial output with carriage returns and terminal escapes removed. */
    readonly output: string,
    readonly stoppedEarly: boolean,
  ) {}

  get lines(): string[] {
    return this.output.split("\n");
  }

  /** The kernel's lines: everything after GRUB's `Booting 'Keel'` line, blank lines dropped. */
  get kernelLines(): string[] {
    const lines = this.lines;
    let start = 0;
    for (let i = lines.length - 1; i >= 0; i--) {
      if (lines[i]!.includes("Booting `Keel'")) {
        start = i + 1;
        break;
      }
    }
    return lines.slice(start).filter((l) => l.trim() !== "" && !l.startsWith("error: no suitable video mode"));
  }
}

export interface BootOptions {
  uefi?: boolean;
  /** Seconds before QEMU is killed (run-qemu.sh's timeout gives status 124). */
  timeoutSeconds?: number;
  /** Stop QEMU as soon as the output matches (for boots that idle instead of exiting). */
  until?: RegExp;
  bench?: boolean;
  /** Extra QEMU arguments (a later -cpu overrides run-qemu.sh's -cpu max). */
  qemuArgs?: string[];
  /** Boot the image as a USB stick (run-qemu.sh --usb) instead of a CD-ROM. */
  usb?: boolean;
  /** QEMU machine and properties (run-qemu.sh --machine), e.g. "pc,hpet=off". */
  machine?: string;
  /** Guest RAM (run-qemu.sh --memory, default 256M). */
  memory?: string;
  /**
   * No serial port: the output is QEMU's debug console (port 0xe9) instead, which the kernel
   * writes only when its command line has keel.debugcon=1.
   */
  noSerial?: boolean;
  /**
   * When `until` matches, save the screen (QEMU's monitor `screendump`, a PPM) to this file before
   * QEMU is stopped: what a user of a machine without a serial port sees.
   */
  screendump?: string;
  /**
   * QEMU monitor commands (`sendkey a`, ...), each sent once the serial output first matches its
   * `after` pattern, in order: a step waits for the one before it. (Not with `screendump`: the
   * monitor takes one client at a time.)
   */
  monitor?: { after: RegExp; command: string }[];
  /**
   * Text written to the serial port (QEMU's stdin) once the output first matches `after`, in order;
   * a function makes the text from the output so far (a pid the system printed, say).
   */
  serialInput?: { after: RegExp; text: string | ((output: string) => string) }[];
  /**
   * A raw disk image file attached as a virtio block device (virtio-blk-pci, transitional: PCI
   * 1af4:1001 with its legacy I/O BAR on pc); writes go to the file.
   */
  disk?: string;
  /** Log file name in build/system-logs (default `<iso>-<bios|uefi>`), for boots of one ISO that differ otherwise. */
  logName?: string;
}

/**
 * QEMU boots at a time within one test file: each TCG boot keeps about one host CPU busy, so one
 * per CPU, at most KEEL_QEMU_JOBS (default 2). Boots beyond that wait for a slot; a test that
 * starts several boots at once (describe.concurrent) thus uses the machine without crowding it.
 */
export const QEMU_JOBS = Math.max(1, Number(process.env.KEEL_QEMU_JOBS ?? Math.min(2, availableParallelism())) || 1);
let running = 0;
let monitorSerial = 0;
const waiting: (() => void)[] = [];

async function acquireSlot(): Promise<void> {
  if (running < QEMU_JOBS) {
    running++;
    return;
  }
  await new Promise<void>((wake) => waiting.push(wake));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next(); // the slot passes straight to the next boot
  else running--;
}

/** Fails with a clear message when QEMU, OVMF or the ISO tools are missing. */
export function requireQemu(uefi: boolean): void {
  const probe = spawnSync("qemu-system-x86_64", ["--version"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error("qemu-system-x86_64 is not installed: run `make setup` (Debian package qemu-system-x86)");
  }
  if (uefi && !existsSync("/usr/share/OVMF/OVMF_CODE_4M.fd")) {
    throw new Error("OVMF firmware is not installed: run `make setup` (Debian package ovmf)");
  }
}

export function stripTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}

/** Boots `iso` once a QEMU slot is free (see QEMU_JOBS); the timeout counts from QEMU's start. */
export async function bootIso(iso: string, opts: BootOptions = {}): Promise<BootResult> {
  requireQemu(opts.uefi ?? false);
  await acquireSlot();
  try {
    return await runQemu(iso, opts);
  } finally {
    releaseSlot();
  }
}

function runQemu(iso: string, opts: BootOptions): Promise<BootResult> {
  const args = [resolve(ROOT, "scripts/run-qemu.sh"), "--headless", "--timeout", String(opts.timeoutSeconds ?? 120)];
  if (opts.uefi) args.push("--uefi");
  if (opts.bench) args.push("--bench");
  if (opts.usb) args.push("--usb");
  if (opts.machine) args.push("--machine", opts.machine);
  if (opts.memory) args.push("--memory", opts.memory);
  if (opts.noSerial) args.push("--no-serial");
  args.push(iso);
  const steps = [...(opts.monitor ?? [])];
  const monitor = opts.screendump ? `${opts.screendump}.monitor`
    : steps.length > 0 ? resolve(tmpdir(), `keel-monitor-${process.pid}-${monitorSerial++}.sock`) : "";
  const extra = [...(opts.noSerial ? ["-debugcon", "stdio"] : []), ...(monitor ? ["-monitor", `unix:${monitor},server=on,wait=off`] : []),
    ...(opts.disk ? ["-drive", `file=${opts.disk},if=none,id=d0,format=raw`, "-device", "virtio-blk-pci,drive=d0"] : []),
    ...(opts.qemuArgs ?? [])];
  if (extra.length > 0) args.push("--", ...extra);
  return new Promise((resolvePromise, reject) => {
    const typing = [...(opts.serialInput ?? [])];
    const child = spawn("bash", args, { cwd: ROOT, detached: true, stdio: [typing.length > 0 ? "pipe" : "ignore", "pipe", "pipe"] });
    // Input that finds QEMU gone is no failure of its own.
    child.stdin?.on("error", () => {});
    let raw = "";
    let stopped = false;
    let commands: Socket | null = null;
    // The monitor prints its prompt once on connecting and again after each command it has done.
    let sent = 0;
    let prompts = 0;
    let monitorGone = false;
    let whenAnswered: (() => void) | null = null;
    const answered = (): void => {
      if (whenAnswered !== null && (monitorGone || prompts >= sent + 1)) {
        const go = whenAnswered;
        whenAnswered = null;
        go();
      }
    };
    const sendSteps = (): void => {
      while (steps.length > 0 && steps[0]!.after.test(stripTerminal(raw))) {
        const step = steps.shift()!;
        if (commands === null) {
          commands = connect(monitor);
          // A monitor that went away with QEMU is no failure of its own: the output says what happened.
          commands.on("error", () => {
            monitorGone = true;
            answered();
          });
          commands.on("data", (d: Buffer) => {
            prompts += (d.toString("latin1").match(/\(qemu\)/g) ?? []).length;
            answered();
          });
        }
        sent++;
        commands.write(`${step.command}\n`);
      }
      while (typing.length > 0 && typing[0]!.after.test(stripTerminal(raw))) {
        const text = typing.shift()!.text;
        child.stdin!.write(typeof text === "string" ? text : text(stripTerminal(raw)));
      }
    };
    const onData = (chunk: Buffer): void => {
      raw += chunk.toString("latin1");
      sendSteps();
      if (!stopped && opts.until && opts.until.test(stripTerminal(raw))) {
        stopped = true;
        const stop = (): void => void process.kill(-child.pid!, "SIGTERM");
        if (opts.screendump) {
          void screendump(monitor, opts.screendump).finally(stop);
        } else if (commands !== null) {
          // Commands sent (a screendump among them) finish before QEMU is stopped.
          const timer = setTimeout(stop, 15_000);
          whenAnswered = () => {
            clearTimeout(timer);
            stop();
          };
          answered();
        } else {
          stop();
        }
      }
    };
    child.stdout!.on("data", onData);
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (commands !== null) commands.destroy();
      if (err.trim() !== "" && !stopped) process.stderr.write(err);
      const result = new BootResult(stopped ? null : code, stripTerminal(raw), stopped);
      // Every serial log is kept for reading after a failure: build/system-logs/<iso>-<firmware>.log
      // (or <logName>.log).
      const logDir = resolve(ROOT, "build/system-logs");
      mkdirSync(logDir, { recursive: true });
      const name = `${opts.logName ?? `${basename(iso).replace(/\.(iso|img)$/, "")}-${opts.uefi ? "uefi" : "bios"}`}.log`;
      writeFileSync(resolve(logDir, name), `status ${result.status}\n${result.output}`);
      resolvePromise(result);
    });
  });
}

/** Asks QEMU's monitor (a unix socket) to save the screen to `file`; resolves once it is written. */
async function screendump(monitor: string, file: string): Promise<void> {
  rmSync(file, { force: true });
  await new Promise<void>((done) => {
    const sock = connect(monitor, () => sock.write(`screendump ${file}\n`));
    sock.on("error", () => done());
    // The monitor echoes the command and prints its prompt again once the dump is done.
    let seen = "";
    sock.on("data", (d) => {
      seen += d.toString("latin1");
      if (/screendump[^]*\(qemu\)/.test(seen)) {
        sock.end();
        done();
      }
    });
    setTimeout(() => { sock.destroy(); done(); }, 15_000);
  });
}

/** A binary PPM (P6) as QEMU's screendump writes it. */
export interface Screen {
  width: number;
  height: number;
  /** RGB bytes, row by row. */
  pixels: Buffer;
}

export function readPpm(file: string): Screen | null {
  if (!existsSync(file)) return null;
  const b = readFileSync(file);
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 64).toString("latin1"));
  if (!m) return null;
  const width = Number(m[1]), height = Number(m[2]);
  return { width, height, pixels: b.subarray(m[0].length, m[0].length + width * height * 3) };
}

/**
 * Runs make with the given targets in the repository (the system tests build their ISOs once).
 * Under an exclusive lock on build/.make.lock: test files that run at once (or a test and a
 * benchmark in the same tree) take turns, so one never rebuilds an image or a shared object
 * another is still writing; each then finds what the other built up to date. Images are renamed
 * into place (scripts/make-iso.sh), so a QEMU already booting one keeps reading the old file.
 */
export function make(...targets: string[]): void {
  mkdirSync(resolve(ROOT, "build"), { recursive: true });
  const r = spawnSync("flock", [resolve(ROOT, "build/.make.lock"), "make", "--no-print-directory", ...targets], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`make ${targets.join(" ")} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}
