// A method reference would lose its object.
export class Timer {
  ticks = 0;
  tick(): void {
    this.ticks++;
  }
  static make(): Timer {
    return new Timer();
  }
}
export function run(t: Timer, f: () => void): void {
  f();
  t.tick();
}
export function start(t: Timer): void {
  run(t, t.tick); // expect: KEEL0509 "t.tick)"
  const make: () => Timer = Timer.make; // expect: KEEL0509 "Timer.make"
  run(make(), make);
}
