// fbcon: the framebuffer console driver. init starts it with three capabilities, in this order:
// the boot framebuffer as device memory (write-combining; Read, Write, Map), a read-only memory
// object with the framebuffer's description and the console font (setup.ts), and the receive side
// of its endpoint. It checks that it can draw the format (32- and 24-bit RGB), maps the
// framebuffer (from then on the kernel stops drawing on it: docs/architecture.md, "Consoles"),
// clears it, and draws what its clients write (userland/lib/fbcon.ts, docs/services.md
// "Framebuffer console"): text with the PSF2 font, scrolling, a cursor, colours and the escape
// sequences of terminal.ts. A format it cannot draw, or a font it cannot read, is reported by
// name and it exits with status 0, which tells init not to start it again.
import { load8 } from "../../lang/mem.ts";
import { FbWord } from "../../abi/framebuffer.ts";
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { memoryPages } from "../lib/device.ts";
import { FBCON_TEXT_OFFSET, FBCON_WRITE_MAX, FbconOp, FbconStatus } from "../lib/fbcon.ts";
import {
  capDelete, ErrorCode, memoryMap, msgAlloc, msgCap, msgCapCount, msgClear, msgLabel, msgReplyHandle, msgSetLabel, msgSetWord,
  msgWord, receive, RECEIVED_CALL, reply, replyWait, Right,
} from "../lib/ipc.ts";
import { loadWord } from "../lib/runtime.ts";
import { errorText, exit } from "../lib/sys.ts";
import { Psf2, psf2Parse } from "./psf2.ts";
import { bannerText, formatName, Screen, screenClear, screenFlush, surfaceFromInfo, unsupportedReason } from "./screen.ts";
import { FONT_MAX_BYTES, FONT_OFFSET, SetupWord } from "./setup.ts";
import { termWrite, termWriteByte } from "./terminal.ts";

const FRAMEBUFFER = FIRST_START_HANDLE;
const SETUP = FIRST_START_HANDLE + 1;
const ENDPOINT = FIRST_START_HANDLE + 2;
const FB_VA = 0x80000000;
const SETUP_VA = 0x60000000;
const PAGE = 4096;

function fail(what: string, r: number): never {
  console.log(`fbcon: ${what}: ${errorText(r)}`);
  return exit(1);
}

/** Nothing this console can draw on: say what, and stop for good (status 0: init leaves it stopped). */
function cannotDraw(why: string): never {
  console.log(`fbcon: cannot draw on ${why}; exiting`);
  return exit(0);
}

// The description and the font, from the setup object.
let r = memoryMap(SETUP, SETUP_VA, Right.Read);
if (r < 0) fail("setup memory", r);
const setupBytes = memoryPages(SETUP) * PAGE;
const info: number[] = [];
for (let i = 0; i < 6; i++) info.push(loadWord(SETUP_VA + (SetupWord.Info + i) * 8));
const fontBytes = loadWord(SETUP_VA + SetupWord.FontBytes * 8);
if (fontBytes <= 0 || fontBytes > FONT_MAX_BYTES || FONT_OFFSET + fontBytes > setupBytes) cannotDraw(`a font of ${fontBytes} bytes`);
const fontData = new Uint8Array(fontBytes);
for (let i = 0; i < fontBytes; i++) fontData[i] = load8(SETUP_VA + FONT_OFFSET + i);
const font: Psf2 = psf2Parse(fontData);
if (font.error !== "") cannotDraw(`the console font: ${font.error}`);

const why = unsupportedReason(info);
if (why !== "") cannotDraw(why);
const offset = info[FbWord.Address]! % PAGE;
const needed = offset + info[FbWord.Pitch]! * info[FbWord.Height]!;
const pages = memoryPages(FRAMEBUFFER);
if (pages < 0) fail("framebuffer memory", pages);
if (pages * PAGE < needed) cannotDraw(`a framebuffer memory object of ${pages} pages for ${needed} bytes`);
if (Math.floor(info[FbWord.Width]! / font.width) === 0 || Math.floor(info[FbWord.Height]! / font.height) === 0) {
  cannotDraw(`${formatName(info)}: smaller than one ${font.width}x${font.height} character`);
}
r = memoryMap(FRAMEBUFFER, FB_VA, Right.Read | Right.Write);
if (r < 0) fail("framebuffer mapping", r);

const screen = new Screen(surfaceFromInfo(info, FB_VA + offset), font);
const term = screen.term;
screenClear(screen);
termWrite(term, bannerText(info, font, term.columns, term.rows));
screenFlush(screen);
console.log(`fbcon: ${formatName(info)}, ${font.width}x${font.height} font, ${term.columns}x${term.rows} cells`);

/** Serves the message in m and leaves the answer there. */
function serve(m: number): void {
  const label = msgLabel(m);
  const n = msgWord(m, 0);
  if (label === FbconOp.Write && n >= 0 && n <= FBCON_WRITE_MAX) {
    for (let i = 0; i < n; i++) termWriteByte(term, load8(m + FBCON_TEXT_OFFSET + i));
    screenFlush(screen);
  }
  for (let i = 0; i < 6; i++) msgSetWord(m, i, 0);
  if (label === FbconOp.Write) {
    const ok = n >= 0 && n <= FBCON_WRITE_MAX;
    msgSetLabel(m, ok ? FbconStatus.Ok : FbconStatus.BadRequest);
    if (ok) msgSetWord(m, 0, n);
    return;
  }
  if (label === FbconOp.Info) {
    msgSetLabel(m, FbconStatus.Ok);
    msgSetWord(m, 0, term.columns);
    msgSetWord(m, 1, term.rows);
    msgSetWord(m, 2, screen.surface.width);
    msgSetWord(m, 3, screen.surface.height);
    msgSetWord(m, 4, font.width);
    msgSetWord(m, 5, font.height);
    return;
  }
  msgSetLabel(m, FbconStatus.BadRequest);
}

/**
 * A message carrying capabilities (no register message can): taken with a buffer receive, its
 * capabilities deleted, and a call among them answered BadRequest.
 */
function refuseCaps(m: number): void {
  const got = receive(ENDPOINT, m, 0);
  if (got < 0) return;
  for (let i = 0; i < msgCapCount(m); i++) if (msgCap(m, i) !== 0) capDelete(msgCap(m, i));
  const rh = msgReplyHandle(m);
  if (rh === 0) return;
  msgClear(m);
  msgSetLabel(m, FbconStatus.BadRequest);
  reply(rh, m);
}

const m = msgAlloc();
const answer = msgAlloc();
let bad = 0;
for (;;) {
  const got = replyWait(ENDPOINT, m, -1);
  if (got === -ErrorCode.CapsNotAccepted) {
    refuseCaps(answer);
    bad++;
    msgClear(m);
    continue;
  }
  if (got < 0) fail("receive", got);
  const label = msgLabel(m);
  serve(m);
  if (msgLabel(m) !== FbconStatus.Ok) {
    bad++;
    // A few are worth a line on the log; a client sending nothing else is not.
    if (bad <= 3) console.log(`fbcon: bad request (label ${label}) answered`);
  }
  // A plain message (got 0) has nobody to answer: the next replyWait finds the slot empty.
  if (got !== RECEIVED_CALL) msgClear(m);
}
