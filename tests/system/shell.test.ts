// The system a person uses, in QEMU: the default image (make run's build/keel.iso) boots init,
// which starts the services of its manifest: the console service, the keyboard and serial drivers
// feeding it, and the shell. Commands typed on the serial port and on the PS/2 keyboard (QEMU's
// monitor sendkey) are edited, run and answered on the console; poweroff ends QEMU. BIOS.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { BootResult, ROOT, bootIso, make, readPpm, requireQemu } from "./qemu.ts";
import { screenText } from "./screen-text.ts";

let serial: BootResult;
let keyboard: BootResult;
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
      { after: /shell quota[^\n]*\n[^]*keel:\/\$ /, text: "poweroff\r" },
    ],
    until: /PANIC/,
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

  test("poweroff turns the machine off: QEMU exits", () => {
    expect(serial.output, summary(serial)).toMatch(/^powering off$/m);
    expect(serial.stoppedEarly, summary(serial)).toBe(false);
    expect(serial.status, summary(serial)).not.toBe(124);
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
