// A one-way byte pipe between two processes: a 4 KiB ring in a shared memory object, and two
// notifications, one the reader waits on for data, one the writer waits on for room. No system call
// moves the bytes; the kernel only wakes whoever waits. Bits stay pending in a notification until
// taken, so a signal between a check and the wait that follows is never lost.
//
// The memory object has PIPE_PAGES pages: the first holds the counters (bytes written, bytes read,
// writer closed), the second the ring. Counters only grow; their difference is what is buffered.
import { load8, store8 } from "../../lang/mem.ts";
import { loadWord, memoryMap, memoryUnmap, notificationWait, Right, signal, storeWord, Timeout } from "./ipc.ts";

export const PIPE_PAGES = 2;
export const PIPE_RING = 4096;
const WRITTEN = 0;
const READ = 8;
const CLOSED = 16;

export class Pipe {
  /** Where the memory object is mapped. */
  base = 0;
  /** Notification signalled when data arrives (the reader waits on it). */
  dataReady = 0;
  /** Notification signalled when room appears (the writer waits on it). */
  spaceReady = 0;
}

/**
 * Maps the pipe's memory object `mem` read-write at `base` and returns the pipe, or null when the
 * mapping is refused. Both ends call this with their own handles.
 */
export function pipeOpen(mem: number, base: number, dataReady: number, spaceReady: number): Pipe | null {
  if (memoryMap(mem, base, Right.Read | Right.Write) !== 0) return null;
  const p = new Pipe();
  p.base = base;
  p.dataReady = dataReady;
  p.spaceReady = spaceReady;
  return p;
}

export function pipeUnmap(p: Pipe): void {
  memoryUnmap(p.base);
}

/** Writes all `len` bytes from `src`, waiting for room as needed. Returns len, or -error. */
export function pipeWrite(p: Pipe, src: number, len: number): number {
  const ring = p.base + 4096;
  let done = 0;
  while (done < len) {
    const w = loadWord(p.base + WRITTEN);
    const r = loadWord(p.base + READ);
    const room = PIPE_RING - (w - r);
    if (room === 0) {
      const e = notificationWait(p.spaceReady, Timeout.Forever);
      if (e < 0) return e;
      continue;
    }
    const n = Math.min(room, len - done);
    for (let i = 0; i < n; i++) store8(ring + ((w + i) % PIPE_RING), load8(src + done + i));
    storeWord(p.base + WRITTEN, w + n);
    done += n;
    const s = signal(p.dataReady, 1);
    if (s < 0) return s;
  }
  return len;
}

/** Reads up to `max` bytes into `dst`, waiting for at least one; 0 once closed and drained. */
export function pipeRead(p: Pipe, dst: number, max: number): number {
  const ring = p.base + 4096;
  for (;;) {
    const w = loadWord(p.base + WRITTEN);
    const r = loadWord(p.base + READ);
    if (w === r) {
      if (loadWord(p.base + CLOSED) !== 0) return 0;
      const e = notificationWait(p.dataReady, Timeout.Forever);
      if (e < 0) return e;
      continue;
    }
    const n = Math.min(w - r, max);
    for (let i = 0; i < n; i++) store8(dst + i, load8(ring + ((r + i) % PIPE_RING)));
    storeWord(p.base + READ, r + n);
    const s = signal(p.spaceReady, 1);
    if (s < 0) return s;
    return n;
  }
}

/** The writer is done: the reader drains what is left and then reads 0. */
export function pipeClose(p: Pipe): void {
  storeWord(p.base + CLOSED, 1);
  signal(p.dataReady, 1);
}
