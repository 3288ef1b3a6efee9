// C strings are read-only literals: no string library.
export function shout(s: string): number {
  const t = s.toUpperCase(); // expect: KEEL0705 "toUpperCase"
  const i = s.indexOf("x"); // expect: KEEL0705 "indexOf"
  return t.length + i + s.charCodeAt(0) + s.length;
}
