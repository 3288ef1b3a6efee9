// The user library's side of spawn_image and the startup block's strings: spawnImage
// (userland/lib/spawn.ts) lays out the parameter block and the strings as docs/syscalls.md says,
// and args.ts reads back, from a startup block holding those strings, the arguments and the
// environment given.
import { beforeEach, describe, expect, it } from "vitest";
import { attachMemory, detachAllMemory, readBytes, writeBytes } from "../../../lang/host/memory.ts";
import { load64, store64 } from "../../../lang/mem.ts";
import { hostKernel } from "../../../userland/lib/host/kernel.ts";
import { HEAP_BASE } from "../../../userland/lib/heap.ts";
import { args, decimalArg, env, envHas, environment } from "../../../userland/lib/args.ts";
import { spawnImage } from "../../../userland/lib/spawn.ts";
import { ErrorCode, Sys } from "../../../userland/lib/sys.ts";
import { SPAWN_FLAGS_UNIT, SpawnFlag, SpawnImage, Startup, STARTUP_BLOCK_BYTES } from "../../../abi/process.ts";

const SPAN = 0x400000;
const STARTUP = 0x7fff0000;
let spawned: Array<Record<string, number | string | number[]>>;

const word = (at: number) => Number(load64(at));
const text = (at: number, len: number) => new TextDecoder().decode(readBytes(at, len));

/** The startup block the kernel would write for a spawn_image with these strings. */
function startupBlock(argc: number, strings: Uint8Array): void {
  writeBytes(STARTUP, new Uint8Array(STARTUP_BLOCK_BYTES));
  const nuls = strings.filter((b) => b === 0).length;
  store64(STARTUP + Startup.ArgCount, BigInt(argc));
  store64(STARTUP + Startup.EnvCount, BigInt(nuls - argc));
  store64(STARTUP + Startup.StringsLength, BigInt(strings.length));
  writeBytes(STARTUP + Startup.Strings, strings);
}

beforeEach(() => {
  detachAllMemory();
  attachMemory(HEAP_BASE, SPAN);
  attachMemory(STARTUP, STARTUP_BLOCK_BYTES);
  hostKernel.startupInfo = STARTUP;
  spawned = [];
  hostKernel.syscall = (n, a0, a1) => {
    if (n === Sys.Map) {
      writeBytes(a0, new Uint8Array(a1));
      return 0;
    }
    if (n !== Sys.SpawnImage) return -ErrorCode.UnknownSyscall;
    const b = a0;
    expect(b % 8).toBe(0);
    const count = word(b + SpawnImage.Count);
    const n0 = count % SPAWN_FLAGS_UNIT;
    const handles = Array.from({ length: n0 }, (_, i) => word(word(b + SpawnImage.Handles) + i * 8));
    const strings = readBytes(word(b + SpawnImage.Strings), word(b + SpawnImage.StringsLength)).slice();
    spawned.push({
      memory: word(b + SpawnImage.Memory), length: word(b + SpawnImage.Length),
      name: text(word(b + SpawnImage.Name), word(b + SpawnImage.NameLength)), argc: word(b + SpawnImage.ArgCount),
      strings: new TextDecoder().decode(strings), handles, flags: Math.floor(count / SPAWN_FLAGS_UNIT),
      quota: word(b + SpawnImage.Quota), exitNotify: word(b + SpawnImage.ExitNotify), procOut: word(b + SpawnImage.ProcessOut),
    });
    startupBlock(word(b + SpawnImage.ArgCount), strings);
    return 7;
  };
});

describe("spawnImage and args", () => {
  it("lays out the block and the strings, which args() and env() read back", () => {
    const argv = ["cat", "-n", "", "a file"];
    const envList = ["HOME=/", "PATH=/bin:/disk/bin", "EMPTY=", "X=a=b"];
    expect(spawnImage(4100, 12345, "cat", argv, envList, [4096, 4097], SpawnFlag.Move, 65536, 4098, 0x10000000)).toBe(7);
    expect(spawned).toEqual([{
      memory: 4100, length: 12345, name: "cat", argc: 4, strings: "cat\0-n\0\0a file\0HOME=/\0PATH=/bin:/disk/bin\0EMPTY=\0X=a=b\0",
      handles: [4096, 4097], flags: SpawnFlag.Move, quota: 65536, exitNotify: 4098, procOut: 0x10000000,
    }]);
    expect(args()).toEqual(argv);
    expect(environment()).toEqual(envList);
    expect(env("HOME")).toBe("/");
    expect(env("PATH")).toBe("/bin:/disk/bin");
    expect(env("X")).toBe("a=b");
    expect([env("EMPTY"), envHas("EMPTY")]).toEqual(["", true]);
    expect([env("HOM"), envHas("HOM"), env("HOME="), envHas("NOPE")]).toEqual(["", false, "", false]);
  });

  it("a boot module's block: argv is its name, no environment", () => {
    startupBlock(1, new TextEncoder().encode("hello\0"));
    expect(args()).toEqual(["hello"]);
    expect(environment()).toEqual([]);
    expect(envHas("HOME")).toBe(false);
  });

  it("no arguments and no environment", () => {
    expect(spawnImage(4100, 100, "x", [], [], [], 0, 4096, 0, 0)).toBe(7);
    expect(spawned[0]!.strings).toBe("");
    expect(args()).toEqual([]);
    expect(environment()).toEqual([]);
  });

  it("refuses strings holding a NUL and an empty name without calling the kernel", () => {
    expect(spawnImage(4100, 100, "x", ["a\0b"], [], [], 0, 4096, 0, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(spawnImage(4100, 100, "x", ["a"], ["K=\0"], [], 0, 4096, 0, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(spawnImage(4100, 100, "", ["a"], [], [], 0, 4096, 0, 0)).toBe(-ErrorCode.InvalidArgument);
    expect(spawned).toEqual([]);
  });
});

describe("decimalArg", () => {
  it("reads digits only, at most nine of them, and -1 for anything else", () => {
    expect([decimalArg("0"), decimalArg("42"), decimalArg("999999999")]).toEqual([0, 42, 999999999]);
    expect([decimalArg(""), decimalArg("1000000000"), decimalArg("-1"), decimalArg("1a"), decimalArg(" 1")]).toEqual([-1, -1, -1, -1, -1]);
  });
});
