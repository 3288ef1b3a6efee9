// switch over strings: literal and const labels, grouped cases, default anywhere, a repeated label
// (the first one wins), break out of loops around the switch, and strings built at run time.
const GET = "GET";
const HEAD = "HEAD";
const ALIAS = GET;

function method(m: string): number {
  switch (m) {
    case GET:
    case HEAD:
      return 1;
    case "POST":
      return 2;
    default:
      return -1;
    case "PUT":
    case `DELETE`:
      return 3;
    case ALIAS:
      return 99; // never: GET matched first
  }
}

function kind(word: string): string {
  let k = "";
  switch (word) {
    case "":
      k = "empty";
      break;
    case "a":
    case "an":
    case "the":
      k = "article";
      break;
    case "\0":
      k = "nul";
      break;
    default:
      k = `word(${word.length})`;
  }
  return k;
}

let evaluated = 0;
function next(s: string): string {
  evaluated++;
  return s;
}

const tests = ["GET", "HEAD", "POST", "PUT", "DELETE", "get", "", "GETX", "GE"];
for (const t of tests) console.log(t, method(t));
for (const w of ["", "a", "an", "the", "then", "\0", "lexer"]) console.log(kind(w));

// The discriminant is evaluated once.
switch (next("POST")) {
  case "GET":
    console.log("get");
    break;
  case "POST":
    console.log("post", evaluated);
    break;
}

// Strings built at run time, and a loop continued and broken from inside a switch.
const words = `start skip go skip stop never`.split(" ");
let trace = "";
for (const w of words) {
  switch (w + "") {
    case "skip":
      continue;
    case "stop":
      break;
    default:
      trace += w[0]!;
      continue;
  }
  break;
}
console.log(trace);

// A switch with only a default, and one with no match and no default.
let hits = 0;
switch (trace) {
  default:
    hits++;
}
switch (trace) {
  case "nothing":
    hits += 10;
}
console.log(hits);

// Characters: a switch over s[i].
let vowels = 0;
let others = 0;
const text = "switch over characters";
for (let i = 0; i < text.length; i++) {
  switch (text[i]!) {
    case "a":
    case "e":
    case "i":
    case "o":
    case "u":
      vowels++;
      break;
    case " ":
      break;
    default:
      others++;
  }
}
console.log(vowels, others);

// A repeated numeric label: JavaScript takes the first.
function num(n: number): string {
  switch (n) {
    case 1:
      return "one";
    case 2:
    case 1:
      return "two (or a second one)";
    default:
      return "other";
  }
}
console.log(num(1), num(2), num(3));
export {};
