// There is no interpreter in C.
export const make = new Function("return 1"); // expect: KEEL0702 "Function"
