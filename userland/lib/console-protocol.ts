// The console protocol's operations and message layout (docs/userland.md, "Console"), in a module
// that imports nothing of the user library: sys.ts writes console.log output through it for a
// program started with KEEL_CONSOLE set, and console.ts (which imports sys.ts) builds on it.
import { UMsg } from "../../abi/message.ts";

export const enum ConsoleOp {
  /** Bytes typed (drivers only: badges CONSOLE_BADGE_KEYBOARD and CONSOLE_BADGE_SERIAL); a plain send. */
  Input = 1,
  /** Bytes to show on every console output; answered with the count. */
  Write = 2,
  /**
   * Up to word 0 bytes of input; answered when there are some (a line, in line mode), 0 bytes at
   * end of input. Word 1: ConsoleReadFlag bits.
   */
  Read = 3,
  /** Word 0: ConsoleMode. */
  SetMode = 4,
}

/** Bytes a message carries: words 1 to 5. */
export const CONSOLE_CHUNK = 40;
/** Where a message's bytes start: word 0 is their count. */
export const CONSOLE_BYTES_OFFSET = (UMsg.Words + 1) * 8;
/**
 * The environment variable naming, in decimal, the handle of a console endpoint the program holds:
 * its console.log output then goes to the console service instead of the kernel's console.
 */
export const CONSOLE_ENV = "KEEL_CONSOLE";
