// @expect: panic
// @compiled-only
// @panic-line: marked
// Out-of-bounds read: the compiled program panics at the access; under Node it would read
// undefined, which the contract forbids relying on, so only the compiled side is checked.
const table = new Uint32Array(4);
for (let i = 0; i < table.length; i++) table[i] = i * 3;
let sum = 0;
for (let i = 0; i <= table.length; i++) {
  console.log("reading", i);
  sum += table[i]!; // panic here
}
console.log(sum);

export {};
