// console.log with a string first argument and more arguments formats like Node's util.format:
// %s %d %i %f %c and %% are substituted, whether the format is a literal, a constant, a template
// literal or a string known only at run time; a directive without an argument left stays as
// written, and surplus arguments follow, separated by spaces.
const PAGE_LINE = "%s: %d pages, %i free (%f%%)";
const TAG = "[mm]";

class Zone {
  constructor(
    public name: string,
    public pages: number,
    public free: number,
  ) {}
}

const zones = [new Zone("dma", 16, 3), new Zone("normal", 4096, 1024)];
for (const z of zones) console.log(PAGE_LINE, z.name, z.pages, z.free, Math.floor((z.free * 100) / z.pages));
console.log("%s base=%d end=%i", TAG, 0x1000n, 0xffffffffffffffffn);
console.log(`${TAG} %s`, "ready", "extra", 3);
console.log("%s|%s|%s|%s|%s", 42, -1, 7n, true, null);
console.log("%d|%d|%d|%d", true, false, null, -9007199254740991);
console.log("%i|%f|%i|%f|%i", -7, 9007199254740991, null, false, true);
console.log("%c%s", "color: red", "styled");
console.log("%d%% of %d", 50);
console.log("%s", "a", "b", 1, 2n, null, false);

// '%' before anything but a directive letter, at the end, or doubled
console.log("%", 1);
console.log("100%", 2);
console.log("%x %d", 3);
console.log("%%%d", 4);
console.log("%%d", 5);
console.log("%d%", 6);
console.log(`${zones.length}% of %d`, 7);

function describe(format: string, value: number): void {
  console.log(format, value);
}
describe("value=%d", 1);
describe("no directive", 2);
describe("%s%%", 3);
describe("%c", 4);

let label: string | null = null;
console.log(label, 1);
label = "%s and %s";
console.log(label, "one");
console.log(`${label}!`, "x", "y", "z");
console.log(5, "%d", 3);

// the format and the arguments are evaluated left to right, once
let calls = 0;
function nextFormat(): string {
  calls++;
  return calls % 2 === 1 ? "odd %d" : "even %s";
}
function count(): number {
  return calls * 10;
}
console.log(nextFormat(), count(), calls);
console.log(nextFormat(), count(), calls);
