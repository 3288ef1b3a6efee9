// A default parameter belongs to the method that runs: a call through a base-class reference
// evaluates the override's defaults, which may use `this` and earlier parameters.
class Sink {
  constructor(public name: string) {}
  write(n: number, width = 4, fill = width * 2): string {
    return `${this.name}:${n}/${width}/${fill}`;
  }
  flush(times = 1): number {
    return times;
  }
}
class Pipe extends Sink {
  scale = 3;
  override write(n: number, width = this.scale + n, fill = width - 1): string {
    return `pipe(${super.write(n, width)}|${fill})`;
  }
}
class Tee extends Pipe {
  override flush(times = this.scale * 10): number {
    return times + super.flush();
  }
}
let evaluated = 0;
function dflt(): number {
  evaluated++;
  return 100;
}
class Lazy extends Sink {
  override flush(times = dflt()): number {
    return times;
  }
}

const sinks: Sink[] = [new Sink("s"), new Pipe("p"), new Tee("t"), new Lazy("l")];
for (const s of sinks) console.log(s.write(1), s.write(2, 7), s.write(3, 5, 9), s.flush(), s.flush(2));
console.log(evaluated);
function through(s: Sink): string {
  return s.write(10);
}
console.log(through(new Tee("x")), through(new Sink("y")));
export {};
