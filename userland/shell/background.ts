// `&` at the end of a command line: the program runs in the background. The operator is an
// unquoted word of its own or the end of the last word (`sleep 100&`); anywhere else it is an error,
// never a guess. A quoted '&' is text.
import { Words } from "./words.ts";

export class Background {
  /** The line's words with the `&` taken out. */
  words = new Words();
  background = false;
  error = "";
}

const AMP = 0x26;

export function parseBackground(w: Words): Background {
  const r = new Background();
  r.words.error = w.error;
  for (let i = 0; i < w.words.length; i++) {
    const word = w.words[i]!;
    const quoted = w.quoted[i]!;
    const last = i === w.words.length - 1;
    if (!quoted && word.length > 0 && word.charCodeAt(word.length - 1) === AMP) {
      if (!last) {
        r.error = "& only at the end of a line";
        return r;
      }
      r.background = true;
      if (word.length > 1) {
        r.words.words.push(word.slice(0, word.length - 1));
        r.words.quoted.push(false);
      }
      continue;
    }
    r.words.words.push(word);
    r.words.quoted.push(quoted);
  }
  if (r.background && r.words.words.length === 0) r.error = "& needs a command";
  return r;
}
