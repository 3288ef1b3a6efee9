// A three-module cycle entered from the middle, plus same-named locals in different modules.
import { ping } from "./ping.ts";
import { helper } from "./pong.ts";

console.log("main", ping(5), helper());
