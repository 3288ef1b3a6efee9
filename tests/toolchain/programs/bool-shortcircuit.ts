// Short-circuit evaluation: the right operand runs only when needed.
let calls = 0;
function t(tag: number): boolean {
  calls = calls * 10 + tag;
  return true;
}
function f(tag: number): boolean {
  calls = calls * 10 + tag;
  return false;
}
console.log(f(1) && t(2), calls);
calls = 0;
console.log(t(1) && f(2) && t(3), calls);
calls = 0;
console.log(t(1) || f(2), calls);
calls = 0;
console.log(f(1) || f(2) || t(3) || t(4), calls);
calls = 0;
console.log(!f(1) && (f(2) || t(3)), calls);
calls = 0;
const r = f(1) ? t(2) : f(3);
console.log(r, calls);
let n = 0;
const ok = n > 0 && Math.floor(10 / n) > 1;
console.log(ok, n);
n = 4;
console.log(n > 0 && Math.floor(10 / n) > 1);
console.log(true === !false, false !== false, !!n);

export {};
