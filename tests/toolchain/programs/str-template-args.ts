// Template literals passed as arguments: a parameter that is only printed gets a buffer in the
// caller's frame (which grows to the heap past 1024 bytes); one that is stored gets a heap string.
class LogBook {
  lines: string[] = [];
  keep(line: string): void {
    this.lines.push(line);
  }
}

function report(label: string, msg: string): void {
  console.log(`${label}: ${msg.length} ${msg.charCodeAt(msg.length - 1)}`);
}

const book = new LogBook();
let long = "";
for (let i = 0; i < 300; i++) long += "x" + (i % 10);
for (let round = 0; round < 3; round++) {
  report("short", `round ${round}`);
  report("long", `${long}|${round}|${long}`);
  book.keep(`entry ${round}: ${long.slice(0, 8 + round)}`);
}
for (const l of book.lines) console.log(l);
