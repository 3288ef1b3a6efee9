// External functions: host bodies may use host-only modules and anything Node offers; only the
// signature is compiled. `declare function` with @extern names an assembly symbol.
import { fakeCpu } from "../../../../kernel/arch/x86_64/host/machine.ts";
import { attachMemory, type SimRegion } from "../../../../lang/host/memory.ts";
import { load32, store32 } from "../../../../lang/mem.ts";

/** @extern keel_test_read_tsc */
export function readTsc(): bigint {
  const r: SimRegion | undefined = undefined;
  void r;
  return fakeCpu.tsc;
}

/** @extern keel_test_attach */
export function attach(base: number, size: number): void {
  attachMemory(base, size);
}

/** @extern keel_test_halt */
declare function halt(code: number): never;

/** @export keel_test_entry */
export function entry(base: number): number {
  attach(base, 4096);
  store32(base, 0xdeadbeef);
  if (readTsc() > 1000n) halt(1);
  return load32(base);
}
