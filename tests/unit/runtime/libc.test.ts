// The freestanding memcpy, memmove and memset of keelc's C runtime (toolchain/runtime/keel_rt.c),
// which the kernel and every user program use, against the host's libc: every length up to 80
// bytes, every alignment of source and destination, and overlaps in both directions. The runtime's
// own text is compiled (under other names) with the kernel's optimisation level, so the test
// follows the code as it is.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const RUNTIME = path.resolve("toolchain/runtime/keel_rt.c");

/** The freestanding libc part of the runtime: from its `#ifndef KEEL_HOSTED` to memcmp. */
function libcPart(): string {
  const src = fs.readFileSync(RUNTIME, "utf8");
  const start = src.indexOf("#ifndef KEEL_HOSTED\ntypedef");
  const end = src.indexOf("int memcmp(");
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return src.slice(start, end) + "#endif\n";
}

const HARNESS = `
#include <stdio.h>
#include <string.h>
static unsigned char a[256], b[256], ref[256];
static void fill(unsigned char *p, int seed) { for (int i = 0; i < 256; i++) p[i] = (unsigned char)(i * 37 + seed * 11 + 1); }
int main(void) {
  int checks = 0;
  for (int n = 0; n <= 80; n++)
    for (int so = 0; so < 8; so++)
      for (int d0 = 0; d0 < 8; d0++) {
        fill(a, n); fill(b, so); memcpy(ref, b, 256); memcpy(ref + 64 + d0, a + 16 + so, (size_t)n);
        if (keel_memcpy(b + 64 + d0, a + 16 + so, (size_t)n) != b + 64 + d0 || memcmp(b, ref, 256)) { printf("memcpy n=%d so=%d do=%d\\n", n, so, d0); return 1; }
        fill(b, d0); memcpy(ref, b, 256); memset(ref + 32 + d0, 0xa0 + so, (size_t)n);
        if (keel_memset(b + 32 + d0, 0xa0 + so, (size_t)n) != b + 32 + d0 || memcmp(b, ref, 256)) { printf("memset n=%d c=%d do=%d\\n", n, so, d0); return 1; }
        for (int shift = -12; shift <= 12; shift++) {
          fill(b, shift + 20); memcpy(ref, b, 256);
          unsigned char *s = b + 100 + so, *d = b + 100 + so + shift;
          memmove(ref + 100 + so + shift, ref + 100 + so, (size_t)n);
          if (keel_memmove(d, s, (size_t)n) != d || memcmp(b, ref, 256)) { printf("memmove n=%d so=%d shift=%d\\n", n, so, shift); return 1; }
          checks++;
        }
        checks += 2;
      }
  printf("ok %d\\n", checks);
  return 0;
}
`;

describe("freestanding memcpy, memmove, memset", () => {
  it("match libc on every length, alignment and overlap", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keel-libc-"));
    try {
      const c = path.join(dir, "libc.c");
      const prefix = "#include <stddef.h>\n#include <stdint.h>\n#define memcpy keel_memcpy\n#define memmove keel_memmove\n#define memset keel_memset\n";
      const suffix = "#undef memcpy\n#undef memmove\n#undef memset\n";
      fs.writeFileSync(c, prefix + libcPart() + suffix + HARNESS);
      const exe = path.join(dir, "libc");
      execFileSync("gcc", ["-std=gnu11", "-O2", "-fno-builtin", "-Wall", "-Werror", "-o", exe, c]);
      const out = execFileSync(exe, { encoding: "utf8" });
      expect(out.trim()).toBe(`ok ${81 * 8 * 8 * 27}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
