// `declare` needs the C symbol that implements it.
declare const bootTime: number; // expect: KEEL0806 "declare"
declare function halt(): void; // expect: KEEL0806 "declare"
/** @extern keel_pause */
declare function pause(): void;
export function idle(): number {
  pause();
  halt();
  return bootTime;
}
