// Modules are linked at compile time.
export function load(): void {
  void import("./0803-dynamic-import.ts"); // expect: KEEL0803 "import("
}
