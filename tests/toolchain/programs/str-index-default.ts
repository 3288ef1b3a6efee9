// `s[i] ?? d` and `xs[i] ?? d`: out of range JavaScript reads undefined and `??` gives d, so the
// compiled program does not stop there; a null element gives d too.
class Node2 {
  constructor(public name: string) {}
}

function charOr(s: string, i: number): string {
  return s[i] ?? "?";
}

let log = "";
function idx(tag: string, i: number): number {
  log += tag;
  return i;
}
function fallback(tag: string): number {
  log += tag;
  return -1;
}

const s = "abc";
let out = "";
for (let i = -2; i < 5; i++) out += charOr(s, i);
console.log(out, charOr("", 0));

const xs = [10, 20, 30];
console.log(xs[1] ?? 0, xs[3] ?? 0, xs[-1] ?? 7);
const bytes = new Uint8Array([5, 250]);
console.log(bytes[1] ?? 0, bytes[2] ?? 99);
const big = new BigUint64Array(1);
big[0] = 1n << 63n;
console.log(big[0] ?? 0n, big[1] ?? 3n);

// The right side runs only when it is needed, after the array and the index.
console.log(xs[idx("a", 0)] ?? fallback("b"), xs[idx("c", 9)] ?? fallback("d"), log);

const nodes: (Node2 | null)[] = [new Node2("one"), null];
const dflt = new Node2("default");
console.log((nodes[0] ?? dflt).name, (nodes[1] ?? dflt).name, (nodes[2] ?? dflt).name);
export {};
