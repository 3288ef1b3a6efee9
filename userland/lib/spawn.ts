// Starting a program from an ELF image in a memory object: spawn_image (docs/syscalls.md,
// "Starting programs from memory"), with the arguments and environment as string arrays.
import { store64, store8 } from "../../lang/mem.ts";
import { ErrorCode } from "../../abi/errors.ts";
import { SPAWN_FLAGS_UNIT, SPAWN_IMAGE_BLOCK_BYTES, SpawnImage } from "../../abi/process.ts";
import { free, malloc } from "./heap.ts";
import { Sys, syscall } from "./sys.ts";

/** The bytes `s` takes in the block: its characters and, with `nul`, a NUL. */
function putString(at: number, s: string, nul: boolean): number {
  for (let i = 0; i < s.length; i++) store8(at + i, s.charCodeAt(i) & 0xff);
  if (nul) store8(at + s.length, 0);
  return s.length + (nul ? 1 : 0);
}

function hasNul(list: string[]): boolean {
  for (const s of list) for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0) return true;
  return false;
}

/**
 * Starts the program whose ELF image is the first `length` bytes of memory object `mem` (Read
 * suffices), named `name`, with arguments `argv` and environment `env` (KEY=VALUE entries) and
 * copies of `handles` (moved with SpawnFlag.Move in `flags`) at 4096, 4097, ...; its kernel memory
 * is `quota` bytes of the caller's. `exitNotify` (0: none) is signalled when it ends; unless
 * `procOut` is 0, the handle of a Process capability naming it is stored in the word there.
 * Returns its pid or -error (InvalidArgument for a string holding a NUL, or for spawn_image's
 * reasons; NoMemory when the parameter block cannot be allocated).
 */
export function spawnImage(
  mem: number, length: number, name: string, argv: string[], env: string[], handles: number[], flags: number, quota: number,
  exitNotify: number, procOut: number,
): number {
  if (hasNul(argv) || hasNul(env) || name.length === 0) return -ErrorCode.InvalidArgument;
  let stringBytes = 0;
  for (const s of argv) stringBytes += s.length + 1;
  for (const s of env) stringBytes += s.length + 1;
  const handlesAt = SPAWN_IMAGE_BLOCK_BYTES;
  const nameAt = handlesAt + handles.length * 8;
  const stringsAt = nameAt + name.length;
  const block = malloc(stringsAt + stringBytes);
  if (block === 0) return -ErrorCode.NoMemory;
  for (let i = 0; i < handles.length; i++) store64(block + handlesAt + i * 8, BigInt(handles[i]!));
  putString(block + nameAt, name, false);
  let at = block + stringsAt;
  for (const s of argv) at += putString(at, s, true);
  for (const s of env) at += putString(at, s, true);
  const words = [
    mem, length, block + nameAt, name.length, argv.length, block + stringsAt, stringBytes, block + handlesAt,
    handles.length + flags * SPAWN_FLAGS_UNIT, quota, exitNotify, procOut,
  ];
  const offsets = [
    SpawnImage.Memory, SpawnImage.Length, SpawnImage.Name, SpawnImage.NameLength, SpawnImage.ArgCount, SpawnImage.Strings,
    SpawnImage.StringsLength, SpawnImage.Handles, SpawnImage.Count, SpawnImage.Quota, SpawnImage.ExitNotify,
    SpawnImage.ProcessOut,
  ];
  for (let i = 0; i < words.length; i++) store64(block + offsets[i]!, BigInt(words[i]!));
  const r = syscall(Sys.SpawnImage, block, 0, 0, 0, 0, 0);
  free(block);
  return r;
}
