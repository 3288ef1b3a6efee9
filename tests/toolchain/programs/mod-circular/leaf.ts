console.log("leaf top");
export function leafTag(): number {
  return 42;
}
