// A non-empty case that falls into the next: TypeScript reports it first (TS7029,
// noFallthroughCasesInSwitch); the checker rejects it too when run on its own.
export function classify(n: number): number {
  let r = 0;
  switch (n) {
    case 0: // expect: TS7029 "case 0" KEEL0408 "case 0"
      r = 1;
    case 1:
      r += 2;
      break;
    case 2:
    case 3:
      return 4;
    default:
      r = 5;
  }
  return r;
}
