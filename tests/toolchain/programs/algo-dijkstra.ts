// Dijkstra over an adjacency matrix (-1 = no edge), with path reconstruction.
const N = 7;
const INF = 9007199254740991;
const w = new Int32Array(N * N).fill(-1);
function edge(a: number, b: number, c: number): void {
  w[a * N + b] = c;
  w[b * N + a] = c;
}
edge(0, 1, 7); edge(0, 2, 9); edge(0, 5, 14); edge(1, 2, 10); edge(1, 3, 15);
edge(2, 3, 11); edge(2, 5, 2); edge(3, 4, 6); edge(4, 5, 9);
const dist = new Array<number>(N).fill(INF);
const prev = new Int32Array(N).fill(-1);
const done = new Array<boolean>(N).fill(false);
dist[0] = 0;
for (let iter = 0; iter < N; iter++) {
  let u = -1;
  for (let i = 0; i < N; i++) if (!done[i]! && (u < 0 || dist[i]! < dist[u]!)) u = i;
  if (dist[u]! === INF) break;
  done[u] = true;
  for (let v = 0; v < N; v++) {
    const c = w[u * N + v]!;
    if (c >= 0 && dist[u]! + c < dist[v]!) {
      dist[v] = dist[u]! + c;
      prev[v] = u;
    }
  }
}
for (let v = 0; v < N; v++) {
  console.log(v, dist[v]! === INF ? -1 : dist[v]!);
  let p = v;
  while (p >= 0) {
    console.log("  via", p);
    p = prev[p]!;
  }
}

export {};
