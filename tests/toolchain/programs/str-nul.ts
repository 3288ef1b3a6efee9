// Strings holding NUL (U+0000): literals, escapes, templates and run-time strings keep every
// character after it, count it in length, read it as 0, order it first and print it.
import { utf8Decode, utf8Encode } from "../../../lang/text.ts";

const a: string = "a\0b";
const b: string = "\x00\u0000";
const c = `x\0${a}\0y`;
console.log(a.length, b.length, c.length);
console.log(a.charCodeAt(0), a.charCodeAt(1), a.charCodeAt(2), b.charCodeAt(1));
console.log(a);
console.log(`[${c}]`);
console.log("%s|%s", a, b);
console.log(a === "a\0b", a === "a", a !== "a\0c");

// run-time strings
const d = a + "!" + b;
console.log(d.length, d.indexOf("\0"), d.lastIndexOf("\0"), d.includes("b!"));
console.log(d.slice(1, 4).length, d.slice(1, 4).charCodeAt(0));
const parts = "p\0q\0r".split("\0");
console.log(parts.length, parts.join(","));
console.log(String.fromCharCode(0).length, String.fromCharCode(0) === "\0");
console.log("\0".padStart(3, "-").length, "ab".padEnd(4, "\0"));
console.log(" \0 ".trim().length, "x\0y".toUpperCase());
console.log("\0".repeat(3).length, ("a" + String.fromCharCode(0)).charCodeAt(1));

// ordering: NUL sorts before every other character
console.log("\0" < "a", "a\0" < "a", "a" < "a\0", "a\0" < "a\x01", "\0z" < "a");
const words = ["b", "a\0", "\0", "a", "\0\0"];
words.sort((x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0));
for (const w of words) console.log(w.length, w.charCodeAt(0));

// maps keep keys that differ after a NUL apart
const m = new Map<string, number>();
m.set("k\0a", 1);
m.set("k\0b", 2);
m.set("k", 3);
console.log(m.size, m.get("k\0a"), m.get("k\0b"), m.get("k"), m.has("k\0"));

// bytes
const bytes = utf8Encode("n\0m");
console.log(bytes.length, bytes[0], bytes[1], bytes[2]);
console.log(utf8Decode(new Uint8Array([104, 0, 105])).length, utf8Decode(new Uint8Array([0])) === "\0");
