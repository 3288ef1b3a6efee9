// String literals: length, charCodeAt, equality; strings passed to functions and stored in fields.
class Named {
  constructor(public name: string, public id: number) {}
}
function hash(s: string): number {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h;
}
function same(a: string, b: string): boolean {
  return a === b;
}
const items = [new Named("console", 1), new Named("timer", 2), new Named("serial", 3)];
for (const it of items) console.log(it.name, it.id, it.name.length, hash(it.name));
const x: string = items[0]!.name;
const y: string = items[1]!.name;
console.log(same("abc", "abc"), same("abc", "abd"), same("", ""), x !== y, x === "console");
let current = "idle";
for (let i = 0; i < 3; i++) {
  current = current === "idle" ? "busy" : "idle";
  console.log(current);
}
console.log("A".charCodeAt(0), "z".charCodeAt(0), "0123".charCodeAt(3));

export {};
