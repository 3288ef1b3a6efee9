// Node counts UTF-16 units, C counts bytes.
export function banner(): void {
  console.log("Kernel — ready"); // expect: KEEL0710 '"Kernel'
}
