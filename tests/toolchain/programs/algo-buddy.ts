// A buddy allocator over 2^10 units: split on allocation, merge buddies on free.
const MAX_ORDER = 10;
const free = new Uint8Array(1 << MAX_ORDER);
const orderOf = new Int8Array(1 << MAX_ORDER).fill(-1);
// free[i] = order + 1 if a free block of that order starts at i.
free[0] = MAX_ORDER + 1;
function alloc(order: number): number {
  for (let o = order; o <= MAX_ORDER; o++) {
    for (let i = 0; i < free.length; i += 1 << o) {
      if (free[i]! === o + 1) {
        free[i] = 0;
        let cur = o;
        while (cur > order) {
          cur--;
          free[i + (1 << cur)] = cur + 1;
        }
        orderOf[i] = order;
        return i;
      }
    }
  }
  return -1;
}
function release(addr: number): void {
  let o = orderOf[addr]!;
  orderOf[addr] = -1;
  let a = addr;
  while (o < MAX_ORDER) {
    const buddy = a ^ (1 << o);
    if (free[buddy]! !== o + 1) break;
    free[buddy] = 0;
    a = Math.min(a, buddy);
    o++;
  }
  free[a] = o + 1;
}
function freeUnits(): number {
  let n = 0;
  for (let i = 0; i < free.length; i++) if (free[i]! > 0) n += 1 << (free[i]! - 1);
  return n;
}
const a = alloc(3);
const b = alloc(0);
const c = alloc(5);
const d = alloc(0);
console.log(a, b, c, d, freeUnits());
release(b);
release(d);
console.log(freeUnits(), alloc(1));
release(a);
release(c);
console.log(freeUnits());
const big = alloc(10);
console.log(big, alloc(0), freeUnits());

export {};
