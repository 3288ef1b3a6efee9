// A second module declaring classes and a function with the same names as main.ts.
export class Node {
  constructor(
    public name: string,
    public next: Node | null,
  ) {}
}

export class Box<T> {
  constructor(public item: T) {}
  get(): T {
    return this.item;
  }
}

export function module_init(): number {
  return 9;
}

export function total(nodes: Node[]): number {
  let n = 0;
  for (const node of nodes) n += node.name.length;
  return n;
}
