// Function values are plain C function pointers: no captured environment.
const SCALE = 3; // module-level bindings are fine
export function apply(f: (x: number) => number, x: number): number {
  return f(x);
}
export function scaled(xs: number[], k: number): number {
  let total = 0;
  const add = (x: number): number => x * k + SCALE; // expect: KEEL0501 "k"
  for (const x of xs) total += apply(add, x);
  function bump(): void { // expect: KEEL0510 "function bump"
    total++; // expect: KEEL0501 "total"
  }
  bump();
  return total + apply((x: number): number => x * SCALE, 1);
}
export class Counter {
  n = 0;
  adder(): () => void {
    return (): void => {
      this.n++; // expect: KEEL0501 "this"
    };
  }
}
