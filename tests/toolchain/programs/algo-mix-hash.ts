// @checked
// SHA-like mixing rounds with Math.imul, rotations and 32-bit additions (murmur3 and a toy compress).
function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
function murmur3(words: Uint32Array, seed: number): number {
  let h = seed;
  for (const w of words) {
    let k = Math.imul(w, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function compress(state: Uint32Array, block: Uint32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  for (let r = 0; r < 64; r++) {
    const f = r < 32 ? (b & c) | (~b & d) : b ^ c ^ d;
    const t = (a + f + block[r & 15]! + Math.imul(r, 0x5a827999)) | 0;
    a = d;
    d = c;
    c = rotl(b, 30);
    b = rotl(t, 5 + (r & 7));
  }
  state[0] = state[0]! + a;
  state[1] = state[1]! + b;
  state[2] = state[2]! + c;
  state[3] = state[3]! + d;
}
const words = new Uint32Array(16);
for (let i = 0; i < 16; i++) words[i] = Math.imul(i + 1, 0x01000193);
console.log(murmur3(words, 0), murmur3(words, 0x9747b28c), murmur3(new Uint32Array(0), 1));
const st = new Uint32Array(4);
const init = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
for (let i = 0; i < 4; i++) st[i] = init[i]!;
for (let i = 0; i < 10; i++) {
  compress(st, words);
  words[i] = st[i & 3]!;
}
console.log(st[0]!.toString(16), st[1]!.toString(16), st[2]!.toString(16), st[3]!.toString(16));

export {};
