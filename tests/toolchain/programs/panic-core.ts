// @expect: panic
// @stderr: PANIC: frame allocator exhausted (0 free)
// @panic-line: marked
import { panic } from "../../../lang/core.ts";

let free = 3;
function alloc(): number {
  if (free === 0) {
    console.log("about to panic");
    const left = free;
    panic(`frame allocator exhausted (${left} free)`); // panic here
  }
  free--;
  return 0x1000 * (free + 1);
}
for (let i = 0; i < 10; i++) console.log(alloc().toString(16));
