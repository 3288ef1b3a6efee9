/* Keel runtime: the explicit heap behind `new` in the kernel (user and hosted programs have the
 * collected heap of keel_gc.c; KEEL_HEAP_STANDALONE compiles this one alone for its tests).
 *
 * Power-of-two size classes from 16 bytes up, each with a free list, so allocation and release
 * are constant-time. Fresh blocks come from a bump pointer over the current region: first a static
 * arena (KEEL_HEAP_SIZE bytes, in .bss), then regions the program hands over through
 * keel_heap_more (the kernel takes them from its frame allocator; a user program has none, the
 * weak default). When a new region replaces the current one, the unused tail of the old one is cut
 * into free blocks, so nothing is lost. Memory never goes back to the program: a freed block
 * waits on its class's list for the next allocation of that class.
 *
 * Every block starts with a 16-byte header (struct keel_hdr): the runtime's type id, the size
 * class and the size asked for. A free block reuses the header's first word as its list link and
 * marks its `size` KEEL_HEAP_FREED, so releasing a block twice is caught.
 *
 * tests/unit/runtime/heap.test.ts compiles this file on its own into a host program and churns it. */
#include "keel.h"

#if defined(KEEL_KERNEL) || defined(KEEL_HEAP_STANDALONE)

#ifndef KEEL_HEAP_SIZE
#define KEEL_HEAP_SIZE (1024 * 1024)
#endif
/* Bytes asked of keel_heap_more at least (more when one block needs more). */
#ifndef KEEL_HEAP_GROWTH
#define KEEL_HEAP_GROWTH (1024 * 1024)
#endif
#define KEEL_CLASSES 40
#define KEEL_HEAP_FREED INT64_C(-1)

static unsigned char keel_heap_arena[KEEL_HEAP_SIZE] __attribute__((aligned(16)));
static unsigned char *keel_bump;
static unsigned char *keel_bump_end;
static void *keel_free_lists[KEEL_CLASSES];
static int64_t keel_heap_used;
static int64_t keel_heap_total;

/* The default when the program provides no more memory: none. */
__attribute__((weak)) int64_t keel_heap_more(int64_t bytes) {
  (void)bytes;
  return 0;
}

static int keel_class_of(int64_t need) {
  int cls = 0;
  while (cls < KEEL_CLASSES && ((int64_t)16 << cls) < need) cls++;
  return cls;
}

static void keel_heap_start(void) {
  if (keel_bump != NULL) return;
  keel_bump = keel_heap_arena;
  keel_bump_end = keel_heap_arena + KEEL_HEAP_SIZE;
  keel_heap_total = KEEL_HEAP_SIZE;
}

/* Cuts what is left of the current region into free blocks, the largest classes first. */
static void keel_heap_retire_tail(void) {
  while (keel_bump_end - keel_bump >= 16) {
    int cls = KEEL_CLASSES - 1;
    while (((int64_t)16 << cls) > keel_bump_end - keel_bump) cls--;
    struct keel_hdr *h = (struct keel_hdr *)keel_bump;
    h->size = KEEL_HEAP_FREED;
    *(void **)h = keel_free_lists[cls];
    keel_free_lists[cls] = h;
    keel_bump += (int64_t)16 << cls;
  }
}

/* Makes the current region hold at least `bytes` more; false when the program has no memory left. */
static bool keel_heap_grow(int64_t bytes) {
  int64_t want = bytes > KEEL_HEAP_GROWTH ? bytes : KEEL_HEAP_GROWTH;
  want = (want + 4095) & ~(int64_t)4095;
  int64_t at = keel_heap_more(want);
  if (at == 0) return false;
  keel_heap_retire_tail();
  keel_bump = (unsigned char *)(uintptr_t)at;
  keel_bump_end = keel_bump + want;
  keel_heap_total += want;
  return true;
}

bool keel_heap_reserve(int64_t bytes) {
  keel_heap_start();
  if (bytes < 0) return false;
  if (keel_bump_end - keel_bump >= bytes) return true;
  return keel_heap_grow(bytes);
}

struct keel_hdr *keel_heap_alloc(int64_t size) {
  keel_heap_start();
  if (size < 0 || size > (INT64_C(1) << 40)) return NULL;
  int64_t need = size + (int64_t)sizeof(struct keel_hdr);
  int cls = keel_class_of(need);
  if (cls >= KEEL_CLASSES) return NULL;
  int64_t bytes = (int64_t)16 << cls;
  struct keel_hdr *h = keel_free_lists[cls];
  if (h != NULL) {
    keel_free_lists[cls] = *(void **)h;
  } else {
    if (keel_bump_end - keel_bump < bytes && !keel_heap_grow(bytes)) return NULL;
    h = (struct keel_hdr *)keel_bump;
    keel_bump += bytes;
  }
  memset(h, 0, (size_t)need);
  h->size_class = cls;
  h->size = size;
  keel_heap_used += bytes;
  return h;
}

void keel_heap_free(struct keel_hdr *h) {
  /* The class is read before the list link overwrites the header's first word. */
  int cls = h->size_class;
  if (h->size == KEEL_HEAP_FREED || cls < 0 || cls >= KEEL_CLASSES) keel_panic("heap: release of a block that is not allocated");
  keel_heap_used -= (int64_t)16 << cls;
  h->size = KEEL_HEAP_FREED;
  *(void **)h = keel_free_lists[cls];
  keel_free_lists[cls] = h;
}

int64_t keel_heap_bytes_used(void) { return keel_heap_used; }
int64_t keel_heap_bytes_total(void) {
  keel_heap_start();
  return keel_heap_total;
}

#else
typedef int keel_heap_only_in_the_kernel;
#endif
