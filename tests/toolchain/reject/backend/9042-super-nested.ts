// super(...) inside an if in a derived constructor.
class Device {
  irq = 0;
}
class Disk extends Device {
  constructor(primary: boolean) { // expect: KEEL9042 "constructor(primary"
    if (primary) {
      super();
    } else {
      super();
    }
  }
}
console.log(new Disk(true).irq);
