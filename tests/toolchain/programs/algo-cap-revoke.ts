// A capability derivation tree: copy with fewer rights, mint badges, revoke recursively.
const R_READ = 1;
const R_WRITE = 2;
const R_GRANT = 4;
class Cap {
  firstChild: Cap | null = null;
  sibling: Cap | null = null;
  valid = true;
  constructor(public id: number, public rights: number, public badge: number, public parent: Cap | null) {}
}
let nextId = 1;
let live = 0;
function derive(from: Cap, rights: number, badge: number): Cap | null {
  if (!from.valid || (rights & ~from.rights) !== 0) return null;
  const c = new Cap(nextId++, rights, badge === 0 ? from.badge : badge, from);
  c.sibling = from.firstChild;
  from.firstChild = c;
  live++;
  return c;
}
function revoke(c: Cap): number {
  let n = 0;
  let child = c.firstChild;
  while (child !== null) {
    n += revoke(child);
    if (child.valid) {
      child.valid = false;
      live--;
      n++;
    }
    child = child.sibling;
  }
  c.firstChild = null;
  return n;
}
const root = new Cap(0, R_READ | R_WRITE | R_GRANT, 0, null);
live++;
const a = derive(root, R_READ | R_GRANT, 0)!;
const b = derive(root, R_READ | R_WRITE, 42)!;
const a1 = derive(a, R_READ, 7)!;
const a2 = derive(a, R_READ | R_GRANT, 0)!;
const a21 = derive(a2, R_READ, 0)!;
console.log(derive(a, R_WRITE, 0) === null, derive(b, R_READ | R_WRITE, 0) !== null);
console.log(a1.badge, a21.badge, b.badge, live);
console.log(revoke(a), live, a.valid, a1.valid, a21.valid, b.valid);
console.log(derive(a1, R_READ, 0) === null, derive(a, R_READ, 9) !== null);
console.log(revoke(root), live);

export {};
