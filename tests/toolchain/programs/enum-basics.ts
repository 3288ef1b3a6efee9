// Numeric enums with implicit, explicit and negative members; const enums.
enum Color {
  Red,
  Green,
  Blue = 10,
  Violet,
}
enum Signed {
  Low = -5,
  Mid,
  High = 1 << 20,
}
const enum Flag {
  A = 1,
  B = 2,
  C = 4,
  All = A | B | C,
}
console.log(Color.Red, Color.Green, Color.Blue, Color.Violet);
console.log(Signed.Low, Signed.Mid, Signed.High);
console.log(Flag.A, Flag.B, Flag.C, Flag.All);
let c: Color = Color.Green;
c = Color.Violet;
console.log(c === Color.Violet, c > Color.Blue);
function name(col: Color): string {
  switch (col) {
    case Color.Red:
      return "red";
    case Color.Green:
      return "green";
    case Color.Blue:
      return "blue";
    default:
      return "other";
  }
}
console.log(name(Color.Red), name(Color.Blue), name(c));
let mask = 0;
mask |= Flag.A;
mask |= Flag.C;
console.log(mask, (mask & Flag.B) !== 0, (mask & Flag.C) !== 0, mask === Flag.All);
class Light {
  color: Color = Color.Blue;
}
const l = new Light();
console.log(l.color);

export {};
