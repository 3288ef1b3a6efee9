// The framebuffer console's protocol (docs/services.md, "Framebuffer console") and a client for it.
// The console is userland/fbcon; its endpoint is init's, which gives the send side to the console
// service (and, on the test image, to fbcon-test). Self-contained: it needs only the register
// call, so a client imports nothing else of the console.
//
// Write (label 1): word 0 = the number of bytes n (0..FBCON_WRITE_MAX), words 1..5 = the bytes,
// byte i in byte (i % 8) of word 1 + floor(i / 8) (little-endian, as they lie in memory). The
// bytes are UTF-8 text with control characters and escape sequences. Answer: Ok with word 0 = n,
// once the text is on the screen; BadRequest for a bad count.
// Info (label 2): answer Ok with columns, rows, width and height in pixels, cell width and height.
// Any other label, or a message carrying capabilities, is answered BadRequest.
import { store8 } from "../../lang/mem.ts";
import { UMsg } from "../../abi/message.ts";
import { callRegs, msgAlloc, msgClear, msgFree, msgLabel, msgSetLabel, msgSetWord, msgWord } from "./ipc.ts";

export const enum FbconOp {
  Write = 1,
  Info = 2,
}

export const enum FbconStatus {
  Ok = 0,
  /** An unknown label, a byte count outside 0..FBCON_WRITE_MAX, or capabilities attached. */
  BadRequest = 1,
}

/** Bytes one Write carries: words 1..5. */
export const FBCON_WRITE_MAX = 40;
/** Byte offset of the text in a message buffer (data word 1). */
export const FBCON_TEXT_OFFSET = (UMsg.Words + 1) * 8;

/**
 * Writes `text` (ASCII, with control characters and escape sequences) on the console behind `ep`,
 * FBCON_WRITE_MAX bytes per call; the number of bytes written, -error (the call failed), or
 * -1000 - status when the console refused a message.
 */
export function fbconWrite(ep: number, text: string): number {
  const m = msgAlloc();
  if (m === 0) return -1000 - FbconStatus.BadRequest;
  let done = 0;
  while (done < text.length) {
    const n = Math.min(text.length - done, FBCON_WRITE_MAX);
    msgClear(m);
    msgSetLabel(m, FbconOp.Write);
    msgSetWord(m, 0, n);
    for (let i = 0; i < n; i++) store8(m + FBCON_TEXT_OFFSET + i, text.charCodeAt(done + i) & 0xff);
    const r = callRegs(ep, m, -1);
    if (r < 0 || msgLabel(m) !== FbconStatus.Ok) {
      msgFree(m);
      return r < 0 ? r : -1000 - msgLabel(m);
    }
    done += n;
  }
  msgFree(m);
  return done;
}

/**
 * The console's size: 0 with columns, rows, width, height, cell width and cell height in `out`,
 * -error, or -1000 - status.
 */
export function fbconInfo(ep: number, out: number[], timeoutNs: number): number {
  const m = msgAlloc();
  msgClear(m);
  msgSetLabel(m, FbconOp.Info);
  const r = callRegs(ep, m, timeoutNs);
  const status = msgLabel(m);
  if (r >= 0 && status === FbconStatus.Ok) for (let i = 0; i < 6; i++) out[i] = msgWord(m, i);
  msgFree(m);
  if (r < 0) return r;
  return status === FbconStatus.Ok ? 0 : -1000 - status;
}
