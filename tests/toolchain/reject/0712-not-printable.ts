// Node prints objects and arrays with its inspector.
export class Thread {
  id = 1;
}
export function show(t: Thread, xs: number[], name: string | null): void {
  console.log(t); // expect: KEEL0712 "t)"
  console.log(`threads ${xs}`); // expect: KEEL0712 "xs}"
  console.log(t.id, xs.length, name, xs[0] ?? 0, true);
}
