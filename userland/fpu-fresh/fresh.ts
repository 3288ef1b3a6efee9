/** Address of the state capture.S saved at _start (4096 bytes, 64-byte aligned). */
/** @extern keel_fresh_area_addr */
export function freshArea(): number {
  return 0;
}
/** Whether capture.S saved with XSAVE (else FXSAVE). */
/** @extern keel_fresh_used_xsave */
export function freshUsedXsave(): boolean {
  return false;
}
