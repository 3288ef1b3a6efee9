// @checked
// Map and Set in a session server: sessions by id and by name, a set of active users, counters
// per route, iteration in insertion order after deletes and re-inserts (user and hosted targets).
class Session {
  constructor(
    public id: number,
    public user: string,
    public hits: number,
  ) {}
}

const byId = new Map<number, Session>();
const byUser: Map<string, Session> = new Map<string, Session>();
const active = new Set<string>();
const routeHits = new Map<string, number>();

function open(id: number, user: string): Session {
  const s = new Session(id, user, 0);
  byId.set(id, s).set(id + 1000, s);
  byUser.set(user, s);
  active.add(user);
  return s;
}

function hit(id: number, route: string): void {
  const s = byId.get(id) ?? null;
  if (s === null) {
    console.log("no session", id);
    return;
  }
  s.hits++;
  routeHits.set(route, (routeHits.has(route) ? routeHits.get(route)! : 0) + 1);
}

const users = ["ann", "bob", "cy", "dee", "eve"];
for (let i = 0; i < users.length; i++) open(i * 10, users[i]!);
for (let i = 0; i < 40; i++) hit((i % 6) * 10, "/r" + (i % 4));
console.log(byId.size, byUser.size, active.size, routeHits.size);
console.log(byId.delete(20), byId.delete(20), byId.has(20), byId.has(1020), active.delete("cy"));
active.add("cy");
active.add("ann");
for (const u of active) console.log("active", u);
for (const [route, n] of routeHits) console.log(route, n);
for (const [id, s] of byId.entries()) if (id < 1000) console.log(id, s.user, s.hits);
let keys = "";
for (const k of routeHits.keys()) keys += k;
let sum = 0;
for (const v of routeHits.values()) sum += v;
console.log(keys, sum, byUser.get("eve")!.id, (byUser.get("zed") ?? null) === null);
const seen = new Set<number>();
for (let i = 0; i < 1000; i++) seen.add((i * i) % 97);
console.log(seen.size, seen.has(4), seen.has(5));
const upperBySession = new Map<Session, string>();
for (const s of byUser.values()) upperBySession.set(s, s.user.toUpperCase());
console.log(upperBySession.get(byUser.get("bob")!)!, upperBySession.size);
byId.clear();
console.log(byId.size, byId.has(0));
for (let i = 0; i < 5000; i++) routeHits.set("k" + i, i);
for (let i = 0; i < 5000; i += 2) routeHits.delete("k" + i);
let firstKeys = "";
for (const [k, v] of routeHits) {
  if (v > 4990) firstKeys += k + "=" + v + " ";
}
console.log(routeHits.size, firstKeys);
