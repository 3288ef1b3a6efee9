// NaN, Infinity and the non-integer Number constants.
export let best = Infinity; // expect: KEEL0205 "Infinity"
export const bad = NaN; // expect: KEEL0205 "NaN"
export const tiny = Number.EPSILON; // expect: KEEL0205 "Number.EPSILON"
export const top = Number.MAX_SAFE_INTEGER; // expect: KEEL0703 "Number.MAX_SAFE_INTEGER"
