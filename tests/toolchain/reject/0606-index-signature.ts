// Structs have fixed fields.
export class Bag {
  [key: string]: number; // expect: KEEL0606 "["
}
