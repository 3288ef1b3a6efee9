// Strings are run-time values in user and hosted programs, but some forms stay rejected there.
export function handle(line: string): number {
  const t = `${line}!`; // accepted: a template as a value
  const n = line.search("x"); // expect: KEEL0705 "search"
  const r = line.replaceAll("a", "b"); // expect: KEEL0705 "replaceAll"
  const c = String.raw`x`; // expect: KEEL0707 "String.raw" KEEL0703 "String.raw"
  const m = line.match(/a/); // expect: KEEL0705 "match" KEEL0704 "/a/"
  return t.length + n + r.length + c.length + (m === null ? 0 : 1);
}
