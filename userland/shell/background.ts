// `&` at the end of a command line: the program runs in the background. The operator is an
// unquoted word of its own or the end of the last word (`sleep 100&`); anywhere else it is an error,
// never a guess. A quoted '&' is text.
import { Words } from "./words.ts";

export class Background {
  background = false;
  error = "";

  constructor(
    /** The line's words with the `&` taken out (the line's own when it has none). */
    public words: Words,
  ) {}
}

const AMP = 0x26;

function endsInAmpersand(w: Words, i: number): boolean {
  const word = w.words[i]!;
  return !w.quoted[i]! && word.length > 0 && word.charCodeAt(word.length - 1) === AMP;
}

export function parseBackground(w: Words): Background {
  let any = false;
  for (let i = 0; i < w.words.length; i++) if (endsInAmpersand(w, i)) any = true;
  // Most lines have no `&`: they keep their words as they are.
  if (!any) return new Background(w);
  const r = new Background(new Words());
  r.words.error = w.error;
  for (let i = 0; i < w.words.length; i++) {
    const word = w.words[i]!;
    const quoted = w.quoted[i]!;
    const last = i === w.words.length - 1;
    if (endsInAmpersand(w, i)) {
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
