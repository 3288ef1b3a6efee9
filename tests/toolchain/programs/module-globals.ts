// Module-level state: initialisation order, globals captured by functions, arrays and objects.
let calls = 0;
const table = new Int32Array(8);
class Config {
  level = 3;
  name = "default";
}
const config = new Config();
function record(v: number): number {
  calls++;
  table[calls & 7] = v;
  return calls;
}
const first = record(10);
const second = record(20);
console.log(first, second, calls, table[1]!, table[2]!);
config.level = record(30) * 100;
console.log(config.level, config.name, calls);
let lazy = 0;
function getLazy(): number {
  if (lazy === 0) lazy = record(99) + 1000;
  return lazy;
}
console.log(getLazy(), getLazy(), calls);
for (const v of table) console.log(v);

export {};
