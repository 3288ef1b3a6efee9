// Float and signed 64-bit typed arrays have no Keel meaning.
export const samples = new Float64Array(8); // expect: KEEL0110 "Float64Array"
export let words: BigInt64Array | null = null; // expect: KEEL0110 "BigInt64Array"
