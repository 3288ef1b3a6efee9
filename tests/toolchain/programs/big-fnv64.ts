// 64-bit FNV-1a and a splitmix64 sequence on bigint with explicit wraps.
function fnv1a(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h = h ^ BigInt(s.charCodeAt(i));
    h = BigInt.asUintN(64, h * 0x100000001b3n);
  }
  return h;
}
function splitmix(state: bigint): bigint {
  let z = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}
const words = ["", "a", "keel", "capability", "0123456789"];
for (const w of words) console.log(w.length, fnv1a(w), fnv1a(w).toString(16));
let s = 0n;
for (let i = 0; i < 6; i++) {
  s = splitmix(s);
  console.log(s.toString(16).padStart(16, "0"));
}

export {};
