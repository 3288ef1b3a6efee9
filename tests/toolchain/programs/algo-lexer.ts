// A state-machine tokenizer over a string's char codes: numbers, identifiers, operators.
const enum Kind {
  Num = 1,
  Ident,
  Op,
  Space,
}
function kindOf(c: number): number {
  if (c >= 48 && c <= 57) return Kind.Num;
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return Kind.Ident;
  if (c === 32) return Kind.Space;
  return Kind.Op;
}
function tokenize(src: string): void {
  let i = 0;
  let tokens = 0;
  while (i < src.length) {
    const k = kindOf(src.charCodeAt(i));
    if (k === Kind.Space) {
      i++;
      continue;
    }
    const start = i;
    let value = 0;
    if (k === Kind.Num) {
      while (i < src.length && kindOf(src.charCodeAt(i)) === Kind.Num) value = value * 10 + src.charCodeAt(i++) - 48;
    } else if (k === Kind.Ident) {
      while (i < src.length && (kindOf(src.charCodeAt(i)) === Kind.Ident || kindOf(src.charCodeAt(i)) === Kind.Num)) {
        value = (Math.imul(value, 31) + src.charCodeAt(i++)) | 0;
      }
    } else {
      value = src.charCodeAt(i++);
    }
    tokens++;
    console.log(k, start, i - start, value);
  }
  console.log("tokens", tokens);
}
tokenize("let x1 = 42 + foo_bar*(7-y) ");
tokenize("");
tokenize("12345678901234");

export {};
