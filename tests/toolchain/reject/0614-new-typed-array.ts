// Typed arrays are allocated by length or from an array literal only.
export const ok = new Uint16Array(4);
export const fromLiteral = new Uint8Array([1, 2, 3]);
export const copy = new Uint16Array(ok); // expect: KEEL0614 "new Uint16Array"
export const view = new Uint32Array(ok.buffer); // expect: KEEL0614 "new Uint32Array" KEEL0706 "buffer"
