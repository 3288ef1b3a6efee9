// Userland drivers in QEMU: the image of `make iso-user` boots with init starting the PS/2
// keyboard driver (kbd) and the serial driver, each with the interrupt line and ports of its own
// device and nothing else. Keys sent through QEMU's monitor (sendkey) arrive at kbd as interrupts
// and come out as key events; bytes written to the serial port arrive at the serial driver as
// lines; a program that touches a port it was not granted is ended with a report naming the
// port. BIOS.
import { beforeAll, describe, expect, test } from "vitest";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, requireQemu } from "./qemu.ts";

let run: BootResult;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

const ready = /kbd: ready/;

beforeAll(async () => {
  requireQemu(false);
  make("iso-user");
  run = await bootIso(resolve(ROOT, "build/iso/user.iso"), {
    timeoutSeconds: 240,
    // Each key waits for the event of the one before it, so none is typed before the driver runs.
    monitor: [
      { after: /init: all \d+ programs done/, command: "sendkey shift-k" },
      { after: /kbd: key 'K' shift/, command: "sendkey e" },
      { after: /kbd: key 'e'/, command: "sendkey e" },
      { after: /kbd: key 'e'[^]*kbd: key 'e'/, command: "sendkey l" },
      { after: /kbd: key 'l'/, command: "sendkey ctrl-c" },
      { after: /kbd: key code 3 ctrl/, command: "sendkey up" },
    ],
    serialInput: [{ after: /kbd: key code 256/, text: "hello keel\r\nsecond line\n" }],
    until: /serial: line 'second line'[^\n]*\n|PANIC/,
  });
});

describe("the keyboard and serial drivers in user mode", () => {
  test("init starts it with its devices, and it turns keystrokes into key events", () => {
    expect(run.output, summary(run)).toMatch(/init: driver kbd started as pid \d+$/m);
    expect(run.output, summary(run)).toMatch(ready);
    const keys = run.output.split("\n").filter((l) => l.startsWith("kbd: key ")).map((l) => l.slice(9).trim());
    expect(keys, summary(run)).toEqual(["'K' shift", "'e'", "'e'", "'l'", "code 3 ctrl", "code 256"]);
    expect(run.output, summary(run)).not.toMatch(/PANIC|kbd \(pid \d+\) was killed/);
  });

  test("bytes typed on the serial port reach the serial driver as lines", () => {
    expect(run.output, summary(run)).toMatch(/init: driver serial started as pid \d+$/m);
    const lines = run.output.split("\n").filter((l) => l.startsWith("serial: line ")).map((l) => l.slice(13).trim());
    expect(lines, summary(run)).toEqual(["'hello keel'", "'second line'"]);
  });

  test("a program without the port's capability is ended with a report naming the port", () => {
    expect(run.output, summary(run)).toMatch(/badport \(pid \d+\) killed: #GP General Protection/);
    expect(run.output, summary(run)).toMatch(/I\/O port 0x60 was not granted to this process/);
    expect(run.output, summary(run)).toMatch(/init: badport \(pid \d+\) was killed by exception 13$/m);
    expect(run.output, summary(run)).not.toMatch(/badport: read \d/);
  });
});
