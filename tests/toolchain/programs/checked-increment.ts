// @checked-only
// @stderr: PANIC: integer overflow
// @panic-line: marked
let counter = 9007199254740989;
for (let i = 0; i < 5; i++) {
  counter++; // panic here
  console.log(counter);
}

export {};
