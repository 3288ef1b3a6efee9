// A small driver with several different mistakes: all are reported, in source order.
import { outb } from "../../../kernel/arch/x86_64/cpu.ts";

export class Uart {
  base = 0x3f8;
  pending?: number; // expect: KEEL0601 "pending"
  buffer: number[] = [];

  write(s: string): void {
    for (let i = 0; i < s.length; i++) {
      this.buffer.push(s.charCodeAt(i)); // expect: KEEL0706 "push"
    }
    if (this.buffer.length == 0) return; // expect: KEEL0301 "=="
    const half = this.buffer.length / 2; // expect: KEEL0203 "/"
    for (const b of this.buffer) outb(this.base, b + half);
  }
}

export function drain(u: Uart): void {
  try { // expect: KEEL0401 "try"
    u.write("x");
  } catch (e) {
    console.log("failed" + u.base); // expect: KEEL0708 "+"
  }
}
