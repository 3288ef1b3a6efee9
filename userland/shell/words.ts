// Splitting a command line into words: blanks separate words; single quotes keep everything up
// to the next single quote, double quotes the same with \" and \\ inside; a backslash outside
// quotes keeps the next character as it is. An unterminated quote is an error, never a guess.
// Each word also says whether any of it was quoted, so that a quoted '>' is text, not a redirection.

export class Words {
  words: string[] = [];
  /** Per word: whether quotes or a backslash made part of it. */
  quoted: boolean[] = [];
  error = "";
}

const SPACE = 0x20;
const TAB = 9;
const SINGLE = 0x27;
const DOUBLE = 0x22;
const BACKSLASH = 0x5c;

export function splitWords(line: string): Words {
  const r = new Words();
  let word = "";
  let inWord = false;
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      if (inWord) {
        r.words.push(word);
        r.quoted.push(quoted);
      }
      word = "";
      inWord = false;
      quoted = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === SINGLE || c === DOUBLE) {
      quoted = true;
      i++;
      while (i < line.length && line.charCodeAt(i) !== c) {
        if (c === DOUBLE && line.charCodeAt(i) === BACKSLASH && i + 1 < line.length) {
          const next = line.charCodeAt(i + 1);
          if (next === DOUBLE || next === BACKSLASH) i++;
        }
        word += String.fromCharCode(line.charCodeAt(i));
        i++;
      }
      if (i >= line.length) {
        r.error = `unterminated ${c === SINGLE ? "single" : "double"} quote`;
        r.words = [];
        r.quoted = [];
        return r;
      }
      i++;
      continue;
    }
    if (c === BACKSLASH && i + 1 < line.length) {
      quoted = true;
      word += String.fromCharCode(line.charCodeAt(i + 1));
      i += 2;
      continue;
    }
    word += String.fromCharCode(c);
    i++;
  }
  if (inWord) {
    r.words.push(word);
    r.quoted.push(quoted);
  }
  return r;
}
