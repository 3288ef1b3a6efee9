/** Executes ud2 (ud2.S). */
/** @extern keel_user_ud2 */
export function invalidOpcode(): void {
  throw new Error("invalid opcode");
}
