// Names that clash with what keelc generates in C: methods `init`, `new` and `vt` (the constructor
// pair and the vtable), a function `module_init`, a class and a function named like a class's
// generated members, same-named classes in two modules (in arrays and generic instances), C and
// libc names (main, exit, printf), runtime names (keel_*), and locals and fields that differ only
// in underscores or that C reserves.
import { Node as ListNode, Box as ListBox, module_init as listInit, total } from "./list.ts";

class Node {
  constructor(public value: number) {}
  init(): number {
    return this.value + 1;
  }
  new(): Node {
    return new Node(this.value * 2);
  }
  vt(): number {
    return -this.value;
  }
  static new(v: number): Node {
    return new Node(v + 100);
  }
}

// keelc named Node's constructor pair Node__init / Node__new.
class Node__init {
  keel_vt = 3;
  keel_base = 4;
}
function Node__new(n: number): number {
  return n * 3;
}
function module_init(): number {
  return 42;
}

class Box<T> {
  constructor(public item: T) {}
  get(): T {
    return this.item;
  }
}

abstract class Shape {
  int = 1;
  int_ = 2;
  a__b = 3;
  a_b = 4;
  abstract a__c(): number;
  abstract a_c(): number;
  keel_self(): number {
    return this.a__c() * 10 + this.a_c();
  }
}
class Square extends Shape {
  constructor(public _side: number, public __side: number) {
    super();
  }
  override a__c(): number {
    return this._side;
  }
  override a_c(): number {
    return this.__side;
  }
}

function main(exit: number): number {
  const keel_main = exit + 1;
  const int = keel_main * 2;
  const int_ = int + 1;
  const _x = 5;
  const __x = 6;
  const a__b = 7;
  const a_b = 8;
  const self = 9;
  const keel_t0 = 10;
  const keel_file = 11;
  const NULL = 12;
  const INT64_MAX = 13;
  const size_t = 14;
  const uint8_t = 15;
  return int + int_ + _x + __x + a__b + a_b + self + keel_t0 + keel_file + NULL + INT64_MAX + size_t + uint8_t;
}

function exit(code: number): number {
  return code;
}
function printf(n: number): number {
  return n + 1;
}
function keel_panic(msg: string): number {
  return msg.length;
}

/** @export counter_hook */
export function counterHook(n: number): number {
  return n + 1000;
}
function callsHook(): number {
  const counter_hook = 1;
  return counterHook(counter_hook);
}

const nodes: Node[] = [new Node(1), Node.new(2)];
const lists: ListNode[] = [new ListNode("a", null), new ListNode("b", null)];
lists[1]!.next = lists[0]!;
const boxes: Box<Node>[] = [new Box(nodes[0]!)];
const listBoxes: ListBox<ListNode>[] = [new ListBox(lists[1]!)];
const pick = (n: Node): number => n.value;

console.log(nodes[0]!.init(), nodes[1]!.new().value, nodes[0]!.vt(), new Node__init().keel_vt, Node__new(4));
console.log(module_init(), listInit(), main(1), exit(3), printf(4), keel_panic("four"));
console.log(callsHook(), boxes[0]!.get().value, pick(boxes[0]!.get()));
console.log(listBoxes[0]!.get().name, listBoxes[0]!.get().next!.name, total(lists), new ListBox(7).get());
const sq = new Square(5, 6);
console.log(sq.int, sq.int_, sq.a__b, sq.a_b, sq.keel_self(), new Node__init().keel_base);
int: for (let int = 0; int < 3; int++) {
  for (let keel_brk_int_0 = 0; keel_brk_int_0 < 3; keel_brk_int_0++) {
    if (keel_brk_int_0 === 1) continue int;
    console.log(int, keel_brk_int_0);
  }
}
