// The system a person uses, in QEMU: the default image (make run's build/keel.iso) boots init,
// which starts the services of its manifest: the console service, the keyboard and serial drivers
// feeding it, the file system and the shell. Commands typed on the serial port and on the PS/2
// keyboard (QEMU's monitor sendkey) are edited, run and answered on the console; the file
// commands work on the file system the boot archive filled; poweroff ends QEMU. BIOS.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { BootResult, ROOT, bootIso, make, readPpm, requireQemu } from "./qemu.ts";
import { screenText } from "./screen-text.ts";

let serial: BootResult;
let keyboard: BootResult;
let files: BootResult;
const DUMP = resolve(ROOT, "build/system-logs/shell-screen.ppm");

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

const PROMPT = "keel:/$ ";
const prompted = /keel:\/\$ $/;

/** Keys for `sendkey`: one per character of `s` (letters, digits, space, a few signs). */
function keys(s: string): string[] {
  const names: Record<string, string> = { " ": "spc", "-": "minus", ".": "dot", "/": "slash", "=": "equal" };
  return [...s].map((c) => names[c] ?? c);
}

const classes = new Map<string, string>();

/** The rows of each `ps` table in `out`: pid and name, by name (and each name's class in `classes`). */
function psTables(out: string): Map<string, number>[] {
  const tables: Map<string, number>[] = [];
  for (const part of out.split(/\nPID +NAME +CLASS +STATE +THREADS +CAPS +KERNEL MEMORY\n/).slice(1)) {
    const rows = new Map<string, number>();
    for (const line of part.split("\n")) {
      const m = /^(\d+) +(\S+) +(driver|server|app) +(running|blocked|zombie) +\d+ +\d+ +\d+ of \d+$/.exec(line);
      if (m === null) break;
      rows.set(m[2]!, Number(m[1]!));
      classes.set(m[2]!, m[3]!);
    }
    tables.push(rows);
  }
  return tables;
}

function pidOf(rows: Map<string, number>, name: string): number {
  return rows.get(name) ?? 0;
}

/** Matches once the output holds `n` prompts (any working directory) and ends with one. */
class Prompts extends RegExp {
  constructor(private n: number) {
    super("keel:");
  }
  override test(s: string): boolean {
    return (s.match(/keel:[^\n$ ]*\$ /g)?.length ?? 0) >= this.n && /keel:[^\n$ ]*\$ $/.test(s);
  }
}

/** Each line typed once the answer to the one before it is in (one prompt per command). */
function oneAfterAnother(lines: (string | ((out: string) => string))[]): { after: RegExp; text: string | ((out: string) => string) }[] {
  return lines.map((line, i) => ({ after: new Prompts(i + 1), text: typeof line === "string" ? `${line}\r` : (out: string) => `${line(out)}\r` }));
}

/** `kill <pid>` of the program the shell last started in the background (`[pid]`). */
function killBackground(out: string): string {
  const pids = [...out.matchAll(/^\[(\d+)\]$/gm)];
  return `kill ${pids.length > 0 ? pids[pids.length - 1]![1]! : "0"}`;
}

/** The number `mem` reported as live kernel objects, the nth time. */
function kernelObjects(out: string, nth: number): number {
  return Number([...out.matchAll(/^kernel objects +(\d+)$/gm)][nth]?.[1] ?? -1);
}

/** `kill <pid>` of the fs server in the last `ps` table. */
function killFs(out: string): string {
  const tables = psTables(out);
  return `kill ${pidOf(tables[tables.length - 1]!, "fs")}`;
}

/**
 * What the shell answered to `command` typed at a prompt: the lines up to the next prompt. The
 * services' log lines are taken out first: they share the serial port and can land inside a line
 * the shell echoes.
 */
function answer(log: string, command: string, nth = 0): string {
  const out = log.replace(/(init|proc|fs): [^\n]*\n/g, "");
  const parts = out.split(new RegExp(`keel:[^\\n$ ]*\\$ ${command.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\n`));
  const after = parts[nth + 1];
  return after === undefined ? "(not typed)" : after.split(/keel:[^\n$ ]*\$ /)[0]!;
}

beforeAll(async () => {
  requireQemu(false);
  make("iso");
  const iso = resolve(ROOT, "build/keel.iso");
  // Each step waits for the answer of the one before it. ESC [ D is the left arrow, ESC [ A up,
  // DEL backspace, as a terminal sends them.
  serial = await bootIso(iso, {
    timeoutSeconds: 180,
    serialInput: [
      { after: /keel:\/\$ /, text: "echo hello   'keel world'\r" },
      { after: /hello keel world\n[^]*keel:\/\$ /, text: "ech x\x1b[D\x1b[Do\x1b[F\x7fworks\r" },
      { after: /\nworks\n[^]*keel:\/\$ /, text: "frobnicate\r" },
      { after: /frobnicate: command not found[^]*keel:\/\$ /, text: "uptime now\r" },
      { after: /uptime: takes no arguments[^]*keel:\/\$ /, text: "\x1b[A\x1b[A\x1b[A\x1b[A\r" },
      { after: /hello keel world\n[^]*hello keel world\n[^]*keel:\/\$ /, text: "echo 'open\r" },
      { after: /unterminated single quote[^]*keel:\/\$ /, text: "mem\r" },
      { after: /shell quota[^\n]*\n[^]*keel:\/\$ /, text: "ps\r" },
      { after: /\nPID +NAME[^]*keel:\/\$ /, text: "kill 1\r" },
      { after: /kill: 1 is init[^]*keel:\/\$ /, text: "kill 99\r" },
      { after: /kill: no process 99[^]*keel:\/\$ /, text: "kill\r" },
      { after: /kill: usage: kill <pid>[^]*keel:\/\$ /, text: (out) => `kill ${pidOf(psTables(out)[0]!, "kbd")}\r` },
      // The kill answered and init started a new kbd.
      { after: /^(?=[^]*\nkilled \d+ \(kbd\)\n[^]*keel:\/\$ )(?=[^]*driver kbd \(pid \d+\) was killed[^]*driver kbd started as pid \d+\n)/, text: "ps\r" },
      { after: /\nPID +NAME[^]*\nPID +NAME[^]*keel:\/\$ /, text: (out) => `kill ${pidOf(psTables(out)[1]!, "console")}\r` },
      { after: /is the console: refusing[^]*keel:\/\$ /, text: "log -n 200\r" },
      // The log holds init's report of the kill, under init's name and pid, and the kernel's lines.
      { after: /\] init\(1\): driver kbd \(pid \d+\) was killed[^]*keel:\/\$ /, text: "log -n 2 -l warn\r" },
      { after: /log -n 2 -l warn\r?\n[^]*keel:\/\$ /, text: "log -n x\r" },
      { after: /log: bad value 'x' for -n[^]*keel:\/\$ /, text: "log -f\r" },
      { after: /log: following; press a key to stop\n/, text: "q" },
      { after: /log: following[^]*keel:\/\$ /, text: "poweroff\r" },
    ],
    until: /PANIC/,
  });
  // The file commands; programs from /bin (in the foreground, faulting, in the background, killed
  // with Ctrl-C); then the file system's death: killed once it comes back with the archive's files
  // only; killed past its restart limit, a command gets one line of error, not a hang.
  const killAndCheck = ["ps", killFs, "cat /etc/motd"];
  const steps = oneAfterAnother([
    "cat /etc/motd", "ls /bin", "mkdir /tmp", "echo hello keel > /tmp/greeting", "cat /tmp/greeting", "echo again >> /tmp/greeting",
    "ls -l /tmp", "cd /tmp", "pwd", "mv greeting note", "cp note /copy", "ls -l", "cat /copy", "rm note", "ls", "cat note", "mkdir sub",
    "cd sub", "cd ../..", "rm /tmp", "rm /tmp/sub", "cd /nope", "cat /etc", "mv /copy", "echo x >", "ls /bin/../etc",
    "mem", "echo-args one 'two words'", "exit42", "divzero", "echo still answering", "nosuchprogram", "/etc/motd", "/bin", "hello-asm a b",
    "sleep 100000 &", "ps", killBackground, "sleep 100000", "sleep 10", "sleep 10 &", "echo x &", "exit42 > /tmp/x", "sleep 100 & 5", "mem",
    "ps", killFs, "cat /copy", "cat /etc/motd",
    ...killAndCheck, ...killAndCheck, ...killAndCheck, ...killAndCheck, "ps", killFs, "ls /", "poweroff",
  ]);
  // Ctrl-C once the foreground sleep is typed (bytes typed before it starts wait in the console).
  const sleeping = steps.findIndex((st) => st.text === "sleep 100000\r");
  steps.splice(sleeping + 1, 0, { after: /\$ sleep 100000\n/, text: "\x03" });
  files = await bootIso(iso, {
    timeoutSeconds: 300,
    logName: "keel-files",
    serialInput: steps,
    until: /powering off|PANIC/,
  });
  keyboard = await bootIso(iso, {
    timeoutSeconds: 180,
    logName: "keel-keyboard",
    monitor: [
      { after: /keel:\/\$ /, command: "sendkey e" },
      ...keys("cho typed").map((k) => ({ after: /keel:\/\$ e/, command: `sendkey ${k}` })),
      { after: /keel:\/\$ echo typed$/, command: "sendkey ret" },
      { after: /^typed$/m, command: "sendkey ctrl-c" },
      { after: /\^C\n[^]*keel:\/\$ /, command: `screendump ${DUMP}` },
      ...keys("echo dumped").map((k) => ({ after: /\^C\n[^]*keel:\/\$ /, command: `sendkey ${k}` })),
      { after: /keel:\/\$ echo dumped$/, command: "sendkey ret" },
    ],
    until: /^dumped$|PANIC/m,
  });
});

describe("the shell on the console", () => {
  test("init starts the console, the input drivers and the shell from the manifest, and no test program", () => {
    for (const s of ["server console", "driver kbd", "driver serial", "program shell"]) {
      expect(serial.output, summary(serial)).toMatch(new RegExp(`init: ${s} started as pid \\d+$`, "m"));
    }
    expect(serial.output, summary(serial)).not.toMatch(/init: (hello|exit42|badport|ipc-test) started/);
    expect(serial.output, summary(serial)).not.toMatch(/PANIC/);
  });

  test("a command typed on the serial port runs, with quoted words kept whole", () => {
    expect(serial.output, summary(serial)).toContain(`${PROMPT}echo hello   'keel world'\nhello keel world\n`);
  });

  test("the line is edited with the arrows, End and backspace", () => {
    expect(serial.output, summary(serial)).toMatch(/^works$/m);
  });

  test("an unknown command, extra arguments and an open quote each get one line of error", () => {
    expect(serial.output, summary(serial)).toMatch(/^keel: frobnicate: command not found \(help lists the commands\)$/m);
    expect(serial.output, summary(serial)).toMatch(/^uptime: takes no arguments$/m);
    expect(serial.output, summary(serial)).toMatch(/^keel: unterminated single quote$/m);
  });

  test("up goes back through the history", () => {
    // Four steps up from the empty line: uptime now, frobnicate, echo works, the first line.
    expect(serial.output.match(/^hello keel world$/gm)?.length, summary(serial)).toBe(2);
  });

  test("mem reports kernel objects, the kernel heap and the shell's quota", () => {
    expect(serial.output, summary(serial)).toMatch(/^kernel objects +\d+$/m);
    expect(serial.output, summary(serial)).toMatch(/^kernel heap +\d+ of \d+ bytes in use$/m);
    expect(serial.output, summary(serial)).toMatch(/^shell quota +\d+ of \d+ bytes used$/m);
  });

  test("ps lists every process, starting with its pid: init, the console, the drivers and the shell", () => {
    const tables = psTables(serial.output);
    expect(tables.length, summary(serial)).toBe(2);
    const first = tables[0]!;
    for (const name of ["init", "console", "kbd", "serial", "shell"]) expect(first.has(name), summary(serial)).toBe(true);
    expect(first.get("init"), summary(serial)).toBe(1);
    expect(serial.output, summary(serial)).toMatch(/^1 +init +app +(running|blocked) +1 +\d+ +\d+ of \d+$/m);
    expect(serial.output, summary(serial)).toMatch(/^\d+ +shell +app +running +1 +[1-9]\d* +[1-9]\d* of 2097152$/m);
    // Each service runs in its manifest's class.
    expect([classes.get("kbd"), classes.get("fbcon"), classes.get("console"), classes.get("shell")], summary(serial)).toEqual(["driver", "driver", "server", "app"]);
  });

  test("kill ends kbd and init starts a new one; init, the console and bad input get one line of error", () => {
    const [before, after] = psTables(serial.output);
    const old = before!.get("kbd")!;
    expect(serial.output, summary(serial)).toMatch(new RegExp(`^killed ${old} \\(kbd\\)$`, "m"));
    expect(serial.output, summary(serial)).toMatch(new RegExp(`init: driver kbd \\(pid ${old}\\) was killed \\(status 9\\); restarting`));
    expect(after!.get("kbd"), summary(serial)).toBeGreaterThan(0);
    expect(after!.get("kbd"), summary(serial)).not.toBe(old);
    expect(after!.get("console"), summary(serial)).toBe(before!.get("console"));
    expect(serial.output, summary(serial)).toMatch(/^kill: 1 is init: refusing to kill it$/m);
    expect(serial.output, summary(serial)).toMatch(/^kill: no process 99$/m);
    expect(serial.output, summary(serial)).toMatch(/^kill: usage: kill <pid>$/m);
    expect(serial.output, summary(serial)).toMatch(new RegExp(`^kill: ${after!.get("console")!} is the console: refusing to kill it$`, "m"));
  });

  test("log shows the system log: each record once, a line longer than a record joined, with its source", () => {
    const shown = serial.output.slice(serial.output.indexOf(`${PROMPT}log -n 200\n`));
    // init's report of the kill, under init's name and pid, without init's own prefix again.
    expect(shown, summary(serial)).toMatch(/^\[ +\d+\.\d{6}\] init\(1\): driver kbd \(pid \d+\) was killed/m);
    // The kernel's lines say kernel; the long APIC line (more than one record) comes out whole.
    expect(shown, summary(serial)).toMatch(/^\[ +\d+\.\d{6}\] kernel: apic: 1 CPUs[^\n]*ISA overrides[^\n]*\n/m);
    expect(shown, summary(serial)).toMatch(/^\[ +\d+\.\d{6}\] log\(\d+\): started, \d+ records from the kernel's ring$/m);
    // What programs showed on the console (the shell's own prompt and echo) is not in the log.
    expect(shown.slice(shown.indexOf("\n")), summary(serial)).not.toMatch(/^\[[^\n]*\] console\(\d+\): keel:/m);
    expect(serial.output, summary(serial)).toMatch(/^log: bad value 'x' for -n; usage: log /m);
    expect(serial.output, summary(serial)).toMatch(/^log: following; press a key to stop$/m);
  });

  test("poweroff turns the machine off: QEMU exits", () => {
    expect(serial.output, summary(serial)).toMatch(/^powering off$/m);
    expect(serial.stoppedEarly, summary(serial)).toBe(false);
    expect(serial.status, summary(serial)).not.toBe(124);
  });

  test("the boot archive fills the file system: /etc/motd, the programs in /bin", () => {
    expect(files.output, summary(files)).toMatch(/init: server fs started as pid \d+$/m);
    expect(files.output, summary(files)).toMatch(/^fs: \d+ files \(\d+ bytes\) and 2 directories from the boot archive$/m);
    expect(files.output, summary(files)).not.toMatch(/fs: boot archive:/);
    expect(answer(files.output, "cat /etc/motd")).toMatch(/^Welcome to Keel/);
    const bin = answer(files.output, "ls /bin").split("\n");
    for (const name of ["console", "fs", "init", "kbd", "serial", "shell", "echo-args", "sleep", "hello-asm"]) expect(bin, summary(files)).toContain(name);
    expect(answer(files.output, "ls /bin/../etc")).toBe("motd\n");
  });

  test("echo > and >> write a file, cat reads it, ls -l shows its size; mv, cp, rm; cd and pwd move the prompt", () => {
    const out = files.output;
    expect(answer(out, "cat /tmp/greeting"), summary(files)).toBe("hello keel\n");
    expect(answer(out, "ls -l /tmp"), summary(files)).toBe("-         17 greeting\n");
    expect(out, summary(files)).toContain("keel:/tmp$ pwd\n/tmp\nkeel:/tmp$ ");
    expect(answer(out, "ls -l"), summary(files)).toBe("-         17 note\n");
    expect(answer(out, "cat /copy"), summary(files)).toBe("hello keel\nagain\n");
    expect(answer(out, "ls"), summary(files)).toBe("");
    expect(answer(out, "cat note"), summary(files)).toBe("cat: note: not found\n");
    expect(out, summary(files)).toContain("keel:/tmp/sub$ cd ../..\nkeel:/$ ");
    expect(answer(out, "rm /tmp"), summary(files)).toBe("rm: /tmp: directory not empty\n");
    expect(answer(out, "rm /tmp/sub"), summary(files)).toBe("");
    expect(answer(out, "cd /nope"), summary(files)).toBe("cd: /nope: not found\n");
    expect(answer(out, "cat /etc"), summary(files)).toBe("cat: /etc: is a directory\n");
    expect(answer(out, "mv /copy"), summary(files)).toBe("mv: usage: mv <from> <to>\n");
    expect(answer(out, "echo x >"), summary(files)).toBe("keel: > needs a file name\n");
  });

  test("a program in /bin runs with its arguments, its output on the console and its end reported", () => {
    const out = files.output;
    const args = answer(out, "echo-args one 'two words'");
    expect(args, summary(files)).toContain("echo-args: argc=3 envc=2\n");
    expect(args, summary(files)).toContain("echo-args: argv[0]=[echo-args]\necho-args: argv[1]=[one]\necho-args: argv[2]=[two words]\n");
    expect(args, summary(files)).toMatch(/echo-args: exit status 3\n$/);
    // Written through the console service, not the kernel: the log holds no line of it.
    expect(out, summary(files)).not.toMatch(/\] echo-args\(\d+\):/);
    expect(answer(out, "exit42"), summary(files)).toMatch(/exit42: exiting with status 42\n[^]*exit42: exit status 42\n$/);
    expect(answer(out, "hello-asm a b"), summary(files)).toMatch(/hello-asm: written by a program in assembly\n[^]*hello-asm: exit status 3\n$/);
    expect(answer(out, "sleep 10"), summary(files)).toBe("");
  });

  test("a faulting program, an unknown one and a file that is not a program each get one line; the shell goes on", () => {
    const out = files.output;
    // The kernel's fault report shares the serial port: the shell's line ends the answer.
    expect(answer(out, "divzero"), summary(files)).toMatch(/divzero: killed by exception 0 \(divide error\)\n$/);
    expect(out, summary(files)).toMatch(/^divzero: killed by exception 0 \(divide error\)$/m);
    expect(out, summary(files)).toMatch(/proc: divzero \(pid \d+\) killed: #DE/);
    expect(answer(out, "echo still answering"), summary(files)).toBe("still answering\n");
    expect(answer(out, "nosuchprogram"), summary(files)).toBe("keel: nosuchprogram: command not found (help lists the commands)\n");
    // The kernel logs why its ELF loader refused the file, on the same port.
    expect(answer(out, "/etc/motd"), summary(files)).toMatch(/elf: image: file is not an ELF file[^]*\/etc\/motd: not an executable \(BadExecutable\)\n$/);
    expect(out, summary(files)).toMatch(/^\/etc\/motd: not an executable \(BadExecutable\)$/m);
    expect(answer(out, "/bin"), summary(files)).toBe("keel: /bin: is a directory\n");
    // The background `sleep 10` before it may be reported at this prompt, after the answer.
    expect(answer(out, "echo x &"), summary(files)).toMatch(/^keel: echo: a built-in command does not run in the background\n/);
    expect(answer(out, "exit42 > /tmp/x"), summary(files)).toBe("keel: exit42: a program's output cannot be redirected\n");
    expect(answer(out, "sleep 100 & 5"), summary(files)).toBe("keel: & only at the end of a line\n");
  });

  test("& runs a program in the background: ps shows it, the prompt reports its end; Ctrl-C kills one in the foreground", () => {
    const out = files.output;
    const started = /^\[(\d+)\]$/m.exec(answer(out, "sleep 100000 &"));
    expect(started, summary(files)).not.toBeNull();
    const pid = Number(started![1]!);
    expect(answer(out, "ps"), summary(files)).toMatch(new RegExp(`^${pid} +sleep +app +blocked +1 `, "m"));
    expect(answer(out, `kill ${pid}`), summary(files)).toBe(`killed ${pid} (sleep)\n[${pid}] done, sleep: killed\n`);
    expect(answer(out, "sleep 100000"), summary(files)).toBe("^C\nsleep: killed\n");
    // A short one in the background: its end is reported at a later prompt.
    expect(out, summary(files)).toMatch(/^\[(\d+)\]\n[^]*^\[\1\] done, exit status 0$/m);
  });

  test("kernel objects return to their baseline once the programs have ended", () => {
    const before = kernelObjects(files.output, 0);
    expect(before, summary(files)).toBeGreaterThan(0);
    expect(kernelObjects(files.output, 1), summary(files)).toBe(before);
  });

  test("a file system that dies comes back with the archive's files only; past its restart limit a call gets one line of error", () => {
    const out = files.output;
    expect(out, summary(files)).toMatch(/init: server fs \(pid \d+\) was killed \(status 9\); restarting \(1 of 5\)/);
    // After the first kill: what was written is gone, the archive's files are back.
    expect(answer(out, "cat /copy", 1), summary(files)).toBe("cat: /copy: not found\n");
    expect(answer(out, "cat /etc/motd", 1), summary(files)).toMatch(/^Welcome to Keel/);
    expect(answer(out, "cat /etc/motd", 5), summary(files)).toMatch(/^Welcome to Keel/);
    expect(out, summary(files)).toMatch(/init: server fs \(pid \d+\) was killed \(status 9\); restarted 5 times already, left stopped/);
    expect(answer(out, "ls /"), summary(files)).toBe("ls: /: timed out\n");
    expect(out, summary(files)).toMatch(/^powering off$/m);
    expect(out, summary(files)).not.toMatch(/PANIC/);
  });

  test("keys typed on the PS/2 keyboard reach the shell; Ctrl-C drops the line", () => {
    expect(keyboard.output, summary(keyboard)).toMatch(/keel:\/\$ echo typed\ntyped\n/);
    expect(keyboard.output, summary(keyboard)).toMatch(/\^C\n/);
    expect(keyboard.output, summary(keyboard)).not.toMatch(/PANIC/);
  });

  test("the prompt, the typed command and its answer are drawn on the screen by the framebuffer console", () => {
    expect(keyboard.output, summary(keyboard)).toMatch(/init: driver fbcon started as pid \d+$/m);
    const dump = readPpm(DUMP);
    expect(dump, `no screen dump in ${DUMP}`).not.toBeNull();
    const rows = screenText(dump!, new Uint8Array(readFileSync(resolve(ROOT, "build/font/keel-console.psf"))));
    const at = rows.indexOf("keel:/$ echo typed");
    expect(at, rows.join("\n")).toBeGreaterThanOrEqual(0);
    expect(rows[at + 1], rows.join("\n")).toBe("typed");
    expect(rows[at + 2], rows.join("\n")).toBe("keel:/$ ^C");
  });
});
