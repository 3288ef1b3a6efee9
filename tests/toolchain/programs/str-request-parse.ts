// @checked
// Strings as run-time values: an HTTP-like request line parser and response builder, in the
// style of a userland server (user and hosted targets only).
class Header {
  constructor(
    public name: string,
    public value: string,
  ) {}
}

function parseHeader(line: string): Header | null {
  const colon = line.indexOf(":");
  if (colon < 0) return null;
  return new Header(line.slice(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
}

function statusLine(code: number, reason: string): string {
  return `HTTP/1.1 ${code} ${reason}`;
}

function describeRequest(method: string, path: string): string {
  let s = method.toUpperCase() + " " + path;
  if (path.endsWith("/")) s += " (directory)";
  if (path.startsWith("/api/")) s += " (api, version " + path.split("/")[2]! + ")";
  return s;
}

const request = "GET /api/v2/items?id=42 HTTP/1.1\nHost: example.test \nContent-Length:  17\nX-Trace:abc\nbroken line";
const lines = request.split("\n");
console.log(lines.length);
const first = lines[0]!.split(" ");
const method = first[0]!;
const target = first[1]!;
const q = target.indexOf("?");
const path = q >= 0 ? target.slice(0, q) : target;
const query = q >= 0 ? target.slice(q + 1) : "";
console.log(describeRequest(method.toLowerCase(), path));
console.log(`query [${query}] id=${Number.parseInt(query.split("=")[1]!, 10) + 1}`);
let length = 0;
for (let i = 1; i < lines.length; i++) {
  const h = parseHeader(lines[i]!);
  if (h === null) {
    console.log("skip:", lines[i]!);
    continue;
  }
  if (h.name === "content-length") length = Number.parseInt(h.value, 10);
  console.log(`${h.name.padEnd(16, ".")}|${h.value.padStart(12)}|`);
}
const response = statusLine(200, "OK") + "\r\n" + "Content-Length: " + String(length) + "\r\n";
console.log(response.length, response.includes("200"), response.includes("404"), response.lastIndexOf("\r\n"));
let body = "";
for (let i = 0; i < 5; i++) body += String.fromCharCode(97 + i) + i;
console.log(body, body.length, body.charAt(3), body.charAt(99) === "", "ab".repeat(3));
console.log("abc" < "abd", "b" > "abc", "" < "a", "same" <= "same", "Z" >= "a");
console.log("  pad  ".trimStart() + "|", "|" + "  pad  ".trimEnd(), Number.parseInt("0x1f"), Number.parseInt("  -77px"));
const parts = "a,b,,c".split(",");
console.log(parts.length, parts[2] === "", parts[3]!, "abc".split("")[1]!, "".split(",").length, "".split("").length);
console.log(String(12) + String(true) + String(5n), `${"x".padStart(3, "ab")}`, "HeLLo".toLowerCase());
const words = ["delta", "alpha", "charlie", "bravo"];
let joined = "";
for (const w of words) joined = joined === "" ? w : joined + "," + w;
console.log(joined, joined.indexOf("charlie"), joined.indexOf("a", 7), joined.slice(-5), joined.slice(-5, -2), joined.substring(8, 3));
