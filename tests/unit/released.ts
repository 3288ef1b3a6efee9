// A `release` for host tests that poisons what it frees: every later read or write of a field of a
// released kernel object throws, where under Node it would pass silently (release is a no-op there)
// and in the compiled kernel it is a use after free. Use it as the factory of
// vi.mock(".../lang/core.ts", (orig) => poisonedCore(orig)).

/** Makes every own field of `obj` throw when touched. */
export function poison(obj: object): void {
  // Typed arrays cannot be trapped; their owners are, and every access goes through them.
  if (ArrayBuffer.isView(obj)) return;
  for (const k of Object.keys(obj)) {
    const fail = (): never => {
      throw new Error(`use of released memory (.${k})`);
    };
    Object.defineProperty(obj, k, { get: fail, set: fail });
  }
}

/** The real core module whose `release` also poisons (after counting the release as usual). */
export async function poisonedCore<T extends { release: (obj: object) => void }>(original: () => Promise<T>): Promise<T> {
  const core = await original();
  return {
    ...core,
    release: (obj: object) => {
      core.release(obj);
      poison(obj);
    },
  };
}
