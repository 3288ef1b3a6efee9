// @target: user
// A string method taken as a value.
const name: string = "keel";
const code = name.charCodeAt; // expect: KEEL9094 "name.charCodeAt"
console.log(code === null);
