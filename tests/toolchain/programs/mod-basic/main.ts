// Named imports of functions, constants, classes and enums from other modules.
import { Vec, dot, ORIGIN_X, Axis } from "./geometry.ts";
import { counter, bump } from "./state.ts";

const a = new Vec(1, 2);
const b = new Vec(3, -4);
console.log(dot(a, b), ORIGIN_X, Axis.Y);
console.log(bump(), bump(), counter());
const c = a.plus(b);
console.log(c.x, c.y);
