// @checked
// Generic classes, nested generics (Stack<Pair<number>>) and several instantiations.
class Pair<T> {
  constructor(public first: T, public second: T) {}
  swap(): Pair<T> {
    return new Pair<T>(this.second, this.first);
  }
}
class Stack<T> {
  items: T[];
  top = 0;
  constructor(capacity: number, filler: T) {
    this.items = new Array<T>(capacity).fill(filler);
  }
  push(v: T): boolean {
    if (this.top === this.items.length) return false;
    this.items[this.top] = v;
    this.top++;
    return true;
  }
  pop(fallback: T): T {
    if (this.top === 0) return fallback;
    this.top--;
    return this.items[this.top]!;
  }
}
const nums = new Stack<number>(3, 0);
console.log(nums.push(1), nums.push(2), nums.push(3), nums.push(4));
console.log(nums.pop(-1), nums.pop(-1), nums.pop(-1), nums.pop(-1));
const bigs = new Stack<bigint>(2, 0n);
bigs.push(0xffffffffffffffffn);
console.log(bigs.pop(0n), bigs.pop(7n));
const none = new Pair<number>(0, 0);
const pairs = new Stack<Pair<number>>(4, none);
for (let i = 1; i <= 4; i++) pairs.push(new Pair<number>(i, i * i));
let p = pairs.pop(none);
while (p !== none) {
  const s = p.swap();
  console.log(p.first, p.second, s.first, s.second);
  p = pairs.pop(none);
}
const bp = new Pair<bigint>(1n, 2n).swap();
console.log(bp.first, bp.second);
const nested = new Pair<Pair<boolean>>(new Pair<boolean>(true, false), new Pair<boolean>(false, false));
console.log(nested.swap().second.first, nested.second.second);

export {};
