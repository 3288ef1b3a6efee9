// Generators need suspended frames.
export function* counter(n: number): Generator<number> { // expect: KEEL0405 "*" KEEL0703 "Generator"
  for (let i = 0; i < n; i++) yield i;
}
