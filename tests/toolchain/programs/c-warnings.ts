// Expressions whose generated C drew gcc warnings, fatal under -Werror: `??` on a number, bigint
// or boolean (compared with NULL in C), discarded built-in calls that compile to no call at all,
// and functions compared with null or tested for truth (gcc: "address will never be NULL").
type Handler = (irq: number) => number;

function fallback(irq: number): number {
  return irq + 100;
}
function timer(irq: number): number {
  return irq * 2;
}

const handlers: (Handler | null)[] = [timer, null, fallback];
const TICKS = 250;
let verbose = false;

function dispatch(irq: number, budget: number): number {
  const h = handlers[irq] ?? fallback;
  const limit = budget ?? TICKS;
  return h(irq) + limit;
}

function drain(x: number, seed: bigint): void {
  Number(seed);
  BigInt.asUintN(64, seed);
  Math.trunc(x / 4);
  Math.min(x);
  x === 3;
}

const ticks = TICKS ?? 100;
const quiet = !(verbose ?? true);
const seed = 0x9e3779b97f4a7c15n;
const mixed = seed ?? 0n;
drain(9, seed);
console.log(dispatch(0, 5), dispatch(1, 7), dispatch(2, 0), ticks, quiet, mixed);
console.log(timer !== null, fallback === null, !timer, (timer || fallback)(4), handlers[1] === null);
verbose = true;
console.log(verbose ?? false, verbose && !quiet);
