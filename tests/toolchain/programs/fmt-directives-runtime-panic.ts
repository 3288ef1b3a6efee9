// @expect: panic
// @compiled-only
// @panic-line: marked
// @compiled-stderr: %d, %i and %f of a string are not supported
// A format string known only at run time may ask for a substitution the runtime does not make
// (here %d of a string, which Node parses as a number): the compiled program panics at the
// console.log instead of printing something else.
function show(format: string, value: string): void {
  console.log(format, value); // panic here
}
show("%s pages", "12");
show("%d pages", "12");
