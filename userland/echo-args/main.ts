// echo-args: prints its arguments and one environment variable, then exits with its argument
// count. args-test starts it from a memory object with spawn_image (tests/system/args.test.ts).
import { args, env, envHas, environment } from "../lib/args.ts";
import { exit } from "../lib/sys.ts";

const argv = args();
console.log(`echo-args: argc=${argv.length} envc=${environment().length}`);
for (let i = 0; i < argv.length; i++) console.log(`echo-args: argv[${i}]=[${argv[i]!}]`);
console.log(envHas("GREETING") ? `echo-args: GREETING=[${env("GREETING")}]` : "echo-args: GREETING unset");
exit(argv.length);
