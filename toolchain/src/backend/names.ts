// C naming: identifiers derived from TypeScript names that never collide with C keywords, the
// runtime (keel_*), reserved identifiers or each other.

const C_RESERVED = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local " +
    "asm typeof bool true false NULL main self " +
    "int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t size_t ptrdiff_t " +
    "memcpy memmove memset memcmp offsetof errno stdin stdout stderr"
  ).split(" "),
);

/** Macros of the freestanding headers the generated code includes (stdint.h, stddef.h, stdbool.h). */
const C_MACROS = /^(U?INT(8|16|32|64|PTR|MAX)_(C|MAX|MIN)|U?INT_(LEAST|FAST)(8|16|32|64)_(MAX|MIN)|SIZE_MAX|PTRDIFF_(MAX|MIN)|WCHAR_(MAX|MIN)|WINT_(MAX|MIN)|SIG_ATOMIC_(MAX|MIN))$/;

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

/** A local or field name: the TypeScript name unless it is reserved in C or by the runtime. */
export function localIdent(name: string): string {
  const id = cIdent(name);
  if (C_RESERVED.has(id) || C_MACROS.test(id) || /^keel_/i.test(id) || id.startsWith("_") || id.includes("__")) return `${id}_`;
  return id;
}

/** Module prefix from a path relative to the project root: kernel/mm/frame-allocator.ts → kernel_mm_frame_allocator. */
export function modulePrefix(relPath: string): string {
  const noExt = relPath.replace(/\.(m|c)?tsx?$/, "");
  let id = noExt.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (/^[0-9]/.test(id) || id === "") id = "m_" + id;
  if (id.startsWith("keel")) id = "m_" + id;
  return id;
}

/** A C string literal for a JavaScript string (UTF-8, escaped; octal escapes never run into digits). */
export function cString(s: string): string {
  const bytes = Buffer.from(s, "utf8");
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
  unique(name: string): string {
    let n = name;
    for (let i = 2; this.taken.has(n); i++) n = `${name}_${i}`;
    this.taken.add(n);
    return n;
  }
}
