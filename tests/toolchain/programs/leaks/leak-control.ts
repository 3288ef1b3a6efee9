// @live-at-exit: 10
// Negative control: ten nodes are never released, so the leak check must see them.
import { release } from "../../../../lang/core.ts";

class Leaky {
  constructor(public id: number) {}
}
let kept = 0;
for (let i = 0; i < 100; i++) {
  const l = new Leaky(i);
  if (i % 10 === 0) {
    kept += l.id;
    continue;
  }
  release(l);
}
console.log(kept);
