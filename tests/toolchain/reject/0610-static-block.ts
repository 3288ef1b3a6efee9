// Class static blocks run code at class definition.
export class Table {
  static size = 0;
  static { // expect: KEEL0610 "static {"
    Table.size = 4;
  }
}
