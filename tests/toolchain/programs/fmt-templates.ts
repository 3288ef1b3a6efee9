// Template literals: numbers, bigints (no suffix), booleans, strings, radix conversions, padding.
const n = 255;
const neg = -255;
const b = 0xabcn;
const flag = true;
const who = "keel";
console.log(`n=${n} neg=${neg} b=${b} flag=${flag} who=${who}`);
console.log(`${n.toString(16)} ${n.toString(2)} ${n.toString(8)} ${n.toString(36)} ${neg.toString(16)} ${neg.toString(2)}`);
console.log(`[${n.toString(16).padStart(8, "0")}] [${n.toString(2).padStart(4, "0")}] [${who.padStart(8, " ")}] [${who.padEnd(8, ".")}]`);
console.log(`[${b.toString(16).padStart(16, "0")}] [${b.toString(2)}] [${neg.toString(10).padStart(6, "*")}]`);
console.log(`0x${(0xdeadbeef).toString(16)} ${(9007199254740991).toString(36)} ${(-9007199254740991).toString(16)}`);
for (let i = 0; i < 5; i++) console.log(`row ${i}: ${(i * 37).toString(16).padStart(3, "0")}|${i.toString(10).padEnd(3, "-")}|`);
console.log(`nested ${`inner ${n + 1}`} end`, `second ${flag ? "yes" : "no"}`);
console.log(`${n}${neg}${b}${flag}`);
console.log(`empty: ${""}.`);

export {};
