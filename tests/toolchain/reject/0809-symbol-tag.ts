// External and exported functions need the exact C symbol name.
/** @extern */ // expect: KEEL0809 "@extern"
export function tick(): number {
  return 0;
}
/** @export keel_entry */
export function entry(): number {
  return tick();
}
/** Called from assembly. @export */ // expect: KEEL0809 "@export"
export function handler(): void {}
