// Floor division and remainder by powers of two (the runtime shifts and masks for them) must give
// what Node gives for every sign, next to divisors that are not powers of two.
const values = [0, 1, -1, 5, -5, 511, 512, -512, -513, 4095, -4096, 140737488355328, -140737488355329, 9007199254740991, -9007199254740991];
const divisors = [1, 2, 4, 512, 4096, 2097152, 1073741824, 549755813888, 4503599627370496, 3, 6, -4, -512, 1000];

let checksum = 0;
for (let i = 0; i < values.length; i++) {
  const a = values[i]!;
  for (let j = 0; j < divisors.length; j++) {
    const b = divisors[j]!;
    // + 0: a zero quotient or remainder may be -0 in JavaScript, which printing would show.
    const q = Math.floor(a / b) + 0;
    const r = (a % b) + 0;
    console.log(a, b, q, r);
    checksum = (checksum * 31 + (q % 1000003) + (r % 1000003)) % 1000000007;
  }
}
console.log("checksum", checksum);
