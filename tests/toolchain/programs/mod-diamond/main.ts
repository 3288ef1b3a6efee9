// Diamond: left and right both import base; base is evaluated once, first.
import { leftValue } from "./left.ts";
import { rightValue } from "./right.ts";
import { base, Registry } from "./base.ts";

console.log("main", leftValue(), rightValue(), base());
console.log(Registry.count);
