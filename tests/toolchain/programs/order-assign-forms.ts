// JavaScript evaluates an assignment's target (object, then index) before its right-hand side,
// for every form: =, compound, ++/--, on arrays, typed arrays, fields, statics and nested targets.
let log = "";
function t<T>(tag: string, v: T): T {
  log += tag;
  return v;
}
function flush(label: string): void {
  console.log(`${label}: ${log}`);
  log = "";
}

class Box {
  v = 0;
  items: number[] = [0, 0, 0];
  next: Box | null = null;
  static total = 0;
  static slots = new Uint16Array(4);
}

const xs = [0, 0, 0, 0];
const bytes = new Uint8Array(4);
const big = new BigUint64Array(2);
const box = new Box();
box.next = new Box();

t("a", xs)[t("i", 1)] = t("r", 5);
flush("arr =");
t("a", xs)[t("i", 1)]! += t("r", 2);
flush("arr +=");
t("a", xs)[t("i", 1)]!++;
flush("arr ++");
--t("a", xs)[t("i", 2)]!;
flush("-- arr");
t("a", bytes)[t("i", 0)] = t("r", 300);
flush("u8 =");
t("a", bytes)[t("i", 0)]! <<= t("r", 1);
flush("u8 <<=");
t("a", big)[t("i", 1)] = t("r", 7n);
flush("u64 =");
t("a", big)[t("i", 1)]! |= t("r", 8n);
flush("u64 |=");
t("o", box).v = t("r", 4);
flush("field =");
t("o", box).v *= t("r", 3);
flush("field *=");
t("o", box).v--;
flush("field --");
t("o", box).items[t("i", 2)] = t("r", 9);
flush("nested =");
t("o", box).next!.items[t("i", 0)]! -= t("r", 1);
flush("deep -=");
Box.total = t("r", 10);
Box.total += t("r", 5);
Box.total++;
flush("static");
Box.slots[t("i", 3)] = t("r", 70000);
Box.slots[t("i", 3)]! += t("r", 1);
flush("static u16");
// The value of an assignment expression, and chained assignment.
const got = (t("a", xs)[t("i", 3)] = t("r", 11));
let a = 0;
let b = 0;
a = b = t("r", 2);
flush("values");
// An index computed from the array being assigned: evaluated before the right side changes it.
let k = 0;
function bump(): number {
  k++;
  return 40 + k;
}
xs[k] = bump();
flush("index before call");
// An index past the end on the left would be assigned after the right side in JavaScript too; the
// right side may grow nothing here, so the index is checked where Node would store.
console.log(xs.join(","), bytes[0]!, bytes[1]!, big[1]!, box.v, box.items.join(","), box.next!.items.join(","));
console.log(Box.total, Box.slots[3]!, got, a, b, k);
export {};
