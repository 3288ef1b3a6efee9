// Enums compile to integer constants.
export enum Color {
  Red = "red", // expect: KEEL0902 "Red"
  Green = 2,
}
export function compute(): number {
  return 3;
}
export enum Late {
  Value = compute(), // expect: KEEL0902 "Value"
}
