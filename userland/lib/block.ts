// The block protocol (docs/services.md, "Block devices"): what a block driver such as
// userland/virtio-blk answers on its endpoint. Sectors are 512 bytes. Data travels in a memory
// object the client creates and sends (copied, CopyCaps) with each Read and Write: the driver
// maps it for the request only, so nothing survives between requests and a restarted driver
// serves the same calls.

export const SECTOR = 512;

export const enum BlockOp {
  /** → words: capacity in sectors, sector size, most sectors per request. */
  Info = 1,
  /** words: LBA, sector count; capability 0: memory object (Write) the sectors land in at offset 0. */
  Read = 2,
  /** words: LBA, sector count; capability 0: memory object (Read) holding the sectors at offset 0. */
  Write = 3,
}

/** The reply's label. */
export const enum BlockStatus {
  Ok = 0,
  /** LBA + count beyond the capacity (nothing was transferred). */
  OutOfRange = 1,
  /** The device reported an error or did not answer. */
  DeviceError = 2,
  /** Unknown label, count 0 or above the maximum, or a missing or too small memory object. */
  BadRequest = 3,
}
