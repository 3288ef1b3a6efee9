// @live-at-exit: 0
// Typed arrays, fixed arrays and array literals allocated in loops and released each iteration.
import { release } from "../../../../lang/core.ts";

let checksum = 0;
for (let i = 1; i <= 300; i++) {
  const bytes = new Uint8Array(i);
  bytes.fill(i);
  const words = new Array<number>(8).fill(i);
  const lit = [i, i * 2, i * 3];
  const bigs = new BigUint64Array(2);
  bigs[0] = BigInt(i);
  checksum = (checksum + bytes[i - 1]! + words[7]! + lit[2]! + Number(bigs[0]!)) | 0;
  release(bytes);
  release(words);
  release(lit);
  release(bigs);
}
console.log(checksum);
