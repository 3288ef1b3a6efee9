// @heap-max: 64M
// A request loop that builds a record and a scratch buffer per request and keeps one in a
// thousand in a history list: about 1.3 GB allocated over the run, a few hundred KB live.
class ChurnJob {
  constructor(
    public id: number,
    public next: ChurnJob | null,
    public body: number[],
  ) {}
}

let history: ChurnJob | null = null;
let keptJobs = 0;

function handle(i: number): number {
  const body = new Array<number>(100 + (i % 400)).fill(i);
  const r = new ChurnJob(i, null, body);
  if (i % 1000 === 0) {
    r.next = history;
    history = r;
    keptJobs++;
  }
  return body.length;
}

function historySum(): number {
  let sum = 0;
  for (let r: ChurnJob | null = history; r !== null; r = r.next) sum += r.id + r.body[r.body.length - 1]!;
  return sum;
}

let bytes = 0;
for (let i = 0; i < 400000; i++) bytes += handle(i) * 8;
console.log(`allocated ${bytes} bytes of bodies, keptJobs ${keptJobs} requests, checksum ${historySum()}`);
