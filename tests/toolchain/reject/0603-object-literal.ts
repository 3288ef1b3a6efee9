// Data lives in classes.
export class Range {
  constructor(readonly lo: number, readonly hi: number) {}
}
export const whole: Range = { lo: 0, hi: 10 }; // expect: KEEL0603 "{ lo"
