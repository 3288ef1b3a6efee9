// No event loop, no promises.
export async function later(x: number): Promise<number> { // expect: KEEL0406 "async" KEEL0703 "Promise"
  return x;
}
