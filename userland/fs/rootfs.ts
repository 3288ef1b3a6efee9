// Filling the tree from the boot archive (docs/userland.md, "File system"): every directory and
// regular file of the cpio archive, at its name made absolute. Entries of other types are skipped;
// an entry the tree refuses (a name too long, a file where a directory should be, the store full)
// is reported by name and skipped; a malformed archive keeps the entries before the bad one.
import { errorMessage } from "../../abi/errors.ts";
import { CpioResult, MODE_DIR, MODE_FILE, MODE_TYPE, cpioRead } from "./cpio.ts";
import { FsTree, NodeType, fileWrite, makeDirs, openFile } from "./tree.ts";
import { pathParts } from "../lib/path.ts";

export class RootfsReport {
  files = 0;
  dirs = 0;
  bytes = 0;
  /** One line per problem (the archive's own, then the entries the tree refused). */
  problems: string[] = [];
}

/** The directory part of `path` ("/" for a name at the top). */
function parentOf(path: string): string {
  const parts = pathParts(path);
  parts.pop();
  return `/${parts.join("/")}`;
}

/** Puts the entries of the archive in the first `length` bytes of `a` into `tree`. */
export function rootfsLoad(tree: FsTree, a: Uint8Array, length: number): RootfsReport {
  const rep = new RootfsReport();
  const read: CpioResult = cpioRead(a, length);
  for (const e of read.entries) {
    const path = `/${pathParts(e.name).join("/")}`;
    const type = e.mode & MODE_TYPE;
    if (path === "/") continue;
    if (type === MODE_DIR) {
      const r = makeDirs(tree, path);
      if (r !== 0) rep.problems.push(`${e.name}: ${errorMessage(r)}`);
      else rep.dirs++;
      continue;
    }
    if (type !== MODE_FILE) {
      rep.problems.push(`${e.name}: skipped (not a regular file or a directory)`);
      continue;
    }
    let r = makeDirs(tree, parentOf(path));
    const l = r === 0 ? openFile(tree, path, true, true) : null;
    if (l !== null) r = l.error;
    if (r === 0) r = fileWrite(tree, l!.node!, 0, a, e.start, e.size);
    if (r !== 0) {
      rep.problems.push(`${e.name}: ${errorMessage(r)}`);
      continue;
    }
    rep.files++;
    rep.bytes += e.size;
  }
  if (read.error !== "") rep.problems.unshift(`malformed archive: ${read.error}; the ${read.entries.length} entries before it are kept`);
  return rep;
}
