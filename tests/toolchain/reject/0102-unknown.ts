// `unknown` as a field type.
export class Slot {
  value: unknown = null; // expect: KEEL0102 "unknown"
}
