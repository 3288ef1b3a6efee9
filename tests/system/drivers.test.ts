// Userland drivers in QEMU: the image of `make iso-user` boots with init starting the PS/2
// keyboard driver (kbd) and the serial driver, each with the interrupt line and ports of its own
// device and the console's endpoint, and nothing else. Keys sent through QEMU's monitor (sendkey)
// arrive at kbd as interrupts and reach the shell through the console; bytes written to the serial
// port arrive at the serial driver and do the same; a program that touches a port it was not
// granted is ended with a report naming the port. BIOS.
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
      // The shell's prompt came long before, among the other programs' output: the echo follows it.
      { after: /programs done[^]*K/, command: "sendkey e" },
      { after: /programs done[^]*Ke/, command: "sendkey e" },
      { after: /programs done[^]*Kee/, command: "sendkey l" },
      { after: /programs done[^]*Keel/, command: "sendkey ctrl-c" },
    ],
    serialInput: [{ after: /Keel\^C\n[^]*keel:\/\$ /, text: "echo hello keel\r" }],
    until: /\nhello keel\n|PANIC/,
  });
});

describe("the keyboard and serial drivers in user mode", () => {
  test("init starts it with its devices, and keystrokes reach the shell through the console", () => {
    expect(run.output, summary(run)).toMatch(/init: driver kbd started as pid \d+$/m);
    expect(run.output, summary(run)).toMatch(ready);
    expect(run.output, summary(run)).toMatch(/\nKeel\^C\nkeel:\/\$ /);
    expect(run.output, summary(run)).not.toMatch(/PANIC|kbd \(pid \d+\) was killed/);
  });

  test("bytes typed on the serial port reach the shell through the serial driver", () => {
    expect(run.output, summary(run)).toMatch(/init: driver serial started as pid \d+$/m);
    expect(run.output, summary(run)).toMatch(/keel:\/\$ echo hello keel\nhello keel\n/);
  });

  test("a program without the port's capability is ended with a report naming the port", () => {
    expect(run.output, summary(run)).toMatch(/badport \(pid \d+\) killed: #GP General Protection/);
    expect(run.output, summary(run)).toMatch(/I\/O port 0x60 was not granted to this process/);
    expect(run.output, summary(run)).toMatch(/init: badport \(pid \d+\) was killed by exception 13$/m);
    expect(run.output, summary(run)).not.toMatch(/badport: read \d/);
  });
});
