// nop: the smallest process, started and reaped by the benchmark.
import { exit } from "../../../userland/lib/sys.ts";

exit(0);
