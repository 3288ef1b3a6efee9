// `in` looks a property up at run time.
export class Task {
  id = 1;
}
export function hasId(t: Task): boolean {
  return "id" in t; // expect: KEEL0302 "in t"
}
