// @checked
// Growable arrays in a job scheduler: a run queue that grows and shrinks, priority sorting with
// a comparator, and the callback methods (user and hosted targets).
class Job {
  constructor(
    public name: string,
    public priority: number,
    public cost: number,
  ) {}
}

const queue: Job[] = [];
for (let i = 0; i < 40; i++) queue.push(new Job("job" + i, (i * 7) % 5, (i * 13) % 11));
console.log(queue.length, queue[39]!.name);
queue.sort((a: Job, b: Job): number => a.priority - b.priority);
console.log(queue.slice(0, 8).map((j: Job): string => j.name).join(" "));
const urgent = queue.filter((j: Job): boolean => j.priority === 0);
console.log(urgent.length, urgent.some((j: Job): boolean => j.cost > 9), urgent.every((j: Job): boolean => j.cost < 11));
console.log(queue.findIndex((j: Job): boolean => j.cost === 10));
let done = 0;
while (queue.length > 30) {
  const j = queue.shift()!;
  done += j.cost;
}
const last = queue.pop()!;
queue.unshift(last);
console.log(done, queue.length, queue[0]!.name, last.name);

const ids: number[] = [5, 3, 9];
for (let i = 0; i < 100; i++) ids.push((i * 37) % 101);
ids.sort((a: number, b: number): number => b - a);
console.log(ids.length, ids[0]!, ids[102]!, ids.indexOf(9), ids.includes(100), ids.includes(101));
const removed = ids.splice(2, 3, -1, -2);
console.log(removed.join("+"), ids.length, ids.slice(0, 6).join(), ids.slice(-3).join(","));
ids.splice(1);
console.log(ids.join("/"), ids.length);

let squares = 0;
[1, 2, 3].forEach((x: number, i: number): void => {
  console.log("visit", x, i);
});
for (const x of [4, 5, 6].map((v: number): number => v * v)) squares += x;
console.log(squares);

const sortedWords: string[] = "the quick brown fox jumps over the lazy dog".split(" ");
sortedWords.sort((a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0));
console.log(sortedWords.join(","), sortedWords.indexOf("the"), sortedWords.includes("cat"));
const stack: string[] = [];
for (const w of sortedWords) if (w.length > 3) stack.push(w.toUpperCase());
while (stack.length > 0) console.log(stack.pop()!);
