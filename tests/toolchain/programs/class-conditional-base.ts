// A conditional whose branches are sibling classes (`c ? new A() : new B()`, TypeScript type
// `A | B`) compiles where a common base class is declared: a return type, a typed variable,
// field, parameter or array element, or an assignment to one of those.
abstract class Policy {
  picks = 0;
  abstract pick(ready: number[]): number;
  name(): string {
    return "policy";
  }
}
class RoundRobin extends Policy {
  next = 0;
  pick(ready: number[]): number {
    this.picks++;
    this.next = (this.next + 1) % ready.length;
    return ready[this.next]!;
  }
  override name(): string {
    return "round-robin";
  }
}
class Priority extends Policy {
  pick(ready: number[]): number {
    this.picks++;
    let best = ready[0]!;
    for (const r of ready) if (r > best) best = r;
    return best;
  }
  override name(): string {
    return "priority";
  }
}
class Lottery extends Policy {
  seed = 12345;
  pick(ready: number[]): number {
    this.picks++;
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return ready[this.seed % ready.length]!;
  }
}

function policyFor(kind: number): Policy {
  return kind === 0 ? new RoundRobin() : kind === 1 ? new Priority() : new Lottery();
}

class Cpu {
  policy: Policy;
  spare: Policy | null = null;
  constructor(
    readonly id: number,
    fair: boolean,
  ) {
    this.policy = fair ? new RoundRobin() : new Priority();
  }
  rebalance(load: number): void {
    this.spare = load > 10 ? new Lottery() : load > 5 ? new Priority() : null;
    if (this.spare !== null) this.policy = load > 20 ? this.spare : new RoundRobin();
  }
}

function run(p: Policy, rounds: number): number {
  const ready = [3, 9, 4, 7];
  let sum = 0;
  for (let i = 0; i < rounds; i++) sum += p.pick(ready);
  return sum;
}

const pick: (fair: boolean) => Policy = (fair: boolean): Policy => (fair ? new RoundRobin() : new Lottery());

for (let kind = 0; kind < 3; kind++) {
  const p = policyFor(kind);
  console.log(kind, p.name(), run(p, 5), p.picks);
}
const cpus = [new Cpu(0, true), new Cpu(1, false)];
const load = [3, 8, 25];
for (const l of load) {
  for (const c of cpus) {
    c.rebalance(l + c.id);
    console.log(`cpu ${c.id} load ${l}: ${c.policy.name()} spare=${c.spare === null ? "none" : c.spare.name()} sum=${run(c.policy, 3)}`);
  }
}
const mixed: Policy[] = [load.length > 2 ? new Priority() : new Lottery(), pick(false), pick(true)];
let total = 0;
for (const p of mixed) total += run(p, 4);
console.log(total, run(cpus[0]!.id === 0 ? new Lottery() : new RoundRobin(), 6));
let current: Policy = new RoundRobin();
for (let i = 0; i < 4; i++) {
  current = i % 2 === 0 ? new Priority() : new Lottery();
  console.log(i, current.name(), run(current, 2));
}

export {};
