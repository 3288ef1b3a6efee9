// @checked
// Integer division through Math.floor, Math.trunc and `| 0`, every sign combination.
const as = [7, -7, 0, 1, -1, 100, -100, 2147483647, -2147483648, 9007199254740991, -9007199254740991];
const bs = [1, -1, 2, -2, 3, -3, 7, -7, 1000];
for (const a of as) {
  for (const b of bs) {
    const f = Math.floor(a / b);
    const t = Math.trunc(a / b);
    const o = (a / b) | 0;
    // Template literals print -0 as 0, like the C side.
    console.log(`${a} / ${b}: floor ${f} trunc ${t} or0 ${o}`);
  }
}

export {};
