// Decorators run code on classes at run time.
function sealed(value: typeof Frozen, context: ClassDecoratorContext): void { // expect: KEEL0105 "typeof Frozen" KEEL0703 "ClassDecoratorContext"
  void value;
  void context;
}
@sealed // expect: KEEL0611 "@sealed"
export class Frozen {
  x = 1;
}
