// Arrays of class references, including null slots.
class Slot {
  constructor(public key: number, public hits: number) {}
}
const slots = new Array<Slot | null>(6).fill(null);
slots[1] = new Slot(11, 0);
slots[4] = new Slot(44, 0);
for (let round = 0; round < 3; round++) {
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s !== null) s.hits += i;
  }
}
let live = 0;
for (const s of slots) {
  if (s === null) console.log("empty");
  else {
    console.log(s.key, s.hits);
    live++;
  }
}
console.log(live);
const pts = [new Slot(1, 2), new Slot(3, 4)];
pts[0] = pts[1]!;
pts[1]!.hits = 99;
console.log(pts[0]!.hits, pts[0] === pts[1]);

export {};
