// The program's arguments and environment, which the kernel put in the startup block
// (docs/syscalls.md, "The startup block"): ArgCount NUL-terminated arguments, then EnvCount
// NUL-terminated KEY=VALUE entries. A program started from a boot module has one argument, its
// module's name, and no environment; one started with spawn_image has what its creator gave.
import { load8 } from "../../lang/mem.ts";
import { startupWord } from "./runtime.ts";
import { Startup, startupInfo } from "./sys.ts";

/** `count` strings of the startup block from the `first`th on. */
function startupStrings(first: number, count: number): string[] {
  const out: string[] = [];
  const base = startupInfo() + Startup.Strings;
  const end = base + startupWord(Startup.StringsLength);
  let at = base;
  for (let i = 0; i < first + count && at < end; i++) {
    let s = "";
    for (; at < end && load8(at) !== 0; at++) {
      const c = load8(at);
      // Strings are ASCII: any other byte reads as '?'.
      s += String.fromCharCode(c < 0x80 ? c : 0x3f);
    }
    at++;
    if (i >= first) out.push(s);
  }
  return out;
}

/** The arguments: argv[0] is the program's name by convention. */
export function args(): string[] {
  return startupStrings(0, startupWord(Startup.ArgCount));
}

/** The environment's entries, KEY=VALUE each. */
export function environment(): string[] {
  return startupStrings(startupWord(Startup.ArgCount), startupWord(Startup.EnvCount));
}

/** The value of environment variable `name`, "" when it is not set (envHas tells the two apart). */
export function env(name: string): string {
  const i = envIndex(name);
  return i < 0 ? "" : environment()[i]!.substring(name.length + 1);
}

/** Whether environment variable `name` is set (to any value, "" included). */
export function envHas(name: string): boolean {
  return envIndex(name) >= 0;
}

function envIndex(name: string): number {
  const all = environment();
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    if (e.length > name.length && e.charCodeAt(name.length) === 0x3d && e.substring(0, name.length) === name) return i;
  }
  return -1;
}

/** The number an argument spells in decimal (digits only, at most nine), or -1. */
export function decimalArg(s: string): number {
  if (s.length === 0 || s.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}
