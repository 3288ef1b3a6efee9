// Default parameter values belong to the method that runs: a call through a base-class reference
// that leaves an argument out gets the default of the override chosen by virtual dispatch (and
// that override's `this`), not the default written in the statically named class.
abstract class Device {
  irqs = 0;
  constructor(readonly name: string, readonly base: number) {}
  /** Register window to dump; most devices show four registers from their base. */
  abstract window(first: number): number;
  describe(indent: number = 2, verbose: boolean = false): number {
    console.log(`[${indent}] ${this.name} @${this.base.toString(16)}${verbose ? " (generic)" : ""}`);
    return indent;
  }
  /** Raise an interrupt; the default line is device specific. */
  raise(line: number = 0): number {
    this.irqs++;
    return line;
  }
}

class Uart extends Device {
  baud = 115200;
  window(first: number = this.base): number {
    return first + 8;
  }
  override describe(indent: number = 4, verbose: boolean = true): number {
    console.log(`[${indent}] uart ${this.name} baud=${this.baud} verbose=${verbose}`);
    return indent * 10;
  }
  override raise(line: number = 4): number {
    return super.raise() + line;
  }
}

class Timer extends Device {
  period = 10;
  window(first: number = this.base + this.period): number {
    return first;
  }
  override raise(line: number = this.period * 2): number {
    this.irqs += 2;
    return line;
  }
}

class Rtc extends Timer {
  override describe(indent: number = this.period, verbose: boolean = indent > 5): number {
    super.describe(indent + 1);
    return super.describe(indent + 1, verbose) + 1;
  }
}

function probe(devs: Device[]): void {
  for (const d of devs) {
    const width = d.describe();
    const wide = d.describe(1);
    console.log(`  -> ${width} ${wide} raise=${d.raise()} raise(9)=${d.raise(9)} irqs=${d.irqs}`);
  }
}

const uart = new Uart("com1", 0x3f8);
const timer = new Timer("pit", 0x40);
const rtc = new Rtc("cmos", 0x70);
rtc.period = 7;
probe([uart, timer, rtc]);

// The same calls through the classes' own types.
console.log(uart.describe(), timer.describe(), rtc.describe(), rtc.describe(2));
console.log(uart.window(), timer.window(), rtc.window(), rtc.window(1));
const t: Timer = rtc;
t.period = 3;
console.log(t.raise(), t.describe(), timer.raise());

export {};
