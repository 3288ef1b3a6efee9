// Namespaces are not ES modules.
export namespace Ports { // expect: KEEL0807 "export"
  export const COM1 = 0x3f8;
}
