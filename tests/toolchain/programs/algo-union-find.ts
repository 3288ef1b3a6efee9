// Union-find with path compression and union by rank; connected components of a generated graph.
class DisjointSet {
  parent: Int32Array;
  rank: Uint8Array;
  sets: number;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.rank = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.sets = n;
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root]! !== root) root = this.parent[root]!;
    let cur = x;
    while (this.parent[cur]! !== root) {
      const next = this.parent[cur]!;
      this.parent[cur] = root;
      cur = next;
    }
    return root;
  }
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.rank[ra]! < this.rank[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    if (this.rank[ra]! === this.rank[rb]!) this.rank[ra] = this.rank[ra]! + 1;
    this.sets--;
    return true;
  }
}
const ds = new DisjointSet(200);
let merged = 0;
for (let i = 0; i < 150; i++) {
  const a = Math.imul(i, 7919) >>> 0;
  const b = Math.imul(i + 13, 104729) >>> 0;
  if (ds.union(a % 200, b % 200)) merged++;
}
console.log(merged, ds.sets, ds.find(0) === ds.find(7919 % 200), ds.find(199));
let maxRank = 0;
for (const r of ds.rank) maxRank = Math.max(maxRank, r);
console.log(maxRank);

export {};
