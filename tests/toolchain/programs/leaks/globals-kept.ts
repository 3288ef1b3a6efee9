// @live-at-exit: 3
// Module-level objects live until exit: three allocations stay, every temporary is released.
import { release } from "../../../../lang/core.ts";

class Registry {
  count = 0;
}
const registry = new Registry();
const names = new Uint8Array(16);
const slots = new Array<number>(4).fill(0);
for (let i = 0; i < 100; i++) {
  const tmp = new Int32Array(4);
  tmp[i & 3] = i;
  slots[i & 3] = slots[i & 3]! + tmp[i & 3]!;
  names[i & 15] = i;
  registry.count++;
  release(tmp);
}
console.log(registry.count, slots[0]!, slots[3]!, names[15]!);
