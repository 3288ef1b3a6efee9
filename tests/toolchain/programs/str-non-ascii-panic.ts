// @expect: panic
// @stderr: is not ASCII
// Compiled strings hold ASCII only: decoding a UTF-8 byte outside it stops the program, in Node
// as in C (lang/text.ts), rather than giving lengths that would differ.
import { utf8Decode } from "../../../lang/text.ts";

const bytes = new Uint8Array([104, 105, 0xc3, 0xa9]);
console.log(utf8Decode(bytes, 0, 2));
console.log(utf8Decode(bytes));
