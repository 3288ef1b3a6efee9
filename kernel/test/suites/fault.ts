// In-kernel suite `fault` (keel.test=fault, never part of `all`): a kernel-mode read of an
// unmapped address. The expected outcome is the exception report (#PF, CR2 = the address, the
// decoded cause, registers, a backtrace naming these functions) followed by a panic that ends the
// run; reaching the line after the read is the failure.
import { load64 } from "../../../lang/mem.ts";
import type { TestRunner } from "../runner.ts";

/** Lower-half PML4 slot 224: no kernel address space maps anything there. */
export const FAULT_ADDRESS = 0x700000000000;

/** A separate frame so the backtrace shows more than one TypeScript function. */
function readUnmapped(addr: number): bigint {
  return load64(addr + 0x10);
}

export function runFaultSuite(t: TestRunner): void {
  t.begin("fault");
  console.log(`TEST fault: reading unmapped 0x${(FAULT_ADDRESS + 0x10).toString(16)}; expect #PF Page Fault, cr2=0x0000${(FAULT_ADDRESS + 0x10).toString(16)} and PANIC`);
  const v = readUnmapped(FAULT_ADDRESS);
  t.expect("page-fault-raised", false, `the read returned ${v} instead of faulting`);
}
