// switch: an exhaustive switch over a const enum whose default hands the narrowed value to a
// function taking `never` (a missing case would be a type error), in void and value functions.
const enum Shape {
  Dot = 0,
  Line = 1,
  Square = 2,
}

function unreachable(x: never): never {
  void x;
  throw new Error("no case");
}

function corners(s: Shape): number {
  switch (s) {
    case Shape.Dot: return 0;
    case Shape.Line: return 2;
    case Shape.Square: return 4;
    default: return unreachable(s);
  }
}

let total = 0;
function visit(s: Shape): void {
  switch (s) {
    case Shape.Dot:
    case Shape.Line:
      total += 1;
      return;
    case Shape.Square:
      total += 10;
      return;
    default:
      return unreachable(s);
  }
}

const all: Shape[] = [Shape.Dot, Shape.Line, Shape.Square, Shape.Line];
for (const s of all) {
  visit(s);
  console.log(s, corners(s), total);
}
