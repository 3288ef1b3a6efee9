// @live-at-exit: 0
// Binary trees built recursively and released by a post-order walk.
import { release } from "../../../../lang/core.ts";

class Tree {
  constructor(public left: Tree | null, public right: Tree | null, public value: number) {}
}
function build(depth: number, v: number): Tree {
  if (depth === 0) return new Tree(null, null, v);
  return new Tree(build(depth - 1, v * 2), build(depth - 1, v * 2 + 1), v);
}
function sum(t: Tree | null): number {
  return t === null ? 0 : t.value + sum(t.left) + sum(t.right);
}
function free(t: Tree | null): number {
  if (t === null) return 0;
  const n = free(t.left) + free(t.right) + 1;
  release(t);
  return n;
}
let freed = 0;
for (let d = 0; d < 10; d++) {
  const t = build(d, 1);
  console.log(d, sum(t));
  freed += free(t);
}
console.log(freed);
