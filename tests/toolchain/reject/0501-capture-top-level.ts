// At module level, only variables declared at the top level are C globals: a variable of a
// module-level loop or block has one binding per iteration, which a function pointer cannot carry.
const BASE = 0x20; // top-level bindings are fine
function ignore(code: number): number {
  return code;
}
export const handlers = new Array<(code: number) => number>(8).fill(ignore);
for (let vector = 0; vector < 4; vector++) {
  handlers[vector] = (code: number): number => code + vector; // expect: KEEL0501 "vector;"
}
for (const irq of [5, 6]) {
  handlers[irq] = function (code: number): number {
    return code * irq + BASE; // expect: KEEL0501 "irq"
  };
}
{
  const mask = 0xff;
  handlers[7] = (code: number): number => code & mask; // expect: KEEL0501 "mask"
}
handlers[4] = (code: number): number => code + BASE;
