// In-kernel suite `memory` (keel.test=memory): the frame allocator and object pools on the real
// machine, after memoryInit.
import { kernelSection } from "../../arch/x86_64/cpu.ts";
import { load32, store32 } from "../../../lang/mem.ts";
import { release } from "../../../lang/core.ts";
import {
  allocContiguous, allocFrame, freeContiguous, freeFrame, frameInUse, frameIsFree,
} from "../../mm/frame-allocator.ts";
import { PAGE_SIZE, physToVirt, virtToPhys } from "../../arch/x86_64/layout.ts";
import { kernelFrames } from "../../mm/mm.ts";
import { Pool } from "../support/pool.ts";
import { TestRunner } from "../runner.ts";

const BATCH = 64;

class Probe {
  value = 0;
}

function makeProbe(): Probe {
  return new Probe();
}

function releaseProbe(p: Probe): void {
  release(p);
}

export function runMemorySuite(t: TestRunner): void {
  t.begin("memory");
  const fa = kernelFrames();
  const freeBefore = fa.freeFrames;
  t.expect("has-free-memory", fa.freeFrames > 0 && fa.freeFrames <= fa.usableFrames,
    `free ${fa.freeFrames} of ${fa.usableFrames} usable frames`);

  const a = allocFrame(fa);
  t.expect("alloc-aligned", a > 0 && a % PAGE_SIZE === 0, `got 0x${a.toString(16)}`);
  t.expect("alloc-marks-used", frameInUse(fa, a), "allocated frame not marked in use");
  freeFrame(fa, a);
  t.expect("free-marks-free", frameIsFree(fa, a), "freed frame not marked free");
  const b = allocFrame(fa);
  t.expectEqual("free-then-reuse", b, a);
  freeFrame(fa, b);

  // A batch: distinct, outside the first MiB and the kernel image, writable through the direct map.
  const frames = new Array<number>(BATCH).fill(0);
  const kStart = virtToPhys(kernelSection(0));
  const kEnd = virtToPhys(kernelSection(4));
  let distinct = true;
  let outside = true;
  let patternOk = true;
  for (let i = 0; i < BATCH; i++) {
    const f = allocFrame(fa);
    frames[i] = f;
    if (f < 0x100000 || (f + PAGE_SIZE > kStart && f < kEnd)) outside = false;
    for (let j = 0; j < i; j++) {
      if (frames[j] === f) distinct = false;
    }
    store32(physToVirt(f), 0x5eed0000 + i);
    store32(physToVirt(f) + PAGE_SIZE - 4, i);
  }
  for (let i = 0; i < BATCH; i++) {
    const v = physToVirt(frames[i]!);
    if (load32(v) !== 0x5eed0000 + i || load32(v + PAGE_SIZE - 4) !== i) patternOk = false;
  }
  t.expect("batch-distinct", distinct, "a frame was handed out twice");
  t.expect("batch-outside-reserved", outside, "a frame inside the first MiB or the kernel image");
  t.expect("batch-writable", patternOk, "pattern written to frames did not read back");
  t.expectEqual("batch-free-count", fa.freeFrames, freeBefore - BATCH);
  for (let i = 0; i < BATCH; i++) freeFrame(fa, frames[i]!);
  t.expectEqual("batch-returned", fa.freeFrames, freeBefore);
  release(frames);

  const run = allocContiguous(fa, 16, 16);
  t.expect("contiguous-aligned", run > 0 && run % (16 * PAGE_SIZE) === 0, `got 0x${run.toString(16)}`);
  let runUsed = true;
  for (let i = 0; i < 16; i++) {
    if (!frameInUse(fa, run + i * PAGE_SIZE)) runUsed = false;
  }
  t.expect("contiguous-used", runUsed, "a frame of the run is not marked in use");
  freeContiguous(fa, run, 16);
  t.expectEqual("contiguous-returned", fa.freeFrames, freeBefore);

  const pool = new Pool<Probe>("test-probe", 4, 16, makeProbe, releaseProbe);
  const p1 = pool.alloc();
  const p2 = pool.alloc();
  t.expectEqual("pool-live", pool.stats.live, 2);
  if (p1 !== null) pool.free(p1);
  if (p2 !== null) pool.free(p2);
  t.expectEqual("pool-baseline", pool.stats.live, 0);
  t.expectEqual("pool-peak", pool.stats.peak, 2);
}
