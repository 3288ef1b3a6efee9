// Typed array methods a server uses to move bytes: set, subarray (a view sharing the elements),
// slice (a copy), indexOf/lastIndexOf/includes and fill with start/end, with Node's negative and
// out-of-range positions.
function show(label: string, a: Uint8Array): void {
  let s = "";
  for (let i = 0; i < a.length; i++) s += (i > 0 ? "," : "") + `${a[i]!}`;
  console.log(`${label}: [${s}] (${a.length})`);
}

const buf = new Uint8Array(10);
for (let i = 0; i < buf.length; i++) buf[i] = i * 3;
show("buf", buf);

// subarray is a view: writes through it change buf, and buf's writes show in it.
const mid = buf.subarray(2, 6);
show("mid", mid);
mid[0] = 200;
buf[5] = 77;
show("buf after", buf);
show("mid after", mid);
show("sub -3", buf.subarray(-3));
show("sub -100..2", buf.subarray(-100, 2));
show("sub 7..3", buf.subarray(7, 3));
show("sub 8..100", buf.subarray(8, 100));
show("sub none", buf.subarray());
const inner = mid.subarray(1, 3); // a view of a view
inner[1] = 99;
show("buf via inner", buf);

// slice copies.
const copy = buf.slice(1, -5);
copy[0] = 1;
show("copy", copy);
show("buf unchanged", buf);
show("slice -2", buf.slice(-2));
show("slice empty", buf.slice(6, 2));

// set: from an array, from a typed array of another kind (converted), from an overlapping view.
const out = new Uint8Array(8);
out.set([1, 2, 300, -1]);
show("set array", out);
out.set(new Uint16Array([0x1234, 0xff01]), 4);
show("set u16", out);
out.set(out.subarray(0, 4), 2);
show("set overlap right", out);
out.set(out.subarray(3), 0);
show("set overlap left", out);
out.set([], 8);
show("set empty at end", out);
const clamped = new Uint8ClampedArray(3);
clamped.set(new Int16Array([-5, 100, 1000]));
console.log(clamped[0]!, clamped[1]!, clamped[2]!);
const words = new Uint32Array(2);
words.set(new Int8Array([-1, 5]), 0);
console.log(words[0]!, words[1]!);
const bigs = new BigUint64Array(3);
bigs.set([1n, 2n], 1);
console.log(bigs[0]!, bigs[1]!, bigs[2]!);

// indexOf, lastIndexOf, includes.
const hay = new Uint8Array([1, 2, 3, 1, 2, 3, 0]);
console.log(hay.indexOf(2), hay.indexOf(2, 2), hay.indexOf(2, -3), hay.indexOf(9), hay.indexOf(1, 100), hay.indexOf(258));
console.log(hay.lastIndexOf(3), hay.lastIndexOf(3, 4), hay.lastIndexOf(3, -5), hay.lastIndexOf(1, -100), hay.lastIndexOf(0, 50));
console.log(hay.includes(0), hay.includes(4), hay.includes(1, -3), hay.includes(3, -2));
const signed = new Int16Array([-1, 65535, -32768]);
console.log(signed.indexOf(-1), signed.indexOf(65535), signed.indexOf(-32768), signed.subarray(1).indexOf(-1));
console.log(bigs.indexOf(2n), bigs.includes(3n));

// fill with start and end, returning the array.
const f = new Int8Array(6);
f.fill(7, 2);
console.log(f.subarray(0).length, f[1]!, f[2]!, f[5]!);
const chained = f.fill(-3, -2, -1).fill(1, 0, 1);
console.log(chained[0]!, chained[1]!, chained[2]!, chained[3]!, chained[4]!, chained[5]!);
f.fill(9, 4, 2);
f.fill(200, -100, 100);
console.log(f[0]!, f[3]!, f[4]!, f[5]!);
const plain = [1, 2, 3, 4, 5];
plain.fill(0, 1, 3);
console.log(plain.join(" "));
plain.fill(8, -1);
console.log(plain.join(" "));

// The receiver, then the arguments in order.
let trace = "";
function pick(tag: string, a: Uint8Array): Uint8Array {
  trace += tag;
  return a;
}
function n(tag: string, v: number): number {
  trace += tag;
  return v;
}
pick("r", buf).fill(n("v", 5), n("s", 0), n("e", 1));
show(trace, pick("R", buf).subarray(n("b", 0), n("e", 2)));
export {};
