// A byte trie in flat Int32Arrays: insert words, look them up, count prefixes.
const MAX_NODES = 256;
const next = new Int32Array(MAX_NODES * 26).fill(-1);
const terminal = new Uint8Array(MAX_NODES);
const passes = new Int32Array(MAX_NODES);
let nodes = 1;
function insert(w: string): void {
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i) - 97;
    if (next[n * 26 + c]! < 0) next[n * 26 + c] = nodes++;
    n = next[n * 26 + c]!;
    passes[n] = passes[n]! + 1;
  }
  terminal[n] = 1;
}
function walk(w: string): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    n = next[n * 26 + w.charCodeAt(i) - 97]!;
    if (n < 0) return -1;
  }
  return n;
}
const words = ["keel", "kernel", "key", "capability", "cap", "capture", "endpoint", "end"];
for (const w of words) insert(w);
const queries = ["keel", "ke", "cap", "capa", "end", "ends", "x"];
for (const q of queries) {
  const n = walk(q);
  console.log(q, n >= 0 && terminal[n]! === 1, n < 0 ? 0 : passes[n]!);
}
console.log(nodes);

export {};
