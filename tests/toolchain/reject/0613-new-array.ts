// An unfilled array holds undefined.
export const slots = new Array<number>(8); // expect: KEEL0613 "new Array"
export const list = new Array<number>(1, 2).fill(0); // expect: KEEL0613 "new Array"
export const filled = new Array<number>(8).fill(0);
export const sparse = [1, , 3]; // expect: KEEL0613 "[1"
export class Queue {
  items = []; // expect: KEEL0613 "items"
}
