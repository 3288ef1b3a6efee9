/* Host driver for the freestanding heap (toolchain/runtime/keel_heap.c), compiled with it by
 * heap.test.ts. The heap gets its growth regions from a budget this driver sets; keel_panic ends
 * the program with status 3 and the message on stdout, so the test can expect a panic.
 * Usage: heap <scenario> <seed>. Prints "ok <figures>" and exits 0, or a reason and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "keel.h"

/* The runtime's symbols this file stands in for. */
const char *const keel_type_names[] = {"none"};
int64_t keel_type_live[1];
const int64_t keel_type_count = 1;
void keel_panic(const char *msg) {
  printf("panic: %s\n", msg);
  exit(3);
}

static int64_t budget;      /* bytes keel_heap_more may still hand out */
static int64_t regions;     /* regions handed out */
int64_t keel_heap_more(int64_t bytes) {
  if (bytes > budget) return 0;
  void *p = aligned_alloc(4096, (size_t)bytes);
  if (p == NULL) return 0;
  memset(p, 0xcd, (size_t)bytes); /* fresh memory is not zero: the heap must clear it */
  budget -= bytes;
  regions++;
  return (int64_t)(uintptr_t)p;
}

static uint64_t rng;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static int64_t class_bytes(int64_t size) {
  int64_t b = 16;
  while (b < size + 16) b <<= 1;
  return b;
}

#define SLOTS 4096
static struct keel_hdr *blk[SLOTS];
static int64_t len[SLOTS];
static uint32_t tag[SLOTS];

static int fail(const char *what, int64_t a, int64_t b) {
  printf("FAIL %s: %lld %lld\n", what, (long long)a, (long long)b);
  return 1;
}

/* Fills a block's payload with a pattern of its tag, or checks it is still there. */
static void fill(int i) {
  unsigned char *p = (unsigned char *)(blk[i] + 1);
  for (int64_t k = 0; k < len[i]; k++) p[k] = (unsigned char)(tag[i] * 31 + k);
}
static int intact(int i) {
  unsigned char *p = (unsigned char *)(blk[i] + 1);
  if (blk[i]->size != len[i]) return 0;
  for (int64_t k = 0; k < len[i]; k++)
    if (p[k] != (unsigned char)(tag[i] * 31 + k)) return 0;
  return 1;
}
static int zeroed(struct keel_hdr *h, int64_t n) {
  unsigned char *p = (unsigned char *)(h + 1);
  for (int64_t k = 0; k < n; k++)
    if (p[k] != 0) return 0;
  return 1;
}

/* A size skewed towards kernel-object sizes, sometimes large. */
static int64_t some_size(void) {
  uint64_t r = next() % 100;
  if (r < 60) return (int64_t)(next() % 160);
  if (r < 90) return (int64_t)(next() % 2048);
  return (int64_t)(next() % 70000);
}

/* Random allocations and frees in random order; every live block keeps its bytes. */
static int churn(int64_t steps) {
  int64_t expect = keel_heap_bytes_used();
  for (int64_t s = 0; s < steps; s++) {
    int i = (int)(next() % SLOTS);
    if (blk[i] != NULL) {
      if (!intact(i)) return fail("block overwritten", i, s);
      expect -= class_bytes(len[i]);
      keel_heap_free(blk[i]);
      blk[i] = NULL;
    } else {
      len[i] = some_size();
      blk[i] = keel_heap_alloc(len[i]);
      if (blk[i] == NULL) return fail("allocation failed with budget left", len[i], budget);
      if (!zeroed(blk[i], len[i])) return fail("block not zeroed", i, s);
      tag[i] = (uint32_t)next();
      fill(i);
      expect += class_bytes(len[i]);
    }
    if (keel_heap_bytes_used() != expect) return fail("bytes in use", keel_heap_bytes_used(), expect);
  }
  for (int i = 0; i < SLOTS; i++)
    if (blk[i] != NULL) {
      if (!intact(i)) return fail("block overwritten at the end", i, 0);
      keel_heap_free(blk[i]);
      blk[i] = NULL;
    }
  if (keel_heap_bytes_used() != 0) return fail("bytes in use after freeing everything", keel_heap_bytes_used(), 0);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *sc = argv[1];
  rng = strtoull(argv[2], NULL, 10) * 2654435761u + 88172645463325252ull;
  budget = INT64_C(1) << 30;

  if (strcmp(sc, "reuse") == 0) {
    /* One size allocated and freed again and again never needs more memory. */
    int64_t total = keel_heap_bytes_total();
    for (int k = 0; k < 200000; k++) {
      for (int64_t size = 0; size < 600; size += 40) {
        struct keel_hdr *h = keel_heap_alloc(size);
        if (h == NULL) return fail("allocation failed", size, k);
        keel_heap_free(h);
      }
    }
    if (keel_heap_bytes_total() != total || regions != 0) return fail("heap grew", keel_heap_bytes_total(), total);
    if (keel_heap_bytes_used() != 0) return fail("bytes in use", keel_heap_bytes_used(), 0);
    printf("ok total=%lld\n", (long long)total);
    return 0;
  }
  if (strcmp(sc, "churn") == 0) {
    if (churn(400000)) return 1;
    int64_t after_one = keel_heap_bytes_total();
    /* A second run of the same mix reuses what the first left on the free lists. */
    if (churn(400000)) return 1;
    if (keel_heap_bytes_total() > 2 * after_one) return fail("heap keeps growing under a steady mix", keel_heap_bytes_total(), after_one);
    printf("ok total=%lld regions=%lld\n", (long long)keel_heap_bytes_total(), (long long)regions);
    return 0;
  }
  if (strcmp(sc, "exhaust") == 0) {
    /* Allocate until the budget is gone: NULL, never a crash; freeing it all lets the same
     * allocations succeed again; reserve says in advance whether they will. */
    budget = 4 << 20;
    int n = 0;
    for (; n < SLOTS; n++) {
      len[n] = 3000;
      bool room = keel_heap_reserve(class_bytes(len[n]));
      blk[n] = keel_heap_alloc(len[n]);
      if (blk[n] == NULL) {
        if (room) return fail("reserve promised room that was not there", n, budget);
        break;
      }
      tag[n] = (uint32_t)n;
      fill(n);
    }
    if (n == SLOTS) return fail("the budget never ran out", n, budget);
    if (keel_heap_reserve(class_bytes(3000))) return fail("reserve promised room after exhaustion", n, budget);
    for (int i = 0; i < n; i++) {
      if (!intact(i)) return fail("block overwritten", i, n);
      keel_heap_free(blk[i]);
      blk[i] = NULL;
    }
    for (int i = 0; i < n; i++) {
      blk[i] = keel_heap_alloc(3000);
      if (blk[i] == NULL) return fail("allocation failed after everything was freed", i, n);
    }
    for (int i = 0; i < n; i++) keel_heap_free(blk[i]);
    if (keel_heap_bytes_used() != 0) return fail("bytes in use", keel_heap_bytes_used(), 0);
    printf("ok blocks=%d\n", n);
    return 0;
  }
  if (strcmp(sc, "reserve") == 0) {
    /* After reserve(n) succeeds, allocations of n bytes in all (class sizes) succeed even with
     * no more memory to be had, whatever their classes. */
    for (int round = 0; round < 2000; round++) {
      budget = (int64_t)(next() % 3) * 65536;
      int64_t want = (int64_t)(next() % 200000);
      if (!keel_heap_reserve(want)) continue;
      budget = 0;
      int64_t spent = 0;
      int k = 0;
      for (;;) {
        int64_t size = some_size();
        if (spent + class_bytes(size) > want || k == SLOTS) break;
        blk[k] = keel_heap_alloc(size);
        if (blk[k] == NULL) return fail("reserved allocation failed", spent, want);
        spent += class_bytes(size);
        k++;
      }
      for (int i = 0; i < k; i++) keel_heap_free(blk[i]);
    }
    if (keel_heap_bytes_used() != 0) return fail("bytes in use", keel_heap_bytes_used(), 0);
    printf("ok regions=%lld\n", (long long)regions);
    return 0;
  }
  if (strcmp(sc, "double-free") == 0) {
    struct keel_hdr *h = keel_heap_alloc(40);
    keel_heap_free(h);
    keel_heap_free(h);
    return fail("second release not caught", 0, 0);
  }
  if (strcmp(sc, "too-large") == 0) {
    if (keel_heap_alloc(INT64_C(1) << 41) != NULL) return fail("absurd size allocated", 0, 0);
    if (keel_heap_alloc(-1) != NULL) return fail("negative size allocated", 0, 0);
    if (keel_heap_reserve(-1)) return fail("negative reserve granted", 0, 0);
    printf("ok\n");
    return 0;
  }
  return 2;
}
