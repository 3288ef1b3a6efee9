// What fbcon-test writes, shared with tests/system/fbcon.test.ts, which draws the same on the host
// and compares the screen QEMU shows pixel for pixel.

const ESC = String.fromCharCode(27);

/** Lines enough to scroll the first screen (42 rows of the 10x18 font at 1024x768). */
export const SCROLL_LINES = 45;

/** The first screen: cleared, then colours, controls and enough lines to scroll. */
export function firstText(): string {
  let s = `${ESC}[2J${ESC}[HKeel fbcon test: screen 1\n`;
  s += `${ESC}[1;33mbold yellow${ESC}[0m ${ESC}[31;44mred on blue${ESC}[0m ${ESC}[92mbright green${ESC}[39m default\n`;
  s += "tab:\tX\tY\n";
  s += "back:12345\b\bZ\n";
  s += "over written\rOVER\n";
  for (let i = 1; i <= SCROLL_LINES; i++) s += `line ${i} of ${SCROLL_LINES}\n`;
  s += `${ESC}[7minverse${ESC}[27m end`;
  return s;
}

/** Written after fbcon was killed and started again (below the new fbcon's banner). */
export function secondText(): string {
  return `after the restart: ${ESC}[1;36mstill drawing${ESC}[0m\n> `;
}
