// @heap-max: 64M
// A log-processing loop: every record is formatted, concatenated, split into fields and
// re-joined, and one in five hundred is keptEntries. Over the run it allocates well over 1 GB of strings
// and arrays (KEEL_STATS=1 reports the collector's figures), with a small live set.
class Entry {
  constructor(
    public key: string,
    public fields: string[],
  ) {}
}

const keptEntries: Entry[] = new Array<Entry>(400).fill(new Entry("", []));
let nkept = 0;

function record(i: number): string {
  let line = `id=${i};host=node${i % 17};path=/srv/data/${(i * 7919) % 100000}`;
  for (let k = 0; k < 12; k++) line += ";tag" + k + "=" + String(i ^ k).padStart(8, "0");
  return line;
}

function handleRecord(i: number): number {
  const line = record(i);
  const fields = line.split(";");
  let rebuilt = "";
  for (const f of fields) rebuilt = rebuilt === "" ? f.toUpperCase() : rebuilt + "|" + f.toUpperCase();
  const scratch = new Array<number>(64 + (i % 64)).fill(i);
  if (i % 500 === 0 && nkept < keptEntries.length) {
    keptEntries[nkept] = new Entry(rebuilt.slice(0, 24), fields);
    nkept++;
  }
  return rebuilt.length + scratch.length;
}

let churnTotal = 0;
for (let i = 0; i < 60000; i++) churnTotal += handleRecord(i);
let check = 0;
for (let j = 0; j < nkept; j++) check += keptEntries[j]!.key.length + keptEntries[j]!.fields.length + keptEntries[j]!.fields[5]!.charCodeAt(5);
console.log(churnTotal, nkept, check, keptEntries[7]!.key, keptEntries[nkept - 1]!.fields[3]!);
