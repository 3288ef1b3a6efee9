// User names that look like what keelc generates or what C reserves: temporaries (keel_*),
// break labels, C keywords and types, the entry points, struct and header names.
let keel_a1 = 1;
let keel_i2 = 2;
let keel_s3 = "s";
let keel_case4 = 4;
let keel_brk_5 = 5;
let keel_v6 = 6;
const keel_char_strs = "table";
function keel_main(x: number): number {
  return x + 1;
}
function main(): number {
  return 7;
}
function module_init(): number {
  return 8;
}
function keel_module_init(): number {
  return 9;
}
class keel_map {
  size = 3;
}
class struct {
  int = 1;
  long = 2;
  char = 3;
  static: number = 4;
  register(auto: number, signed: number, unsigned: number): number {
    return auto + signed + unsigned + this.int + this.long + this.char + this.static;
  }
}
function goto(sizeof: number, volatile: number, inline: number, restrict: number): number {
  const float = sizeof * 2;
  const double = volatile * 2;
  const short = inline + restrict;
  const int64_t = float + double + short;
  const NULL = 1;
  const bool = int64_t > 0;
  return bool ? int64_t + NULL : 0;
}
class Init {
  init = 1;
  new = 2;
  self = 3;
  vtable = 4;
  typedef(): number {
    return this.init + this.new + this.self + this.vtable;
  }
}
const xs = [3, 1, 2];
for (const x of xs) {
  switch (x) {
    case 1:
      keel_a1 += x;
      break;
    default:
      keel_i2 += x;
  }
}
const word = "abc";
for (const c of word) {
  switch (c) {
    case "b":
      keel_s3 += c;
      break;
    default:
      keel_case4++;
  }
}
console.log(keel_a1, keel_i2, keel_s3, keel_case4, keel_brk_5, keel_v6, keel_char_strs);
console.log(keel_main(1), main(), module_init(), keel_module_init(), new keel_map().size);
console.log(new struct().register(1, 2, 3), goto(1, 2, 3, 4), new Init().typedef(), xs[1] ?? keel_v6, word[5] ?? keel_s3);
export {};
