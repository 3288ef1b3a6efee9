// File system paths (docs/userland.md, "File system"): absolute, `/`-separated. `.` is the
// directory itself and `..` its parent (the root's parent is the root). The file system server
// resolves both while it walks a path; the shell resolves them too, to keep its working directory
// in a plain form, with the same functions.

const SLASH = 0x2f;

/** The components of `path` with `.` and `..` resolved; empty slashes are skipped. */
export function pathParts(path: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== SLASH) continue;
    const part = path.slice(start, i);
    start = i + 1;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0) parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts;
}

/** `path` made absolute against `cwd` (itself absolute) and resolved: `/`, or `/a/b`. */
export function pathResolve(cwd: string, path: string): string {
  const full = path.length > 0 && path.charCodeAt(0) === SLASH ? path : `${cwd}/${path}`;
  const parts = pathParts(full);
  return parts.length === 0 ? "/" : `/${parts.join("/")}`;
}

/** The last component of `path` ("" for the root). */
export function pathBase(path: string): string {
  const parts = pathParts(path);
  return parts.length === 0 ? "" : parts[parts.length - 1]!;
}

export function pathIsAbsolute(path: string): boolean {
  return path.length > 0 && path.charCodeAt(0) === SLASH;
}
