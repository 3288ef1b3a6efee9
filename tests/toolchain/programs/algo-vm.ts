// A tiny stack-machine interpreter: bytecode in a Uint8Array, a 32-bit value stack.
const enum Op {
  Push = 1,
  Add,
  Sub,
  Mul,
  Dup,
  Swap,
  Jnz,
  Dec,
  Print,
  Halt,
  Over,
  Drop,
}
class Vm {
  stack = new Int32Array(64);
  sp = 0;
  steps = 0;
  push(v: number): void {
    this.stack[this.sp++] = v;
  }
  pop(): number {
    return this.stack[--this.sp]!;
  }
  run(code: Uint8Array): void {
    let pc = 0;
    for (;;) {
      this.steps++;
      const op = code[pc++]!;
      switch (op) {
        case Op.Push:
          this.push(code[pc]! | (code[pc + 1]! << 8));
          pc += 2;
          break;
        case Op.Add: {
          const b = this.pop();
          this.push((this.pop() + b) | 0);
          break;
        }
        case Op.Sub: {
          const b = this.pop();
          this.push((this.pop() - b) | 0);
          break;
        }
        case Op.Mul: {
          const b = this.pop();
          this.push(Math.imul(this.pop(), b));
          break;
        }
        case Op.Dup: {
          const v = this.pop();
          this.push(v);
          this.push(v);
          break;
        }
        case Op.Swap: {
          const b = this.pop();
          const a = this.pop();
          this.push(b);
          this.push(a);
          break;
        }
        case Op.Over:
          this.push(this.stack[this.sp - 2]!);
          break;
        case Op.Drop:
          this.sp--;
          break;
        case Op.Jnz: {
          const target = code[pc]!;
          pc++;
          if (this.pop() !== 0) pc = target;
          break;
        }
        case Op.Dec:
          this.push(this.pop() - 1);
          break;
        case Op.Print:
          console.log("vm:", this.stack[this.sp - 1]!);
          break;
        case Op.Halt:
          return;
        default:
          console.log("bad opcode", op);
          return;
      }
    }
  }
}
// Factorial of 12 with a loop: acc n -> acc*n n-1 until n = 0, then 3^20 wrapping in int32.
const source = [
  Op.Push, 1, 0, Op.Push, 12, 0,
  Op.Swap, Op.Over, Op.Mul, Op.Swap, Op.Dec, Op.Dup, Op.Jnz, 6,
  Op.Drop, Op.Print, Op.Drop,
  Op.Push, 1, 0, Op.Push, 40, 0,
  Op.Swap, Op.Push, 3, 0, Op.Mul, Op.Print, Op.Swap, Op.Dec, Op.Dup, Op.Jnz, 23,
  Op.Drop, Op.Print, Op.Halt,
];
const prog = new Uint8Array(source.length);
for (let i = 0; i < source.length; i++) prog[i] = source[i]!;
const vm = new Vm();
vm.run(prog);
console.log(vm.steps, vm.sp);

export {};
