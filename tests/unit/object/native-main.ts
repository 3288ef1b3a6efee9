// Entry compiled by keelc for the native run of the capability self-test (native.test.ts): runs
// the self-test for several rounds, so that anything one round leaks shows up multiplied in the
// runtime's live-allocation report (KEEL_STATS=1).
import { TestRunner } from "../../../kernel/test/runner.ts";
import { runCapabilitySelfTest, runChargeSelfTest } from "./capability-selftest.ts";
import { objectLayerInit } from "../../../kernel/object/object-type.ts";

export const ROUNDS = 20;

objectLayerInit();
const r = new TestRunner();
for (let i = 0; i < ROUNDS; i++) {
  runCapabilitySelfTest(r);
  runChargeSelfTest(r);
}
console.log(r.finish());
