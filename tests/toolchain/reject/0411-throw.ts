// Only `throw new Error(msg)`: a panic with a message.
export function fail(code: number): never {
  throw code; // expect: KEEL0411 "throw"
}
export const saved = new Error("kept"); // expect: KEEL0411 "new Error"
export function ok(n: number): void {
  if (n < 0) throw new Error(`negative: ${n}`);
}
