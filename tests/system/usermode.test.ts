// User mode in QEMU, BIOS and UEFI: the image of `make iso-user`, with one more program given
// through EXTRA_MODULES. init starts every program; each misbehaving one is handled as specified (killed
// with a report, or refused with an error code) while the kernel and the other processes go on,
// and init sees every exit status.
import { beforeAll, describe, expect, test } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

const EXTRA = resolve(ROOT, "build/user/bench/nop.elf");
/** Services init starts and supervises apart from the programs (its manifest, userland/init/manifest.ts). */
const DRIVERS = ["log", "kbd", "serial", "pci", "virtio-blk", "fbcon", "console", "fs", "kv", "kv-test", "shell"];
/** Programs that are not boot modules of this image: test-only ones (mk/userland.mk, USER_TEST_ONLY) and those only in /bin (USER_BIN_ONLY). */
const TEST_ONLY = ["blk-test", "fbcon-test", "args-test", "echo-args", "sleep"];
/** Every program mk/userland.mk puts on the image (other parts add theirs), then the extra one. */
const PROGRAMS = [
  ...readdirSync(resolve(ROOT, "userland"))
    .filter((d) => d !== "lib" && d !== "init" && !DRIVERS.includes(d) && !TEST_ONLY.includes(d) && existsSync(resolve(ROOT, "userland", d, "main.ts")))
    .sort(),
  "nop",
];
let run: BootResult;
// Patterns match from a line's middle to its end: each user line is written by one system call,
// but kernel threads print with interrupts on, so the boot thread's last line can be cut by one.

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

/** The status line init printed for `name`. */
function outcome(name: string): string {
  const m = new RegExp(`init: ${name} \\(pid (\\d+)\\) (.*)$`, "m").exec(run.output);
  return m === null ? "(no line)" : m[2]!;
}

beforeAll(() => {
  requireQemu(true);
  make("iso-user", `EXTRA_MODULES=${EXTRA}`);
});

for (const firmware of ["bios", "uefi"] as const) describe(`user mode (${firmware} boot)`, () => {
  beforeAll(async () => {
    run = await bootIso(resolve(ROOT, "build/iso/user.iso"), {
      uefi: firmware === "uefi",
      timeoutSeconds: firmware === "uefi" ? 300 : 180,
      until: /init: all \d+ programs done[^\n]*\n|PANIC/,
    });
  });

  test("init is the first process and starts every other program, the extra module included", () => {
    expect(run.output, summary(run)).toMatch(/proc: init started as pid 1$/m);
    // The font, init, the boot archive (rootfs), the programs.
    expect(run.output, summary(run)).toMatch(new RegExp(`init: pid 1, ${PROGRAMS.length + DRIVERS.length + 3} boot modules$`, "m"));
    for (const name of PROGRAMS) expect(run.output, summary(run)).toMatch(new RegExp(`init: ${name} started as pid \\d+$`, "m"));
    expect(run.output, summary(run)).toMatch(new RegExp(`init: started ${PROGRAMS.length} programs$`, "m"));
    expect(run.output, summary(run)).not.toMatch(/PANIC/);
  });

  test("the example server of the guide answers its client: entries kept per badge, errors and its limit by name", () => {
    expect(run.output, summary(run)).toMatch(/init: server kv started as pid \d+$/m);
    expect(run.output, summary(run)).toMatch(/kv-test: colour is green \(green\): ok$/m);
    expect(run.output, summary(run)).toMatch(/kv-test: get a missing key: ok$/m);
    expect(run.output, summary(run)).toMatch(/kv: store full \(KV_MAX_ENTRIES 64\): 1 puts refused so far$/m);
    expect(run.output, summary(run)).toMatch(/kv-test: done, 0 failed$/m);
    expect(run.output, summary(run)).not.toMatch(/kv-test: [^\n]*FAILED/);
  });

  test("a process exits with a status its parent sees", () => {
    expect(run.output, summary(run)).toMatch(/exit42: exiting with status 42$/m);
    expect(outcome("exit42")).toBe("exited with status 42");
    expect(outcome("hello")).toBe("exited with status 0");
    expect(outcome("nop")).toBe("exited with status 0");
    expect(run.output, summary(run)).toMatch(/hello: heap ok, 2 blocks/m);
  });

  test("a program with managed memory (strings, growable arrays, Map, Set) runs on its collected heap", () => {
    expect(run.output, summary(run)).toMatch(/managed: 13 routes, 257 keys, first \/svc\/0=1539, last \/svc\/9=1538$/m);
    // "ok": it allocated more than four times the heap it ended with (its 256 KiB static arena;
    // keel_heap_more in userland/lib/heap.ts would give it more).
    expect(run.output, summary(run)).toMatch(/managed: ok, heap \d+ bytes, \d+ bytes mapped$/m);
    expect(outcome("managed")).toBe("exited with status 0");
  });

  test("a null dereference kills the process with a page-fault report", () => {
    expect(run.output, summary(run)).toMatch(/error: proc: nullptr \(pid \d+\) killed: #PF Page Fault at rip=0x40[0-9a-f]{4}$/m);
    expect(run.output, summary(run)).toMatch(/ {2}address 0x0\n {2}cause: not-present page, read, user mode$/m);
    expect(run.output, summary(run)).not.toMatch(/read \d+, which should not happen/);
    expect(outcome("nullptr")).toBe("was killed by exception 14");
  });

  test("a privileged instruction kills the process with a general-protection report", () => {
    expect(run.output, summary(run)).toMatch(/error: proc: privileged \(pid \d+\) killed: #GP General Protection at rip=0x40[0-9a-f]{4}$/m);
    expect(run.output, summary(run)).not.toMatch(/hlt returned/);
    expect(outcome("privileged")).toBe("was killed by exception 13");
  });

  test("an invalid opcode and a divide error kill their processes with reports", () => {
    expect(run.output, summary(run)).toMatch(/error: proc: badop \(pid \d+\) killed: #UD Invalid Opcode at rip=0x40[0-9a-f]{4}$/m);
    expect(outcome("badop")).toBe("was killed by exception 6");
    expect(run.output, summary(run)).toMatch(/error: proc: divzero \(pid \d+\) killed: #DE Divide Error at rip=0x40[0-9a-f]{4}$/m);
    expect(outcome("divzero")).toBe("was killed by exception 0");
    expect(run.output, summary(run)).not.toMatch(/which should not happen/);
  });

  test("a fault report names the TypeScript statement when the program's line table knows it", () => {
    const source = readFileSync(resolve(ROOT, "userland/nullptr/main.ts"), "utf8").split("\n");
    const line = source.findIndex((l) => l.includes("load8(0)")) + 1;
    expect(line).toBeGreaterThan(0);
    expect(run.output, summary(run)).toMatch(new RegExp(`killed: #PF Page Fault at rip=0x[0-9a-f]+\n {2}address 0x0\n {2}cause: [^\n]*\n {2}at userland/nullptr/main\\.ts:${line}\n`));
  });

  test("a kernel address passed to a system call is refused with an error code", () => {
    expect(run.output, summary(run)).toMatch(/badptr: write\(kernel address\): -64 \(bad address\)$/m);
    expect(run.output, summary(run)).toMatch(/badptr: 5 of 5 refused with bad address$/m);
    expect(outcome("badptr")).toBe("exited with status 0");
  });

  test("an unknown system call number returns an error code", () => {
    expect(run.output, summary(run)).toMatch(/badsys: syscall 999 = -65 \(unknown system call\), syscall -1 = -65 \(unknown system call\)$/m);
    expect(outcome("badsys")).toBe("exited with status 7");
  });

  test("a program sleeps on timer objects, measured with the clock it reads without a system call", () => {
    expect(run.output, summary(run)).toMatch(/timers: one-shot 20 ms: woke after \d+ us with bits 1$/m);
    expect(run.output, summary(run)).toMatch(/timers: periodic 5 ms: 5 ticks in \d+ us$/m);
    expect(run.output, summary(run)).toMatch(/timers: ok$/m);
    expect(outcome("timers")).toBe("exited with status 0");
  });

  test("a program with several threads runs beside the others and exits", () => {
    expect(run.output, summary(run)).toMatch(/^THREADS calls=50 server=300 client=200$/m);
    expect(run.output, summary(run)).toMatch(/^THREADS ok$/m);
    expect(outcome("threads")).toBe("exited with status 0");
  });

  test("the system keeps running after the faults: init collects everyone", () => {
    const m = /init: all (\d+) programs done: (\d+) exited, (\d+) killed$/m.exec(run.output);
    expect(m, summary(run)).not.toBeNull();
    expect(Number(m![1])).toBe(PROGRAMS.length);
    expect(Number(m![2]) + Number(m![3])).toBe(PROGRAMS.length);
    expect(Number(m![3])).toBeGreaterThanOrEqual(4);
    // Every program has its line, in the order init collected them.
    for (const name of PROGRAMS) expect(outcome(name), summary(run)).toMatch(/(exited with status -?\d+|was killed by exception \d+)$/);
    expect(run.stoppedEarly, summary(run)).toBe(true);
  });
});
