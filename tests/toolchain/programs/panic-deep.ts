// @expect: panic
// @stderr: depth limit 7 reached
// A throw deep in a recursion stops the whole program.
function descend(depth: number, acc: number): number {
  console.log("depth", depth, acc);
  if (depth === 7) throw new Error(`depth limit ${depth} reached`);
  return descend(depth + 1, acc * 2 + depth);
}
console.log(descend(0, 1));

export {};
