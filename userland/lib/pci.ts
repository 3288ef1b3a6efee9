// The PCI service's protocol (docs/services.md, "PCI"): labels of the calls its endpoint answers
// and the statuses of its replies. The service is userland/pci; init is its only client.

export const enum PciOp {
  /** words: vendor, device, index (the index-th match) → bdf, class, interrupt line | pin << 8. */
  Find = 1,
  /** words: bdf, BAR number → kind (BarKind), base, size in bytes. */
  Bar = 2,
  /** words: bdf, command bits (I/O 1, memory 2, bus master 4) to set → the new command word. */
  Enable = 3,
}

export const enum PciStatus {
  Ok = 0,
  /** No such device, or no such BAR. */
  NotFound = 1,
  /** An unknown label or a malformed argument. */
  BadRequest = 2,
}
