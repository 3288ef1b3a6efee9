// Memory accessors: the only way Keel code reads or writes hardware-defined layouts.
// In C each is a volatile access at the address (keel_load*/keel_store* in the runtime header);
// under Node they go to the simulated memory of ./host/memory.ts (little-endian DataView).
// Loads of 8/16/32 bits zero-extend; stores of `number` keep the low bits, as typed arrays do.
import { locate } from "./host/memory.ts";

/** @extern keel_load8 */
export function load8(addr: number): number {
  const [v, o] = locate(addr, 1);
  return v.getUint8(o);
}

/** @extern keel_store8 */
export function store8(addr: number, value: number): void {
  const [v, o] = locate(addr, 1);
  v.setUint8(o, value);
}

/** @extern keel_load16 */
export function load16(addr: number): number {
  const [v, o] = locate(addr, 2);
  return v.getUint16(o, true);
}

/** @extern keel_store16 */
export function store16(addr: number, value: number): void {
  const [v, o] = locate(addr, 2);
  v.setUint16(o, value, true);
}

/** @extern keel_load32 */
export function load32(addr: number): number {
  const [v, o] = locate(addr, 4);
  return v.getUint32(o, true);
}

/** @extern keel_store32 */
export function store32(addr: number, value: number): void {
  const [v, o] = locate(addr, 4);
  v.setUint32(o, value, true);
}

/** @extern keel_load64 */
export function load64(addr: number): bigint {
  const [v, o] = locate(addr, 8);
  return v.getBigUint64(o, true);
}

/** @extern keel_store64 */
export function store64(addr: number, value: bigint): void {
  const [v, o] = locate(addr, 8);
  v.setBigUint64(o, value, true);
}
