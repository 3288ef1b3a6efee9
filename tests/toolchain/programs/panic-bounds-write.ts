// @expect: panic
// @compiled-only
// @panic-line: marked
// Out-of-bounds write into a fixed array (Node would silently grow it).
const slots = new Array<number>(3).fill(0);
for (let i = 0; i < 6; i++) {
  console.log("slot", i);
  slots[i] = i + 1; // panic here
}

export {};
