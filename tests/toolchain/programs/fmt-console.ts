// console.log formatting of numbers, negatives, bigint, booleans, strings, null, many arguments.
console.log(0, -1, 42, -9007199254740991, 9007199254740991);
console.log(1n, 0n, 18446744073709551615n);
console.log(true, false);
console.log("plain string", "with  spaces", "");
console.log("a", 1, "b", 2n, false, -3);
console.log();
console.log("tab\tand \"quotes\" and \\ backslash");
console.log(1000000, 123456789012, -0x10, 0o17, 0b1011, 1_000_000);

export {};
