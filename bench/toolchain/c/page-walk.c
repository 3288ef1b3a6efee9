/* Hand-written C for bench/toolchain/programs/page-walk.ts. */
#include <stdint.h>
#include <stdio.h>

#define FRAMES 2048
#define ENTRIES 512
#define PAGES 4096
#define LOOKUPS 12000000
#define PRESENT 1ull
#define WRITABLE 2ull
#define ADDR 0x000ffffffffff000ull

static uint64_t ram[FRAMES * ENTRIES];
static int64_t next_frame = 1;
static const int64_t shifts[4] = {549755813888LL, 1073741824LL, 2097152LL, 4096LL};

static int64_t alloc_frame(void) { return next_frame++ * 4096; }
static inline int64_t idx(int64_t va, int64_t shift) { return (va / shift) % 512; }

static void map(int64_t va, int64_t pa, int64_t root) {
  int64_t table = root;
  for (int level = 0; level < 3; level++) {
    int64_t slot = table / 4096 * ENTRIES + idx(va, shifts[level]);
    uint64_t e = ram[slot];
    if ((e & PRESENT) == 0) {
      e = (uint64_t)alloc_frame() | PRESENT | WRITABLE;
      ram[slot] = e;
    }
    table = (int64_t)(e & ADDR);
  }
  ram[table / 4096 * ENTRIES + idx(va, 4096)] = (uint64_t)pa | PRESENT;
}
static int64_t translate(int64_t va, int64_t root) {
  int64_t table = root;
  for (int level = 0; level < 4; level++) {
    uint64_t e = ram[table / 4096 * ENTRIES + idx(va, shifts[level])];
    if ((e & PRESENT) == 0) return -1;
    table = (int64_t)(e & ADDR);
  }
  return table + va % 4096;
}
static int64_t page_va(int64_t i) { return 0x10000000000LL + i / 64 * 1073741824LL + i % 64 * 4096; }

int main(void) {
  int64_t root = alloc_frame();
  for (int64_t i = 0; i < PAGES; i++) map(page_va(i), 0x100000000LL + i * 4096, root);
  int32_t x = 1;
  int64_t sum = 0, misses = 0;
  for (int n = 0; n < LOOKUPS; n++) {
    x = (int32_t)((uint32_t)x * 1103515245u + 12345u) & 0x7fffffff;
    int64_t va = page_va(x % (PAGES + 64)) + (x & 0xfff);
    int64_t pa = translate(va, root);
    if (pa < 0) misses++;
    else sum = (sum + pa) % 1000000007;
  }
  printf("%lld %lld %lld\n", (long long)next_frame, (long long)sum, (long long)misses);
  return 0;
}
