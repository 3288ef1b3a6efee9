// The hosted runtime's exit report under KEEL_STATS=1 (toolchain/runtime): `keel: live objects: N`.

/** Parses the live-object count from stderr; NaN when the line is missing. */
export function liveAtExit(stderr: string): number {
  const m = /^keel: live objects: (-?\d+)$/m.exec(stderr);
  return m ? Number(m[1]) : Number.NaN;
}
