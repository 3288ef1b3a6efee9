// Capability rights. A right is a bit; a capability's rights only ever shrink along any path
// (copy, mint, transfer), which `rightsSubset` enforces at every derivation.

export const enum Right {
  /** Receive from an endpoint, wait on a notification or wait set, read memory. */
  Read = 1,
  /** Send to an endpoint, reply, write memory. */
  Write = 2,
  /** Map memory executable (kept apart from Write so W^X holds per mapping). */
  Execute = 4,
  /** Transfer the capability to another process (in a message or by move). */
  Grant = 8,
  /** Map a memory object into an address space. */
  Map = 16,
  /** Signal a notification (OR bits into its word). */
  Signal = 32,
  /** Control operations on the object (configure, add to a wait set, destroy contents). */
  Manage = 64,
  /** Derive new capabilities from this one (copy, mint). Without it a capability is a leaf. */
  Duplicate = 128,
}

/** Every right: what the creator of an object receives. */
export const RIGHTS_ALL = 255;

/** True when every right in `child` is also in `parent`. */
export function rightsSubset(child: number, parent: number): boolean {
  return (child & ~parent) === 0;
}

/** True when `rights` holds every bit of `required`. */
export function rightsHave(rights: number, required: number): boolean {
  return (rights & required) === required;
}

/** True when `rights` names only defined rights. */
export function rightsValid(rights: number): boolean {
  return rights >= 0 && (rights & ~RIGHTS_ALL) === 0;
}
