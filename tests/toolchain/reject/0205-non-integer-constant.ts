// NaN, Infinity and the non-integer Number constants.
export let best = Infinity; // expect: KEEL0205 "Infinity"
export const bad = NaN; // expect: KEEL0205 "NaN"
export const tiny = Number.EPSILON; // expect: KEEL0205 "Number.EPSILON"
export const top = Number.MAX_SAFE_INTEGER; // accepted: an integer
export const real = Number.parseFloat("1"); // expect: KEEL0703 "Number.parseFloat"
export const whole = Number.isInteger(5n); // expect: KEEL0703 "Number.isInteger(5n)"
