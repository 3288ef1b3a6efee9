// Subset code the checker must accept: generics, enums, inheritance, function values, bigint
// bit patterns, typed arrays, labelled loops and formatted output.
export const enum Color {
  Red = 1,
  Green = 2,
  Blue = 4,
}

export enum Level {
  Low,
  High = 10,
  Max = High * 2,
}

export abstract class Shape {
  static created = 0;
  constructor(readonly name: string) {
    Shape.created++;
  }
  abstract area(): number;
  describe(): number {
    return this.area() * 2;
  }
}

export class Rect extends Shape {
  private w: number;
  constructor(w: number, readonly h: number) {
    super("rect");
    this.w = w;
  }
  override area(): number {
    return this.w * this.h;
  }
  static square(n: number): Rect {
    return new Rect(n, n);
  }
}

export class Stack<T> {
  items: Array<T | null>;
  top = 0;
  constructor(capacity: number) {
    this.items = new Array<T | null>(capacity).fill(null);
  }
  push(v: T): boolean {
    if (this.top === this.items.length) return false;
    this.items[this.top++] = v;
    return true;
  }
  pop(): T | null {
    if (this.top === 0) return null;
    const v = this.items[--this.top] ?? null;
    this.items[this.top] = null;
    return v;
  }
}

export function largest<T>(xs: T[], key: (x: T) => number): number {
  let best = -9007199254740991;
  for (const x of xs) best = Math.max(best, key(x));
  return best;
}

function areaOf(s: Shape): number {
  return s.area();
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function checksum(bytes: Uint8Array, seed = 7): number {
  let h = seed;
  for (let i = 0, j = bytes.length - 1; i < j; i++, j--) {
    h = Math.imul(h ^ bytes[i]!, 31) + bytes[j]!;
    h = h >>> 0;
  }
  return h;
}

export function bits(level: Level, big: bigint): number {
  switch (level) {
    case Level.Low:
      return 0;
    case Level.High:
    case Level.Max:
      break;
    default:
      return -1;
  }
  switch (big & 3n) {
    case 0n:
      return 1;
    default:
      return Number(big >> 60n) + Number(big > 0n);
  }
}

/** Truthiness and `||` keep their JavaScript meaning (the empty string is false). */
export function widthOf(s: string, fallback: number): number {
  if (!s) return fallback || 1;
  const shape: Shape | null = s.length > 2 ? Rect.square(s.length) : null;
  return shape !== null ? shape.area() || s.length : s.length;
}

export function main(): void {
  const shapes: Shape[] = [new Rect(2, 3), Rect.square(4)];
  console.log(largest(shapes, areaOf), shapes[0]!.describe(), Shape.created, fib(10));
  const s = new Stack<Shape>(4);
  s.push(new Rect(1, 1));
  s.push(new Rect(1, 2));
  const got = s.pop();
  console.log(got !== null ? got.area() : -1);
  const byName = new Stack<Rect>(2);
  byName.push(Rect.square(1));
  const r = byName.pop();
  if (r) console.log(r.name, r.h);
  const clamped = new Uint8ClampedArray(2);
  clamped[0] = 300;
  const table = new Uint16Array([1, 2, 3]);
  const words = new BigUint64Array(2);
  words[0] = BigInt.asUintN(64, 0xffn << 56n);
  words[1] = BigInt.asUintN(32, ~words[0]!);
  console.log(clamped[0], table[2], words[0], checksum(new Uint8Array([1, 2, 3, 4])));
  const modes: Color[] = [Color.Red, Color.Green, Color.Blue];
  let mask = 0;
  grid: for (let y = 0; y < 3; y++) {
    let x = 0;
    while (true) {
      if (x > y) continue grid;
      if (x + y > 3) break grid;
      mask |= modes[x % 3]!;
      x++;
    }
  }
  let n = 5;
  do {
    n -= 2;
  } while (n > 0);
  const twice = (v: number): number => v * 2;
  const flag = mask !== 0 && n < 0;
  console.log(`mask ${mask.toString(2).padStart(8, "0")} ${twice(n)} ${flag}`, Math.abs(-3), Math.min(1, 2));
  console.log(Number(flag), -7 % 3, (-7 / 2) | 0, Math.floor(-7 / 2), Level.Max, bits(Level.High, 5n));
  console.log(widthOf("", 0), widthOf("abc", 2));
  void mask;
}

main();
