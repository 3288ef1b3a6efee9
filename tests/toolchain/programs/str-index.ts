// s[i] is a one-character string, as in Node; for...of visits the characters in order.
function reversed(s: string): string {
  let out = "";
  for (let i = s.length - 1; i >= 0; i--) out += s[i]!;
  return out;
}

function vowels(s: string): number {
  let n = 0;
  for (const ch of s) {
    if (ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u") n++;
  }
  return n;
}

function firstDigit(s: string): string {
  for (const ch of s) {
    if (ch < "0" || ch > "9") continue;
    return ch;
  }
  return "none";
}

let calls = "";
function pick(tag: string, v: string): string {
  calls += tag;
  return v;
}
function at(tag: string, i: number): number {
  calls += tag;
  return i;
}

const word = "keel-kernel";
console.log(word[0]!, word[4]!, word[word.length - 1]!);
console.log(reversed(word), reversed(""), reversed("x"));
console.log(vowels("the quick brown fox jumps over the lazy dog"));
console.log(firstDigit("abc7de9"), firstDigit("no digits"));

// The string is evaluated before the index, as in JavaScript.
console.log(pick("s", "abc")[at("i", 2)]!, calls);

// Characters of a string built at run time, the empty string and NUL.
const built = `${word}:${42}`;
let seen = "";
for (const c of built) seen = c + seen;
console.log(seen, seen.length);
let count = 0;
for (const c of "") count += c.length;
console.log(count);
const withNul = "a\0b";
console.log(withNul[1]!.length, withNul[1]!.charCodeAt(0), withNul[1]! === "\0", withNul[2]!);
let codes = 0;
for (const c of withNul) codes = codes * 1000 + c.charCodeAt(0);
console.log(codes);

// Comparisons and use as values: stored in arrays, passed, compared with literals.
const letters: string[] = [];
for (const c of "hello") if (letters.indexOf(c) < 0) letters.push(c);
console.log(letters.join("|"), letters.length, "hello"[1]! === "e", "hello"[1]! < "f");
let labelled = 0;
outer: for (const a of "abc") {
  for (const b of "xyz") {
    if (b === "z") continue outer;
    if (a === "c") break outer;
    labelled++;
  }
}
console.log(labelled);
export {};
