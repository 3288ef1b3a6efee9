// Where the shell's commands write: the console, or the bytes kept for a redirection (`> file`).
import { ConsoleClient, consoleWrite, consoleWriteBytes } from "../lib/console.ts";

export class Output {
  con: ConsoleClient;
  /** While a redirected command runs, its output is kept here instead. */
  capture = false;
  bytes: number[] = [];

  constructor(con: ConsoleClient) {
    this.con = con;
  }
}

export function outBytes(o: Output, b: number[]): void {
  if (!o.capture) {
    consoleWriteBytes(o.con, b);
    return;
  }
  for (const x of b) o.bytes.push(x);
}

export function outText(o: Output, s: string): void {
  if (!o.capture) {
    consoleWrite(o.con, s);
    return;
  }
  for (let i = 0; i < s.length; i++) o.bytes.push(s.charCodeAt(i) & 0xff);
}

export function sayLine(o: Output, s: string): void {
  outText(o, `${s}\n`);
}
