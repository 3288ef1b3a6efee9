// A conditional between sibling classes is a value of their common base wherever a declaration
// names it: variables, fields, parameters, returns, array elements and assignments.
abstract class Policy {
  abstract pick(n: number): number;
  name(): string {
    return "policy";
  }
}
class First extends Policy {
  pick(n: number): number {
    return n > 0 ? 0 : -1;
  }
}
class Last extends Policy {
  pick(n: number): number {
    return n - 1;
  }
  override name(): string {
    return "last";
  }
}
class Middle extends Last {
  override pick(n: number): number {
    return Math.floor(n / 2);
  }
}
class Sched {
  policy: Policy;
  constructor(fair: boolean) {
    this.policy = fair ? new First() : new Last();
  }
}
function choose(k: number): Policy {
  return k === 0 ? new First() : k === 1 ? new Last() : new Middle();
}
function run(p: Policy, n: number): string {
  return `${p.name()}:${p.pick(n)}`;
}
const fair = Number(true) === 1;
const p: Policy = fair ? new Middle() : new First();
let q: Policy = new First();
q = !fair ? new Middle() : new Last();
const list: Policy[] = [fair ? new First() : new Last(), choose(2), choose(1)];
console.log(run(p, 9), run(q, 9), new Sched(true).policy.name(), new Sched(false).policy.pick(4));
console.log(run(fair ? new Last() : new Middle(), 10), list.map((x) => run(x, 6)).join(" "));
for (let k = 0; k < 3; k++) console.log(run(choose(k), 7));
export {};
