// fpu-dirty: the leak test's writer. Fills every xmm/ymm register with a secret, changes MXCSR and
// the x87 control word, keeps them across yields (each checked), and exits with them still in
// the registers; its exit status is the number of failed checks. fpu-fresh, started after it,
// must see none of it.
import { getpid } from "../lib/sys.ts";
import { fpuDirty } from "./dirty.ts";

console.log(`fpu-dirty: pid ${getpid()} filling the SIMD registers with a secret`);
fpuDirty(50);
