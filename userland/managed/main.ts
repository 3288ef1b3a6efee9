// managed: a user program written as ordinary TypeScript (run-time strings, growable arrays,
// Map and Set), whose garbage is reclaimed by the user runtime's collector. It allocates many
// times its heap over its life and prints what it computed, then exits 0.
import { heapBytesTotal } from "../../lang/core.ts";
import { heap } from "../lib/heap.ts";
import { exit } from "../lib/sys.ts";

class Route {
  constructor(
    public path: string,
    public hits: number,
  ) {}
}

const routes = new Map<string, Route>();
const seen = new Set<number>();
let bytes = 0;
for (let i = 0; i < 20000; i++) {
  const line = `GET /svc/${i % 13}/item/${(i * 7919) % 1000} HTTP/1.1`;
  const parts = line.split(" ");
  const path = parts[1]!.split("/").slice(0, 3).join("/");
  let r = routes.get(path) ?? null;
  if (r === null) {
    r = new Route(path, 0);
    routes.set(path, r);
  }
  r.hits++;
  seen.add((i * 31) % 257);
  const scratch: number[] = [];
  for (let k = 0; k < 32; k++) scratch.push(k * i);
  bytes += line.length * 4 + scratch.length * 8;
}
const names: string[] = [];
for (const [p, r] of routes) names.push(`${p}=${r.hits}`);
names.sort((a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0));
console.log(`managed: ${routes.size} routes, ${seen.size} keys, first ${names[0]!}, last ${names[names.length - 1]!}`);
const ok = routes.size === 13 && seen.size === 257 && bytes > 4 * heapBytesTotal();
console.log(`managed: ${ok ? "ok" : "WRONG"}, heap ${heapBytesTotal()} bytes, ${heap.mappedBytes} bytes mapped`);
exit(ok ? 0 : 1);
