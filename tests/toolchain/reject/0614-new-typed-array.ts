// Typed arrays are allocated by length only.
export const table = new Uint8Array([1, 2, 3]); // expect: KEEL0614 "new Uint8Array"
export const ok = new Uint16Array(4);
export const view = new Uint32Array(ok.buffer); // expect: KEEL0614 "new Uint32Array" KEEL0706 "buffer"
