// Numeric literals with a fraction or an exponent.
export const HALF = 0.5; // expect: KEEL0201 "0.5"
export const THOUSAND = 1e3; // expect: KEEL0201 "1e3"
