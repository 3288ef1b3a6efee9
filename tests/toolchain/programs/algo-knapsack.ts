// @checked
// 0/1 knapsack and longest common subsequence by dynamic programming.
const weights = [12, 7, 11, 8, 9, 6, 14, 5];
const values = [24, 13, 23, 15, 16, 11, 30, 7];
const CAP = 40;
const best = new Array<number>(CAP + 1).fill(0);
for (let i = 0; i < weights.length; i++) {
  for (let c = CAP; c >= weights[i]!; c--) best[c] = Math.max(best[c]!, best[c - weights[i]!]! + values[i]!);
}
console.log(best[CAP]!, best[20]!, best[5]!);
function lcs(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const t = new Int32Array((m + 1) * (n + 1));
  for (let i = 1; i <= m; i++)
    for (let j = 1; j <= n; j++)
      t[i * (n + 1) + j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1)
        ? t[(i - 1) * (n + 1) + j - 1]! + 1
        : Math.max(t[(i - 1) * (n + 1) + j]!, t[i * (n + 1) + j - 1]!);
  return t[m * (n + 1) + n]!;
}
console.log(lcs("AGGTAB", "GXTXAYB"), lcs("kernel", "keel"), lcs("", "abc"), lcs("capability", "portability"));

export {};
