// @target: user
// Map.forEach, which keelc does not provide.
const sizes = new Map<string, number>();
sizes.set("a", 1);
sizes.forEach((v: number): void => { // expect: KEEL9107 "sizes.forEach"
  console.log(v);
});
