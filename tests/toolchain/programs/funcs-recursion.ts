// Recursion and mutual recursion.
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function isEven(n: number): boolean {
  return n === 0 ? true : isOdd(n - 1);
}
function isOdd(n: number): boolean {
  return n === 0 ? false : isEven(n - 1);
}
function ackermann(m: number, n: number): number {
  if (m === 0) return n + 1;
  if (n === 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
function hanoi(n: number, from: number, to: number, via: number): number {
  if (n === 0) return 0;
  return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from);
}
console.log(fib(20), fib(25));
console.log(isEven(10), isOdd(7), isEven(7), isOdd(0));
console.log(ackermann(2, 3), ackermann(3, 3));
console.log(gcd(1071, 462), gcd(17, 5), gcd(0, 9));
console.log(hanoi(16, 1, 3, 2));

export {};
