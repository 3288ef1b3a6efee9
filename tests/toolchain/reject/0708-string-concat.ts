// No string heap to concatenate into.
export function greet(name: string): void {
  console.log("hello " + name); // expect: KEEL0708 "+"
  let s = "a";
  s += "b"; // expect: KEEL0708 "+="
  console.log(s);
}
