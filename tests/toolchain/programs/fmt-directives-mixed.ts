// console.log formats as Node does: directives in a literal, a const, a template literal and a
// string built at run time; too few and too many arguments; %% and unknown directives.
const FMT = "%s has %d pages (%i%%)";
const who = "proc";
const n = 12;
console.log(FMT, who, n, 50);
console.log(FMT, who);
console.log("%s|%s", "a", "b", "c", 4, true, null);
console.log(`${who}: %d of %d`, 3, n);
console.log(`%s=${n}%%`, "x", "extra");
console.log("%c%s", "color: red", "styled");
console.log("%d %i %f", 7n, true, 42);
console.log("%s %s %s", 1n, false, null);
console.log("100%", "sure", "%d", 5);
console.log("%x %q %", 1, 2);
console.log("%%d", 3);
let built = "";
for (const part of ["%s", "-", "%d", "!"]) built += part;
console.log(built, "run", 9);
console.log(built);
console.log("%d", -5, "after");
console.log("%i", -17, Number.MAX_SAFE_INTEGER);
export {};
