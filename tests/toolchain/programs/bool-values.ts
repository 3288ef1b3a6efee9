// Booleans stored in variables, arrays and fields, compared, negated and printed.
class Flags {
  ready = false;
  dirty = true;
}
const flags = new Flags();
const list = [true, false, true, true];
let count = 0;
for (const b of list) if (b) count++;
console.log(count, flags.ready, flags.dirty);
flags.ready = !flags.ready;
flags.dirty = flags.ready && !flags.dirty;
console.log(flags.ready, flags.dirty, `${flags.ready}/${flags.dirty}`);
const bits = new Array<boolean>(6).fill(false);
for (let i = 0; i < bits.length; i += 2) bits[i] = true;
for (const b of bits) console.log(b);
console.log(1 < 2, 2 < 1, 3 >= 3, 3 > 3, -1 <= -2);

export {};
