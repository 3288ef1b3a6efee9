// The PCI service's configuration-space decoding (userland/pci/config.ts): mechanism #1 address
// words, header fields as QEMU's devices present them, and BAR sizing from the all-ones probe.
import { describe, expect, it } from "vitest";
import {
  BarKind, barBase, barCount, barKind, barSize, bdfBus, bdfDev, bdfFn, bdfPack, classOf, configAddress,
  deviceOf, headerLayout, interruptLine, interruptPin, isMultiFunction, vendorOf,
} from "../../../userland/pci/config.ts";

describe("configuration addresses", () => {
  it("packs bus, device, function and the dword offset with the enable bit", () => {
    expect(configAddress(0, 0, 0, 0)).toBe(0x80000000);
    expect(configAddress(0, 3, 0, 0x10)).toBe(0x80001810);
    expect(configAddress(255, 31, 7, 0xff)).toBe(0x80fffffc);
    expect(configAddress(1, 2, 3, 0x3e)).toBe(0x8001133c);
  });
  it("bus:dev.fn round-trips through one number", () => {
    const b = bdfPack(0x12, 0x1f, 5);
    expect([bdfBus(b), bdfDev(b), bdfFn(b)]).toEqual([0x12, 0x1f, 5]);
    expect(bdfPack(0, 3, 0)).toBe(0x18);
  });
});

describe("header fields", () => {
  it("decodes the 440FX host bridge and a transitional virtio-blk", () => {
    expect(vendorOf(0x12378086)).toBe(0x8086);
    expect(deviceOf(0x12378086)).toBe(0x1237);
    expect(classOf(0x06000002)).toBe(0x060000);
    expect(deviceOf(0x10011af4)).toBe(0x1001);
    expect(classOf(0x01000000)).toBe(0x010000);
  });
  it("reads the layout, the multi-function bit, the interrupt line and pin", () => {
    expect(headerLayout(0x00800000)).toBe(0);
    expect(isMultiFunction(0x00800000)).toBe(true);
    expect(isMultiFunction(0x00000000)).toBe(false);
    expect(headerLayout(0x00010000)).toBe(1);
    expect(barCount(0)).toBe(6);
    expect(barCount(1)).toBe(2);
    expect(barCount(2)).toBe(0);
    expect(interruptLine(0x0000010b)).toBe(11);
    expect(interruptPin(0x0000010b)).toBe(1);
  });
});

describe("BARs", () => {
  it("tells I/O, 32-bit and 64-bit memory BARs apart and takes their bases", () => {
    expect(barKind(0xc041)).toBe(BarKind.Io);
    expect(barBase(0xc041, 0)).toBe(0xc040);
    expect(barKind(0xfebf1000)).toBe(BarKind.Mem32);
    expect(barBase(0xfebf1008, 0)).toBe(0xfebf1000);
    expect(barKind(0xfe00000c)).toBe(BarKind.Mem64);
    expect(barBase(0xfe00000c, 0x1)).toBe(0x1fe000000);
  });
  it("sizes I/O BARs from the probe", () => {
    expect(barSize(BarKind.Io, 0xffffffc1, 0)).toBe(64);
    expect(barSize(BarKind.Io, 0x0000ffe1, 0)).toBe(32);
    expect(barSize(BarKind.Io, 0, 0)).toBe(0);
  });
  it("sizes 32-bit memory BARs from the probe", () => {
    expect(barSize(BarKind.Mem32, 0xfffff000, 0)).toBe(4096);
    expect(barSize(BarKind.Mem32, 0xfe000008, 0)).toBe(32 * 1024 * 1024);
    expect(barSize(BarKind.Mem32, 0x80000000, 0)).toBe(0x80000000);
    expect(barSize(BarKind.Mem32, 0, 0)).toBe(0);
  });
  it("sizes 64-bit memory BARs across both dwords", () => {
    expect(barSize(BarKind.Mem64, 0xffffc00c, 0xffffffff)).toBe(16 * 1024);
    expect(barSize(BarKind.Mem64, 0x0000000c, 0xfffffffe)).toBe(2 * 4294967296);
    expect(barSize(BarKind.Mem64, 0x0000000c, 0)).toBe(0);
  });
});
