// Kahn's topological sort of a module dependency graph; reports a cycle when one exists.
function topo(n: number, from: number[], to: number[]): Int32Array {
  const indeg = new Int32Array(n);
  for (const t of to) indeg[t] = indeg[t]! + 1;
  const order = new Int32Array(n).fill(-1);
  const ready = new Int32Array(n);
  let rh = 0;
  let rt = 0;
  for (let i = 0; i < n; i++) if (indeg[i]! === 0) ready[rt++] = i;
  let k = 0;
  while (rh < rt) {
    const u = ready[rh++]!;
    order[k++] = u;
    for (let e = 0; e < from.length; e++) {
      if (from[e]! !== u) continue;
      const v = to[e]!;
      indeg[v] = indeg[v]! - 1;
      if (indeg[v]! === 0) ready[rt++] = v;
    }
  }
  return order;
}
const o1 = topo(6, [5, 5, 4, 4, 2, 3], [2, 0, 0, 1, 3, 1]);
for (const v of o1) console.log(v);
const o2 = topo(4, [0, 1, 2, 2], [1, 2, 0, 3]);
let placed = 0;
for (const v of o2) if (v >= 0) placed++;
console.log("cycle", placed < 4, placed);

export {};
