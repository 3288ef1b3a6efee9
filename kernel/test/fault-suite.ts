// In-kernel suite `fault` (keel.test=fault, never part of `all`): reads an address no page table
// maps, so the CPU raises a page fault in kernel mode. The expected outcome is the exception
// report and a panic that ends the run (status 37), not a hang or a triple fault; reaching the
// line after the read is the failure.
import { load64 } from "../../toolchain/lib/mem.ts";
import type { TestRunner } from "./runner.ts";

/** PML4 slot 224 of the lower half: no mapping exists there in any kernel address space. */
export const FAULT_ADDRESS = 0x700000000000;

export function runFaultSuite(t: TestRunner): void {
  t.begin("fault");
  console.log(`TEST fault: reading unmapped 0x${FAULT_ADDRESS.toString(16)}, a page fault report follows`);
  const v = load64(FAULT_ADDRESS);
  t.expect("page-fault-raised", false, `the read returned ${v} instead of faulting`);
}
