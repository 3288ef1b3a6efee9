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

/**
 * True when `word`, a whole 64-bit argument (system call register or message word, as a number),
 * sets no bit outside `allowed`, a mask below 2^31. The range is compared first: `&` works on the
 * low 32 bits only (ToInt32), so a word with bit 32 or above set would otherwise pass for the
 * flags in its low bits; and a word beyond the safe range arrives as 2^53 - 1, which fails here.
 */
export function flagsValid(word: number, allowed: number): boolean {
  return word >= 0 && word <= allowed && (word & ~allowed) === 0;
}

/** True when `rights` names only defined rights (checked over the whole word: flagsValid). */
export function rightsValid(rights: number): boolean {
  return flagsValid(rights, RIGHTS_ALL);
}
