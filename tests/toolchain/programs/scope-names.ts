// Block scoping with shadowing, and identifiers that are C keywords or libc names.
let int = 1;
const register = 2;
const auto = 3;
let unsigned = 4;
function char(signed: number, volatile: number): number {
  const extern = signed * volatile;
  return extern + int;
}
function printf(x: number): number {
  return x * 2;
}
class struct {
  static main = 5;
  constructor(public union: number, public goto: number) {}
  sizeof(): number {
    return this.union + this.goto;
  }
}
const malloc = new struct(6, 7);
console.log(int, register, auto, unsigned, char(2, 3), printf(21), struct.main, malloc.sizeof());
{
  const int = 100;
  let unsigned = int + 1;
  {
    const int = 1000;
    unsigned += int;
    console.log(int, unsigned);
  }
  console.log(int, unsigned);
}
int = 9;
unsigned--;
console.log(int, unsigned);
let total = 0;
for (let i = 0; i < 3; i++) {
  const total2 = total;
  for (let i = 10; i < 12; i++) total += i;
  total += total2 * 0 + i;
}
console.log(total);
const x = 5;
function shadow(x: number): number {
  {
    const y = x + 1;
    {
      const x = y * 10;
      return x;
    }
  }
}
console.log(shadow(1), x);

export {};
