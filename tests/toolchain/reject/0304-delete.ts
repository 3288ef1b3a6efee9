// Structs cannot lose fields.
export function drop(slots: number[]): void {
  delete slots[0]; // expect: KEEL0304 "delete"
}
