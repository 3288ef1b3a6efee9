// Printing null class references and comparing them.
class Cell {
  constructor(public v: number) {}
}
let c: Cell | null = null;
console.log(c);
console.log(c === null, `${c === null}`);
c = new Cell(3);
console.log(c !== null, c.v);
c = null;
console.log(c, 1, c);

export {};
