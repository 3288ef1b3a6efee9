// One signature per C function.
export function pick(a: number): number; // expect: KEEL0508 "export function pick(a: number): number;"
export function pick(a: bigint): bigint; // expect: KEEL0508 "export"
export function pick(a: number | bigint): number | bigint { // expect: KEEL0104 "number | bigint" KEEL0104 "number | bigint {"
  return a;
}
