// kv-test: the example server's client (docs/userland.md, "Writing a server"). init starts it with
// a badged copy of the kv endpoint (its manifest entry); it stores, reads, overwrites and deletes
// entries, checks the errors of a missing key and of a key too long, and fills the store to its
// limit. Each check prints one line; the last says how many failed. Only the test images carry it.
import { FIRST_START_HANDLE } from "../../abi/process.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { KV_MAX_ENTRIES, KvClient, kvDelete, kvGet, kvPut } from "../lib/kv.ts";
import { errorText, exit } from "../lib/sys.ts";

const kv = new KvClient(FIRST_START_HANDLE);

class Tally {
  failed = 0;
}
const tally = new Tally();

function check(what: string, got: number, want: number): void {
  const ok = got === want;
  if (!ok) tally.failed++;
  console.log(`kv-test: ${what}: ${ok ? "ok" : `FAILED (${errorText(got)}, wanted ${errorText(want)})`}`);
}

check("put colour=blue", kvPut(kv, "colour", "blue"), 0);
check("get colour", kvGet(kv, "colour"), 0);
check(`colour is blue (${kv.value})`, kv.value === "blue" ? 0 : -ErrorCode.NotFound, 0);
check("put colour=green", kvPut(kv, "colour", "green"), 0);
kvGet(kv, "colour");
check(`colour is green (${kv.value})`, kv.value === "green" ? 0 : -ErrorCode.NotFound, 0);
check("get a missing key", kvGet(kv, "shape"), -ErrorCode.NotFound);
check("a key too long", kvPut(kv, "a-key-of-twenty-bytes", "x"), -ErrorCode.InvalidArgument);
check("delete colour", kvDelete(kv, "colour"), 0);
check("get colour after delete", kvGet(kv, "colour"), -ErrorCode.NotFound);
let stored = 0;
let last = 0;
for (let i = 0; i <= KV_MAX_ENTRIES; i++) {
  last = kvPut(kv, `k${i}`, `${i}`);
  if (last === 0) stored++;
}
check(`store takes ${KV_MAX_ENTRIES} entries (${stored})`, stored === KV_MAX_ENTRIES ? 0 : -ErrorCode.InvalidArgument, 0);
check("one more is refused", last, -ErrorCode.TableFull);
for (let i = 0; i < KV_MAX_ENTRIES; i++) kvDelete(kv, `k${i}`);
console.log(`kv-test: done, ${tally.failed} failed`);
exit(tally.failed === 0 ? 0 : 1);
