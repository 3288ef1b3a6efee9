/** Executes hlt (privileged.S). */
/** @extern keel_user_hlt */
export function halt(): void {
  throw new Error("hlt is privileged");
}
