// Host modules exist only under Node: their names are for @extern bodies.
import { fakeCpu, type FakeCpu } from "../../../kernel/arch/x86_64/host/machine.ts";

/** @extern keel_test_tsc */
export function tsc(): bigint {
  return fakeCpu.tsc;
}
export function ticks(): bigint {
  return fakeCpu.tsc; // expect: KEEL0805 "fakeCpu"
}
export function cpuOf(c: FakeCpu): boolean { // expect: KEEL0805 "FakeCpu"
  return c.interruptsEnabled;
}
