// Core runtime services shared by the kernel and user programs.
import { hostHeap } from "./host/heap.ts";
// Under Node these functions run as written; keelc binds each `@extern` function to the C symbol
// named in its tag and never compiles its body (see docs/language.md, "External functions").
import { hostReleased } from "./host/allocations.ts";

/**
 * Stops the program: prints `PANIC: <msg>` with the caller's TypeScript location (and a backtrace
 * in the kernel) and halts (kernel) or exits with status 134 (hosted, user). keelc passes the
 * caller's location; under Node the thrown Error's stack carries it.
 * @extern keel_panic
 */
export function panic(msg: string): never {
  throw new Error(`PANIC: ${msg}`);
}

/**
 * Returns an object (class instance, typed array or fixed array) to the allocator it came from.
 * Using the object afterwards is a bug. Under Node the garbage collector does the real work; the
 * release is counted (lang/host/allocations.ts) so that host tests see a missing one.
 * @extern keel_release
 */
export function release(obj: object): void {
  hostReleased(obj);
}

/**
 * Number of allocations not yet released (class instances, typed and fixed arrays). Meaningful
 * only in compiled code, where the runtime counts them; under Node it is always 0.
 * @extern keel_live_objects
 */
export function liveObjects(): number {
  return 0;
}

/**
 * Bytes of the heap in allocated blocks, headers and size-class rounding included (the runtime's
 * keel_heap.c). Under Node, the simulated figure of ./host/heap.ts.
 * @extern keel_heap_bytes_used
 */
export function heapBytesUsed(): number {
  return hostHeap.used;
}

/**
 * Bytes the heap holds in all: its static arena and every region given to it since.
 * @extern keel_heap_bytes_total
 */
export function heapBytesTotal(): number {
  return hostHeap.total;
}

/**
 * Whether `bytes` more can be allocated without the heap running out; the heap grows (through
 * keel_heap_more) first when it must. Code that will allocate on behalf of a program asks before,
 * so running out is an error it returns instead of a panic. Under Node, true unless a test has
 * set a simulated limit (./host/heap.ts).
 * @extern keel_heap_reserve
 */
export function heapReserve(bytes: number): boolean {
  return bytes >= 0 && (hostHeap.room < 0 || bytes <= hostHeap.room);
}
