// Circular imports: a.ts imports b.ts which imports a.ts. Node evaluates b before a (b's import of
// a is already in progress), then a, then main; top-level logs must appear in that order.
import { aValue, fromA } from "./a.ts";
import { fromB } from "./b.ts";
import { leafTag } from "./leaf.ts";

console.log("main start");
console.log(aValue(), fromA(3), fromB(4), leafTag());
console.log("main end");
