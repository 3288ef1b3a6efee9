// In JavaScript, assigning an inherited static through a subclass gives the subclass its own
// property; keelc has one C variable per static field. Reading through the subclass is fine.
export class Driver {
  static probes = 0;
  static readonly MAX = 4;
}
export class DiskDriver extends Driver {
  static disks = 0;
}
export class NetDriver extends Driver {
  static override probes = 10; // its own field: writes through NetDriver are fine
}
export function probe(): number {
  DiskDriver.disks++;
  NetDriver.probes += 1;
  Driver.probes++;
  DiskDriver.probes = 3; // expect: KEEL0617 "DiskDriver.probes"
  DiskDriver.probes += 2; // expect: KEEL0617 "DiskDriver.probes"
  (DiskDriver.probes)--; // expect: KEEL0617 "DiskDriver.probes"
  return DiskDriver.probes + DiskDriver.MAX + Driver.probes;
}
