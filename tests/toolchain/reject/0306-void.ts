// `void expr` as a value yields undefined; as a statement it only discards.
export function ignore(x: number): void {
  void x;
  return void x; // expect: KEEL0306 "void x"
}
