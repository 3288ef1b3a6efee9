// Structs are laid out at module level.
export function make(): number {
  class Local { // expect: KEEL0608 "class Local"
    v = 1;
  }
  return new Local().v;
}
export const Anon = class { // expect: KEEL0608 "class {"
  w = 2;
};
