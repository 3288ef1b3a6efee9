// Conway's game of life on a torus in a Uint8Array; prints population and a row hash per step.
const W = 16;
const H = 12;
let cur = new Uint8Array(W * H);
let nxt = new Uint8Array(W * H);
const glider = [1, 0, 2, 1, 0, 2, 1, 2, 2, 2];
for (let i = 0; i < glider.length; i += 2) cur[glider[i + 1]! * W + glider[i]!] = 1;
for (let x = 8; x < 11; x++) cur[6 * W + x] = 1;
for (let gen = 0; gen < 20; gen++) {
  let pop = 0;
  let hash = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          n += cur[((y + dy + H) % H) * W + ((x + dx + W) % W)]!;
        }
      const alive = cur[y * W + x]! === 1;
      const v = (alive && (n === 2 || n === 3)) || (!alive && n === 3) ? 1 : 0;
      nxt[y * W + x] = v;
      pop += v;
      hash = (Math.imul(hash, 31) + v * (y * W + x + 1)) | 0;
    }
  }
  const t = cur;
  cur = nxt;
  nxt = t;
  console.log(gen, pop, hash);
}

export {};
