/** Unsigned 64-bit division with the div instruction (div.S): #DE when `d` is 0. */
/** @extern keel_user_div */
export function divide(n: number, d: number): number {
  if (d === 0) throw new Error("divide error");
  return Math.floor(n / d);
}
