// C naming. Every C identifier keelc generates lives in one of three disjoint spaces, so names
// derived from TypeScript can never collide with each other, the runtime or C itself:
//   - globals: `<module>__<rest>`, where the module prefix contains no "__" and does not start
//     with "keel"; all of them are handed out by one NameTable, which makes them unique;
//   - keelc's and the runtime's own names: `keel_*` / `KEEL_*`;
//   - locals, parameters and fields: never containing "__", never starting with "_" or "keel_",
//     never a C keyword, a name of the included headers or a symbol the program binds by name
//     (`@extern` / `@export`).

const C_RESERVED = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local " +
    "alignas alignof constexpr nullptr static_assert thread_local typeof_unqual " +
    "asm typeof bool true false NULL main self " +
    "memcpy memmove memset memcmp offsetof errno stdin stdout stderr"
  ).split(" "),
);

/** Macros and typedefs of the headers the generated code includes (stdint.h, stddef.h, stdbool.h). */
const C_HEADER_NAMES =
  /^(U?INT(8|16|32|64|PTR|MAX)_(C|MAX|MIN)|U?INT_(LEAST|FAST)(8|16|32|64)_(MAX|MIN)|SIZE_MAX|PTRDIFF_(MAX|MIN)|WCHAR_(MAX|MIN)|WINT_(MAX|MIN)|SIG_ATOMIC_(MAX|MIN)|u?int(_least|_fast)?(8|16|32|64)_t|u?int(max|ptr)_t|(size|ptrdiff|wchar|max_align)_t)$/;

/** Replaces characters C identifiers cannot hold. */
export function cIdent(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/[A-Za-z0-9_]/.test(ch)) out += ch;
    else if (ch === "$") out += "_S_";
    else out += `_u${ch.codePointAt(0)!.toString(16)}_`;
  }
  if (/^[0-9]/.test(out)) out = "_" + out;
  return out;
}

/** A local, parameter or field name: the TypeScript name, moved out of the other spaces when needed. */
export function localIdent(name: string): string {
  let id = cIdent(name).replace(/__+/g, "_");
  if (id.startsWith("_") || /^keel_/i.test(id)) id = "u" + (id.startsWith("_") ? "" : "_") + id;
  if (C_RESERVED.has(id) || C_HEADER_NAMES.test(id)) id += "_";
  return id;
}

/** `base`, else `base_1`, `base_2`...: the first name `taken` refuses not (never forming "__"). */
export function firstFree(base: string, taken: (name: string) => boolean): string {
  const sep = base.endsWith("_") ? "" : "_";
  let n = base;
  for (let i = 1; taken(n); i++) n = `${base}${sep}${i}`;
  return n;
}

/** Module prefix from a path relative to the project root: kernel/mm/frame-allocator.ts → kernel_mm_frame_allocator. */
export function modulePrefix(relPath: string): string {
  const noExt = relPath.replace(/\.(m|c)?tsx?$/, "");
  let id = noExt.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (/^[0-9]/.test(id) || id === "") id = "m_" + id;
  if (/^keel/i.test(id)) id = "m_" + id;
  return id;
}

/**
 * A C string literal for a JavaScript string (UTF-8, escaped; octal escapes never run into digits).
 * Keel strings are NUL-terminated, so the character U+0000 is held as the byte 0x80
 * (KEEL_NUL_BYTE in keel.h), which no other character uses: literals are ASCII (KEEL0710). The
 * runtime turns it back into 0 where a string's characters are read (charCodeAt, comparisons)
 * or leave the program (console output, panic messages).
 */
export function cString(s: string): string {
  const bytes = Buffer.from(s, "utf8").map((b) => (b === 0 ? 0x80 : b));
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x3f) out += "\\?"; // no trigraphs
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return out + '"';
}

/** Allocates globally unique C names: the first asker gets the clean name, later ones a suffix. */
export class NameTable {
  private readonly taken = new Set<string>();
  /** Symbols the program or runtime defines by exactly this name (@extern, @export, main...). */
  private readonly fixed = new Set<string>();
  unique(name: string): string {
    let n = name;
    for (let i = 2; this.taken.has(n); i++) n = `${name}_${i}`;
    this.taken.add(n);
    return n;
  }
  /** Claims `name` exactly; false when it is already taken. */
  fix(name: string): boolean {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    this.fixed.add(name);
    return true;
  }
  /** Whether a local called `name` would hide a global the program uses by that exact name. */
  isFixed(name: string): boolean {
    return this.fixed.has(name);
  }
}
