// Fixed-length arrays without a library.
export function twice(x: number): number {
  return x * 2;
}
export function edit(xs: number[], bytes: Uint8Array): number {
  xs.push(4); // expect: KEEL0706 "push"
  const ys = xs.map(twice); // expect: KEEL0706 "map"
  const head = bytes.reverse(); // expect: KEEL0706 "reverse"
  const f = twice.bind(null); // expect: KEEL0706 "bind"
  xs.fill(0);
  return ys.length + head.length + f(1) + xs.length;
}
