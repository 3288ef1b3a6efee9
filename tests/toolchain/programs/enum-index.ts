// Enum members as array indices: `xs[E.Member]` is an element of xs, not the member's value,
// also when the array was filled after its literal (through a call) and for member value 0.
const enum Word {
  Address = 0,
  Pitch = 1,
  Height = 3,
}
enum Plain {
  First = 0,
  Second = 2,
}
function fill(out: number[]): void {
  for (let i = 0; i < out.length; i++) out[i] = 100 + i;
}
const info: number[] = [0, 0, 0, 0, 0, 0];
fill(info);
console.log(info[Word.Address]!, info[Word.Pitch]!, info[Word.Height]!, info[Plain.First]!, info[Plain.Second]!);
console.log(info[Word.Pitch]! * info[Word.Height]!);
const ys = new Uint8Array(4);
ys[Word.Height] = 7;
console.log(ys[Word.Height]!, ys[Word.Address]!);
