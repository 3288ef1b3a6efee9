// Bytes in, strings out and back: a line-oriented command reader over a receive buffer, as a
// shell or a server reads its input.
import { utf8Decode, utf8Encode } from "../../../lang/text.ts";

const input = utf8Encode("echo hello world\nls /srv\n\nset  NAME = keel \n");
let start = 0;
let count = 0;
for (let i = 0; i < input.length; i++) {
  if (input[i] !== 10) continue;
  const line = utf8Decode(input, start, i).trim();
  start = i + 1;
  if (line === "") continue;
  const sp = line.indexOf(" ");
  const cmd = sp < 0 ? line : line.slice(0, sp);
  const rest = sp < 0 ? "" : line.slice(sp + 1);
  count++;
  console.log(`${count}: [${cmd}] [${rest}] ${rest.split(" ").length} words`);
}
const reply = utf8Encode(`ok ${count} commands`);
let sum = 0;
for (const b of reply) sum += b;
console.log(reply.length, sum, utf8Decode(reply));
const long = utf8Encode("x".repeat(300) + "y");
console.log(utf8Decode(long).length, utf8Decode(long, 299).length, utf8Decode(long, 298, 300));
