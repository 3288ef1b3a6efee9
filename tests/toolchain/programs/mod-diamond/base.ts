export class Registry {
  static count = 0;
}
console.log("base evaluated");
export function base(): number {
  Registry.count++;
  return 7;
}
