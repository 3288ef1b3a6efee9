// args-test: runs as init on build/iso/args.iso (tests/system/args.test.ts). It copies the boot
// module echo-args into a memory object and starts it from there with spawn_image, with arguments
// and an environment; starts the module itself with spawn_caps (one argument, its name); refuses
// a memory object that holds no ELF (BadExecutable) and a zero length (InvalidArgument); and
// checks that the kernel objects and kernel heap are back at their baseline once every child
// has been reaped.
import { store8 } from "../../lang/mem.ts";
import { malloc } from "../lib/heap.ts";
import { capDelete, kernelHeapUsed, kernelObjects, memoryCreate, memoryMap, memoryUnmap, notificationCreate, notificationWait, spawnCaps } from "../lib/ipc.ts";
import { bytesEqual, loadWord } from "../lib/runtime.ts";
import { spawnImage } from "../lib/spawn.ts";
import { ErrorCode, errorText, exit, moduleCount, moduleName, moduleRead, wait } from "../lib/sys.ts";
import { Right } from "../../abi/rights.ts";

const IMAGE_AT = 0x60000000;
const BLOB_AT = 0x61000000;
const QUOTA = 1 << 16;

let failures = 0;

function fail(what: string): void {
  console.log(`ARGS FAIL ${what}`);
  failures++;
}

/** The index of the boot module named `name`, or -1. */
function findModule(name: string): number {
  const buf = malloc(64);
  for (let i = 0; i < moduleCount(); i++) {
    const len = moduleName(i, buf, 64);
    if (bytesEqual(buf, len, name)) return i;
  }
  return -1;
}

/** Waits for child `pid`; its exit status, or -1000 - how when it did not exit. */
function reap(pid: number): number {
  const status = malloc(16);
  if (wait(pid, status) !== pid) return -2000;
  const how = loadWord(status + 8);
  return how === 0 ? loadWord(status) : -1000 - how;
}


const module = findModule("echo-args");
if (module < 0) {
  fail("no echo-args module");
  exit(1);
}
const size = moduleRead(module, 0, 0, 0);
const pages = Math.floor((size + 4095) / 4096);
const mem = memoryCreate(pages);
const blob = memoryCreate(1);
const tick = notificationCreate();
if (mem < 0 || blob < 0 || memoryMap(mem, IMAGE_AT, Right.Read | Right.Write) < 0 || memoryMap(blob, BLOB_AT, Right.Read | Right.Write) < 0) {
  fail("memory objects");
  exit(1);
}
if (moduleRead(module, 0, IMAGE_AT, size) !== size) fail("module_read");
for (let i = 0; i < 4096; i++) store8(BLOB_AT + i, 0x42);
// What the kernel holds before the children: every child and what it took must be gone after.
const objectsBefore = kernelObjects();
const heapBefore = kernelHeapUsed();
console.log(`ARGS image ${size} bytes in ${pages} pages`);

const pid = spawnImage(mem, size, "echo-args", ["echo-args", "one", "two words", ""], ["GREETING=hello from args-test", "EMPTY="], [], 0, QUOTA, 0, 0);
if (pid < 0) {
  fail(`spawn_image: ${errorText(pid)}`);
} else {
  console.log(`ARGS spawn_image started pid ${pid}, exit ${reap(pid)}`);
}
const fromModule = spawnCaps(module, 0, 0, QUOTA, 0, 0);
if (fromModule < 0) {
  fail(`spawn_caps: ${errorText(fromModule)}`);
} else {
  console.log(`ARGS spawn_caps started pid ${fromModule}, exit ${reap(fromModule)}`);
}
const bad = spawnImage(blob, 4096, "blob", ["blob"], [], [], 0, QUOTA, 0, 0);
console.log(`ARGS not an ELF: error ${-bad} (${errorText(bad)})`);
if (bad !== -ErrorCode.BadExecutable) fail("not an ELF was not BadExecutable");
const empty = spawnImage(mem, 0, "echo-args", ["echo-args"], [], [], 0, QUOTA, 0, 0);
console.log(`ARGS length 0: error ${-empty} (${errorText(empty)})`);
if (empty !== -ErrorCode.InvalidArgument) fail("length 0 was not InvalidArgument");

// A reaped child's kernel thread is freed by the kernel shortly after: wait for the counts.
let objectsLeft = kernelObjects() - objectsBefore;
let heapLeft = kernelHeapUsed() - heapBefore;
for (let i = 0; i < 50 && (objectsLeft !== 0 || heapLeft !== 0); i++) {
  notificationWait(tick, 10000000);
  objectsLeft = kernelObjects() - objectsBefore;
  heapLeft = kernelHeapUsed() - heapBefore;
}
console.log(`ARGS objects-left=${objectsLeft} heap-left=${heapLeft}`);
if (objectsLeft !== 0 || heapLeft !== 0) fail("kernel objects or heap not back at their baseline");
memoryUnmap(IMAGE_AT);
memoryUnmap(BLOB_AT);
capDelete(mem);
capDelete(blob);
console.log(failures === 0 ? "ARGS ok" : `ARGS FAIL ${failures} failures`);
exit(failures === 0 ? 0 : 1);
