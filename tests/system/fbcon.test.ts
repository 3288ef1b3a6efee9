// The framebuffer console in user mode: the image of `make iso-fbcon` boots with init starting
// fbcon with the boot framebuffer (device memory, write-combining), the font and its endpoint, and
// fbcon-test as its client. QEMU's monitor saves the screen twice: after fbcon-test wrote its first
// screen (colours, tab, backspace, carriage return, enough lines to scroll), and after it killed
// fbcon, init started it again and fbcon-test wrote more. Each dump must equal, pixel for pixel,
// what the same text draws on the host with the ISO's font (userland/fbcon on simulated memory),
// and its rows of text must read back as the expected characters through an independent decoding
// of the font. The kernel says it stops drawing once fbcon maps the framebuffer. Malformed
// messages are answered with an error and fbcon goes on. Then the same image with GRUB setting a
// 24-bit mode (drawn too) and a 16-bit one (fbcon names the format and exits without mapping the
// framebuffer, so the kernel does not hand it over; init does not start it again). BIOS.
import { beforeAll, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BootResult, ROOT, bootIso, make, readPpm, requireQemu, type Screen as Ppm } from "./qemu.ts";
import { attachMemory, detachAllMemory, type SimRegion } from "../../lang/host/memory.ts";
import { fbFieldsWord, fbFormatWord, FramebufferType } from "../../abi/framebuffer.ts";
import { psf2Parse } from "../../userland/fbcon/psf2.ts";
import { bannerText, PALETTE, Screen, screenClear, screenFlush, surfaceFromInfo } from "../../userland/fbcon/screen.ts";
import { termReset, termWrite } from "../../userland/fbcon/terminal.ts";
import { firstText, secondText } from "../../userland/fbcon-test/texts.ts";
import { screenRow } from "./screen-text.ts";
import { decodePsf2 } from "../unit/console/font.ts";

const LOGS = resolve(ROOT, "build/system-logs");
const dump1 = resolve(LOGS, "fbcon-1.ppm");
const dump2 = resolve(LOGS, "fbcon-2.ppm");
const dump24 = resolve(LOGS, "fbcon-24.ppm");
const W = 1024;
const H = 768;

let run: BootResult;
let run24: BootResult;
let run16: BootResult;
let fontBytes: Uint8Array;

function summary(r: BootResult): string {
  return `status ${r.status}${r.stoppedEarly ? " (stopped)" : ""}, serial log:\n${r.output}`;
}

/** A boot that dumps the screen after each of fbcon-test's screens. */
function bootWithDumps(iso: string, first: string, second: string, logName: string): Promise<BootResult> {
  return bootIso(resolve(ROOT, "build/iso", iso), {
    timeoutSeconds: 300,
    logName,
    monitor: [
      { after: /fbcon-test: screen 1 drawn/, command: `screendump ${first}` },
      { after: /fbcon-test: screen 2 drawn/, command: `screendump ${second}` },
    ],
    until: /fbcon-test: done|init: fbcon-test \(pid \d+\) (exited|was killed)|PANIC/,
  });
}

beforeAll(async () => {
  requireQemu(false);
  make("iso-fbcon", "iso-fbcon-modes");
  fontBytes = new Uint8Array(readFileSync(resolve(ROOT, "build/font/keel-console.psf")));
  [run, run24, run16] = await Promise.all([
    bootWithDumps("fbcon.iso", dump1, dump2, "fbcon-bios"),
    bootWithDumps("fbcon-24.iso", resolve(LOGS, "fbcon-24-first.ppm"), dump24, "fbcon-24-bios"),
    bootIso(resolve(ROOT, "build/iso/fbcon-16.iso"), {
      timeoutSeconds: 300,
      logName: "fbcon-16-bios",
      screendump: resolve(LOGS, "fbcon-16.ppm"),
      until: /init: all \d+ programs done[^\n]*\n|PANIC/,
    }),
  ]);
}, 900_000);

/** What fbcon draws for `texts` on a 32-bit 1024x768 screen, as RGB bytes (a PPM's pixels). */
function expectedScreen(texts: string[], withBanner: boolean): Buffer {
  detachAllMemory();
  const pitch = W * 4;
  const mem: SimRegion = attachMemory(0x1000000, pitch * H);
  const info = [0xfd000000, pitch, W, H, fbFormatWord(FramebufferType.Rgb, 32), fbFieldsWord(16, 8, 8, 8, 0, 8)];
  const font = psf2Parse(fontBytes);
  expect(font.error).toBe("");
  const scr = new Screen(surfaceFromInfo(info, 0x1000000), font);
  screenClear(scr);
  termReset(scr.term);
  if (withBanner) termWrite(scr.term, bannerText(info, font, scr.term.columns, scr.term.rows));
  for (const t of texts) {
    termWrite(scr.term, t);
    screenFlush(scr);
  }
  screenFlush(scr);
  const out = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    const px = mem.view.getUint32(i * 4, true);
    out[i * 3] = (px >> 16) & 0xff;
    out[i * 3 + 1] = (px >> 8) & 0xff;
    out[i * 3 + 2] = px & 0xff;
  }
  return out;
}

/** Pixels that differ, and the first one's position. */
function compare(got: Ppm, want: Buffer): { differ: number; first: string } {
  let differ = 0;
  let first = "";
  for (let i = 0; i < W * H; i++) {
    if (got.pixels[i * 3] !== want[i * 3] || got.pixels[i * 3 + 1] !== want[i * 3 + 1] || got.pixels[i * 3 + 2] !== want[i * 3 + 2]) {
      if (differ === 0) first = `(${i % W}, ${Math.floor(i / W)})`;
      differ++;
    }
  }
  return { differ, first };
}

function readRow(s: Ppm, row: number): string {
  return screenRow(s, fontBytes, row);
}

describe("the framebuffer console in user mode", () => {
  test("init starts fbcon with the framebuffer, and the kernel hands the screen over", () => {
    expect(run.output, summary(run)).toMatch(/init: driver fbcon started as pid \d+$/m);
    expect(run.output, summary(run)).toMatch(/console: pid \d+ maps the framebuffer; the kernel stops drawing on it/);
    expect(run.output, summary(run)).toMatch(/fbcon: RGB 32 bpp 1024x768, \d+x\d+ font, \d+x\d+ cells/);
    expect(run.output, summary(run)).toMatch(/fbcon-test: console \d+x\d+ cells, 1024x768 pixels/);
    expect(run.output, summary(run)).not.toMatch(/PANIC/);
  });

  test("text sent to fbcon is drawn with the font: colours, controls, scrolling", () => {
    expect(run.output, summary(run)).toMatch(/fbcon-test: screen 1 drawn \(\d+ bytes\)/);
    const s = readPpm(dump1);
    expect(s, `no screen dump in ${dump1}`).not.toBeNull();
    expect(`${s!.width}x${s!.height}`).toBe(`${W}x${H}`);
    const { differ, first } = compare(s!, expectedScreen([firstText()], false));
    expect(differ, `pixels differing from the host's drawing, the first at ${first}`).toBe(0);
    // Scrolled: the first lines are gone, the last ones at the bottom.
    const rows = Math.floor(H / decodePsf2(fontBytes).height);
    expect(readRow(s!, 0)).not.toMatch(/screen 1/);
    expect(readRow(s!, rows - 2)).toBe("line 45 of 45");
    expect(readRow(s!, rows - 1)).toBe("inverse end");
  });

  test("malformed messages are answered with an error, and fbcon goes on", () => {
    expect(run.output, summary(run)).toMatch(/fbcon-test: unknown label: status 1$/m);
    expect(run.output, summary(run)).toMatch(/fbcon-test: count 41: status 1$/m);
    expect(run.output, summary(run)).toMatch(/fbcon-test: count -5: status 1$/m);
    expect(run.output, summary(run)).toMatch(/fbcon-test: with a capability: status 1$/m);
    expect(run.output, summary(run)).toMatch(/fbcon-test: still answering: 0$/m);
    expect(run.output, summary(run)).not.toMatch(/fbcon \(pid \d+\) killed: #/);
  });

  test("killed, fbcon is started again and draws again", () => {
    expect(run.output, summary(run)).toMatch(/init: driver fbcon \(pid \d+\) was killed \(status 77\); restarting \(1 of 5\)/);
    expect(run.output, summary(run)).toMatch(/fbcon-test: answered again after \d+ tries: 0/);
    expect(run.output, summary(run)).toMatch(/fbcon-test: screen 2 drawn \(\d+ bytes\)/);
    const s = readPpm(dump2);
    expect(s, `no screen dump in ${dump2}`).not.toBeNull();
    const { differ, first } = compare(s!, expectedScreen([secondText()], true));
    expect(differ, `pixels differing from the host's drawing, the first at ${first}`).toBe(0);
    expect(readRow(s!, 0)).toMatch(/^Keel framebuffer console: RGB 32 bpp 1024x768/);
    expect(readRow(s!, 1)).toBe("after the restart: still drawing");
  });

  test("a 24-bit framebuffer is drawn the same", () => {
    expect(run24.output, summary(run24)).toMatch(/fbcon: RGB 24 bpp 1024x768/);
    expect(run24.output, summary(run24)).toMatch(/fbcon-test: screen 2 drawn/);
    const s = readPpm(dump24);
    expect(s, `no screen dump in ${dump24}`).not.toBeNull();
    expect(readRow(s!, 0)).toMatch(/^Keel framebuffer console: RGB 24 bpp 1024x768/);
    expect(readRow(s!, 1)).toBe("after the restart: still drawing");
  });

  test("a format it cannot draw is named, fbcon exits without taking the screen and stays stopped", () => {
    expect(run16.output, summary(run16)).toMatch(/fbcon: cannot draw on a RGB 16 bpp 1024x768 framebuffer; exiting/);
    expect(run16.output, summary(run16)).toMatch(/init: driver fbcon \(pid \d+\) exited with status 0: nothing to do, not restarted/);
    expect(run16.output, summary(run16)).not.toMatch(/maps the framebuffer/);
    expect(run16.output, summary(run16)).toMatch(/fbcon-test: no console/);
  });
});
