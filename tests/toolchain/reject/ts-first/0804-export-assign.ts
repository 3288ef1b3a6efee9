// CommonJS module syntax; TypeScript rejects it for ES modules (TS1202, TS1203) first.
import fs = require("node:fs"); // expect: TS1202 "import fs" KEEL0804 "import fs"
const size = 4;
export = size; // expect: TS1203 "export =" KEEL0804 "export ="
