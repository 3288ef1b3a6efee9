// There is no interpreter in C.
export function run(src: string): void {
  eval(src); // expect: KEEL0701 "eval"
}
