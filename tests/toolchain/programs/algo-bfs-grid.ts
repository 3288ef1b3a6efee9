// Breadth-first search on a grid maze with a queue in an Int32Array.
const W = 12;
const H = 8;
const maze = [
  "............",
  ".####.#####.",
  ".#....#...#.",
  ".#.####.#.#.",
  ".#......#.#.",
  ".########.#.",
  "..........#.",
  "##########..",
];
const dist = new Int32Array(W * H).fill(-1);
const queue = new Int32Array(W * H);
let qh = 0;
let qt = 0;
function open(x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < W && y < H && maze[y]!.charCodeAt(x) === 46;
}
dist[0] = 0;
queue[qt++] = 0;
const dx = [1, -1, 0, 0];
const dy = [0, 0, 1, -1];
while (qh < qt) {
  const cur = queue[qh++]!;
  const x = cur % W;
  const y = Math.floor(cur / W);
  for (let d = 0; d < 4; d++) {
    const nx = x + dx[d]!;
    const ny = y + dy[d]!;
    if (open(nx, ny) && dist[ny * W + nx]! < 0) {
      dist[ny * W + nx] = dist[cur]! + 1;
      queue[qt++] = ny * W + nx;
    }
  }
}
console.log(qt, dist[W * H - 1]!, dist[4 * W + 2]!, dist[2 * W + 7]!);
for (let y = 0; y < H; y++) {
  let row = 0;
  for (let x = 0; x < W; x++) row = row * 3 + (dist[y * W + x]! < 0 ? 0 : 1 + (dist[y * W + x]! % 2));
  console.log(y, row);
}

export {};
