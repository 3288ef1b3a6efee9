// @checked
// `T | null` links: a singly linked list with insertion, reversal and removal.
class Node {
  next: Node | null = null;
  constructor(public value: number) {}
}
class List {
  head: Node | null = null;
  size = 0;
  pushFront(v: number): void {
    const n = new Node(v);
    n.next = this.head;
    this.head = n;
    this.size++;
  }
  reverse(): void {
    let prev: Node | null = null;
    let cur = this.head;
    while (cur !== null) {
      const next: Node | null = cur.next;
      cur.next = prev;
      prev = cur;
      cur = next;
    }
    this.head = prev;
  }
  remove(v: number): boolean {
    let prev: Node | null = null;
    let cur = this.head;
    while (cur !== null) {
      if (cur.value === v) {
        if (prev === null) this.head = cur.next;
        else prev.next = cur.next;
        this.size--;
        return true;
      }
      prev = cur;
      cur = cur.next;
    }
    return false;
  }
  print(): void {
    let cur = this.head;
    let sum = 0;
    while (cur !== null) {
      console.log(cur.value);
      sum += cur.value;
      cur = cur.next;
    }
    console.log("size", this.size, "sum", sum);
  }
}
const l = new List();
for (let i = 1; i <= 5; i++) l.pushFront(i * 10);
l.print();
l.reverse();
l.print();
console.log(l.remove(30), l.remove(99), l.remove(10), l.remove(50));
l.print();
console.log(l.head === null, l.head!.next === null);

export {};
