// Output redirection on a command line: `> file` writes the command's output to the file (made
// or emptied first), `>> file` appends to it. The operator is an unquoted word of its own or the
// start of one (`>file`, `>>file`); one redirection per line.
import { Words } from "./words.ts";

export class Redirect {
  /** The command's own words, the redirection taken out. */
  args: string[] = [];
  /** The file ("" when there is no redirection) and whether to append. */
  target = "";
  append = false;
  error = "";
}

const GT = 0x3e;

export function parseRedirect(w: Words): Redirect {
  const r = new Redirect();
  for (let i = 0; i < w.words.length; i++) {
    const word = w.words[i]!;
    if (w.quoted[i]! || word.length === 0 || word.charCodeAt(0) !== GT) {
      r.args.push(word);
      continue;
    }
    if (r.target !== "") {
      r.error = "only one redirection per command";
      return r;
    }
    const append = word.length > 1 && word.charCodeAt(1) === GT;
    let target = word.slice(append ? 2 : 1);
    if (target === "" && i + 1 < w.words.length) {
      i++;
      target = w.words[i]!;
    }
    if (target === "") {
      r.error = `${append ? ">>" : ">"} needs a file name`;
      return r;
    }
    r.target = target;
    r.append = append;
  }
  return r;
}
