// exit42: ends with status 42, which its parent must see.
import { exit } from "../lib/sys.ts";

console.log("exit42: exiting with status 42");
exit(42);
