// The sector pattern blk-test writes and looks for; tests/system/virtio-blk.test.ts computes the
// same bytes to check the disk image on the host.

/** Where the pattern goes: sectors TEST_LBA .. TEST_LBA + TEST_SECTORS - 1. */
export const TEST_LBA = 100;
export const TEST_SECTORS = 3;

/** Byte `i` of sector `lba`: the marker "KEELBLK" and the sector's number, then a sequence. */
export function patternByte(lba: number, i: number): number {
  const marker = "KEELBLK";
  if (i < marker.length) return marker.charCodeAt(i);
  if (i === 7) return lba & 0xff;
  return ((i * 7) ^ lba) & 0xff;
}
