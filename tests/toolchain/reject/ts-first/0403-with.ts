// `with` makes name resolution dynamic; TypeScript rejects it in modules (TS1101) before the
// checker runs.
export class Origin {
  x = 0;
}
export function getX(o: Origin): number {
  with (o) { // expect: TS1101 "with" KEEL0403 "with"
    return 0;
  }
}
