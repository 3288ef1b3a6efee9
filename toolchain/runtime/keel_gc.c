/* Keel runtime: the managed heap of the user and hosted targets, reclaimed by a mark-sweep
 * collector (the kernel keeps the explicit heap of keel_heap.c; see docs/toolchain.md, "Memory").
 *
 * Layout. Memory comes in regions (user: a static arena, then whatever keel_heap_more gives;
 * hosted: malloc'd chunks up to KEEL_HEAP_MAX bytes). A region is cut into 4 KiB pages described
 * by a page table at its start. A page is free, holds small blocks of one power-of-two size class
 * (16 bytes to 2 KiB, header included), or belongs to a large block (a run of whole pages: a head
 * page and continuation pages that name it). So any address inside a region leads to the block
 * that contains it in constant time, which is what conservative root scanning needs.
 *
 * Every block starts with the 16-byte struct keel_hdr. A free small block has type id
 * KEEL_GC_FREE and keeps its free-list link in `size`; bit KEEL_GC_MARK of `size_class` is the
 * mark bit.
 *
 * Roots. Precise: the program's module variables and static fields of reference type (the table
 * keel_gc_roots that keelc emits in keel_main.c). Conservative: every 8-byte word of the C stack
 * between the collector's frame and keel_main's (callee-saved registers are spilled to the stack
 * first), treated as a possible pointer into a block (interior pointers included).
 *
 * Heap objects are traced by type: keel_type_scan[type] (emitted by keelc) is 0 for objects that
 * hold no references (strings, typed arrays, arrays of numbers, classes without reference fields),
 * which are never scanned; the payload of every other object is scanned word by word.
 *
 * When: an allocation that finds no free block collects first; if the heap is still more than
 * half full after the collection it grows (when the program can give memory); only when neither
 * frees nor finds memory does `new` panic with "out of memory".
 *
 * release(obj) still frees at once (the program asserts that nothing refers to the object). */
#if defined(KEEL_HOSTED) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include "keel.h"

#if defined(KEEL_HOSTED) || defined(KEEL_USER)

#ifdef KEEL_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#endif

#define GC_PAGE 4096
#define GC_SMALL_CLASSES 8 /* 16 << 7 = 2048 */
#define GC_MAX_REGIONS 64
#define GC_MARK_STACK 8192
#define KEEL_GC_FREE (-2)
#define KEEL_GC_MARK 0x10000

enum { PG_FREE = 0, PG_SMALL = 1, PG_LARGE = 2, PG_CONT = 3 };

struct gc_page {
  uint8_t kind;
  uint8_t cls;      /* PG_SMALL: size class */
  uint16_t unused;
  uint32_t n;       /* PG_LARGE: pages in the block; PG_CONT: index of the head page */
};

struct gc_region {
  uintptr_t base;   /* first page */
  int64_t npages;
  struct gc_page *pages;
  int64_t hint;     /* where the next search for free pages starts */
};

static struct gc_region gc_regions[GC_MAX_REGIONS];
static int gc_nregions;
static uintptr_t gc_lo = UINTPTR_MAX, gc_hi;
static struct keel_hdr *gc_free[GC_SMALL_CLASSES];
static int64_t gc_used;   /* bytes in allocated blocks */
static int64_t gc_total;  /* bytes in pages of all regions */
static bool gc_started;
static bool gc_in_collect;

/* Statistics (KEEL_STATS=1 prints them at exit in hosted builds). */
int64_t keel_gc_collections;
int64_t keel_gc_freed_bytes;
int64_t keel_gc_pause_max_ns;
int64_t keel_gc_pause_total_ns;

/* The oldest stack frame the collector scans: set by keel_main. */
void *keel_gc_stack_top;

void keel_count_free(int32_t type_id);

#ifdef KEEL_USER
#ifndef KEEL_HEAP_SIZE
#define KEEL_HEAP_SIZE (1024 * 1024)
#endif
#ifndef KEEL_HEAP_GROWTH
#define KEEL_HEAP_GROWTH (1024 * 1024)
#endif
static unsigned char gc_arena[KEEL_HEAP_SIZE] __attribute__((aligned(GC_PAGE)));
/* The default when the program provides no more memory: none. */
__attribute__((weak)) int64_t keel_heap_more(int64_t bytes) {
  (void)bytes;
  return 0;
}
#else
#define KEEL_HEAP_GROWTH (4 * 1024 * 1024)
static int64_t gc_limit;
static int64_t gc_reserved; /* bytes taken from malloc */
static int64_t gc_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
#endif

/* Adds the region [at, at + bytes) to the heap; its page table takes its first pages. */
static void gc_add_region(uintptr_t at, int64_t bytes) {
  if (gc_nregions == GC_MAX_REGIONS) return;
  uintptr_t start = (at + GC_PAGE - 1) & ~(uintptr_t)(GC_PAGE - 1);
  int64_t pages = (int64_t)((at + (uintptr_t)bytes - start) / GC_PAGE);
  int64_t meta = (pages * (int64_t)sizeof(struct gc_page) + GC_PAGE - 1) / GC_PAGE;
  if (pages <= meta) return;
  struct gc_region *r = &gc_regions[gc_nregions++];
  r->pages = (struct gc_page *)start;
  r->base = start + (uintptr_t)meta * GC_PAGE;
  r->npages = pages - meta;
  r->hint = 0;
  memset(r->pages, 0, (size_t)(r->npages * (int64_t)sizeof(struct gc_page)));
  gc_total += r->npages * GC_PAGE;
  if (r->base < gc_lo) gc_lo = r->base;
  if (r->base + (uintptr_t)r->npages * GC_PAGE > gc_hi) gc_hi = r->base + (uintptr_t)r->npages * GC_PAGE;
}

static void gc_start(void) {
  if (gc_started) return;
  gc_started = true;
#ifdef KEEL_USER
  gc_add_region((uintptr_t)gc_arena, KEEL_HEAP_SIZE);
#else
  gc_limit = INT64_C(1) << 32;
  const char *lim = getenv("KEEL_HEAP_MAX");
  if (lim != NULL) {
    char *end;
    long long v = strtoll(lim, &end, 10);
    if (*end == 'K' || *end == 'k') v <<= 10;
    if (*end == 'M' || *end == 'm') v <<= 20;
    if (*end == 'G' || *end == 'g') v <<= 30;
    if (v > 0) gc_limit = v;
  }
#endif
}

/* Asks for a region of at least `bytes` more; false when there is none. */
static bool gc_grow(int64_t bytes) {
  int64_t want = bytes + 2 * GC_PAGE > KEEL_HEAP_GROWTH ? bytes + 2 * GC_PAGE : KEEL_HEAP_GROWTH;
#ifdef KEEL_USER
  want = (want + GC_PAGE - 1) & ~(int64_t)(GC_PAGE - 1);
  int64_t at = keel_heap_more(want);
  if (at == 0) return false;
  gc_add_region((uintptr_t)at, want);
  return true;
#else
  if (want < gc_reserved) want = gc_reserved; /* double the heap each time */
  if (gc_reserved + want > gc_limit) want = gc_limit - gc_reserved;
  if (want < bytes + 2 * GC_PAGE) return false;
  want &= ~(int64_t)(GC_PAGE - 1);
  void *p = aligned_alloc(GC_PAGE, (size_t)want);
  if (p == NULL) return false;
  gc_reserved += want;
  gc_add_region((uintptr_t)p, want);
  return true;
#endif
}

/* A run of `n` free pages, marked as taken by the caller; returns its region and first index. */
static bool gc_take_pages(int64_t n, struct gc_region **out_r, int64_t *out_i) {
  for (int ri = 0; ri < gc_nregions; ri++) {
    struct gc_region *r = &gc_regions[ri];
    for (int pass = 0; pass < 2; pass++) {
      int64_t from = pass == 0 ? r->hint : 0, to = pass == 0 ? r->npages : r->hint;
      int64_t run = 0;
      for (int64_t i = from; i < to; i++) {
        if (r->pages[i].kind != PG_FREE) {
          run = 0;
          continue;
        }
        if (++run == n) {
          *out_r = r;
          *out_i = i - n + 1;
          r->hint = i + 1;
          return true;
        }
      }
    }
  }
  return false;
}

static struct keel_hdr *gc_try_alloc(int64_t need) {
  if (need <= (16 << (GC_SMALL_CLASSES - 1))) {
    int cls = 0;
    while ((16 << cls) < need) cls++;
    if (gc_free[cls] == NULL) {
      struct gc_region *r;
      int64_t i;
      if (!gc_take_pages(1, &r, &i)) return NULL;
      r->pages[i].kind = PG_SMALL;
      r->pages[i].cls = (uint8_t)cls;
      unsigned char *p = (unsigned char *)(r->base + (uintptr_t)i * GC_PAGE);
      int64_t bs = (int64_t)16 << cls;
      for (int64_t off = GC_PAGE - bs; off >= 0; off -= bs) {
        struct keel_hdr *h = (struct keel_hdr *)(p + off);
        h->type_id = KEEL_GC_FREE;
        h->size = (int64_t)(uintptr_t)gc_free[cls];
        gc_free[cls] = h;
      }
    }
    struct keel_hdr *h = gc_free[cls];
    gc_free[cls] = (struct keel_hdr *)(uintptr_t)h->size;
    memset(h, 0, (size_t)((int64_t)16 << cls));
    h->size_class = cls;
    gc_used += (int64_t)16 << cls;
    return h;
  }
  int64_t n = (need + GC_PAGE - 1) / GC_PAGE;
  struct gc_region *r;
  int64_t i;
  if (!gc_take_pages(n, &r, &i)) return NULL;
  r->pages[i].kind = PG_LARGE;
  r->pages[i].n = (uint32_t)n;
  for (int64_t j = 1; j < n; j++) {
    r->pages[i + j].kind = PG_CONT;
    r->pages[i + j].n = (uint32_t)i;
  }
  struct keel_hdr *h = (struct keel_hdr *)(r->base + (uintptr_t)i * GC_PAGE);
  memset(h, 0, (size_t)need);
  h->size_class = GC_SMALL_CLASSES;
  gc_used += n * GC_PAGE;
  return h;
}

/* ---- marking ---- */
extern const uint8_t keel_type_scan[];
extern void *const *const keel_gc_roots[];
extern const int64_t keel_gc_root_count;

static struct keel_hdr *gc_stack[GC_MARK_STACK];
static int64_t gc_sp;
static bool gc_overflow;

/* The allocated block that contains address `a`, or NULL. */
static struct keel_hdr *gc_find(uintptr_t a) {
  if (a < gc_lo || a >= gc_hi) return NULL;
  for (int ri = 0; ri < gc_nregions; ri++) {
    struct gc_region *r = &gc_regions[ri];
    if (a < r->base || a >= r->base + (uintptr_t)r->npages * GC_PAGE) continue;
    int64_t i = (int64_t)((a - r->base) / GC_PAGE);
    struct gc_page *p = &r->pages[i];
    struct keel_hdr *h;
    if (p->kind == PG_FREE) return NULL;
    if (p->kind == PG_SMALL) {
      uintptr_t page = r->base + (uintptr_t)i * GC_PAGE;
      uintptr_t bs = (uintptr_t)16 << p->cls;
      h = (struct keel_hdr *)(page + (a - page) / bs * bs);
    } else {
      if (p->kind == PG_CONT) i = p->n;
      h = (struct keel_hdr *)(r->base + (uintptr_t)i * GC_PAGE);
    }
    return h->type_id == KEEL_GC_FREE ? NULL : h;
  }
  return NULL;
}

static void gc_mark_block(struct keel_hdr *h) {
  if (h->size_class & KEEL_GC_MARK) return;
  h->size_class |= KEEL_GC_MARK;
  if (h->type_id >= 0 && h->type_id < keel_type_count && !keel_type_scan[h->type_id]) return;
  if (gc_sp < GC_MARK_STACK) gc_stack[gc_sp++] = h;
  else gc_overflow = true;
}

static void gc_mark_word(uintptr_t a) {
  struct keel_hdr *h = gc_find(a);
  if (h != NULL) {
    gc_mark_block(h);
    /* A pointer one past the end of a block (a loop's end pointer) is where the next block
     * starts: keep the previous block too. */
    if ((uintptr_t)h == a) {
      struct keel_hdr *prev = gc_find(a - 1);
      if (prev != NULL) gc_mark_block(prev);
    }
  }
}

static void gc_scan_range(const void *from, const void *to) {
  uintptr_t p = ((uintptr_t)from + 7) & ~(uintptr_t)7;
  for (; p + 8 <= (uintptr_t)to; p += 8) gc_mark_word(*(const uintptr_t *)p);
}

static void gc_scan_block(struct keel_hdr *h) {
  gc_scan_range(h + 1, (const char *)(h + 1) + h->size);
}

static void gc_drain(void) {
  for (;;) {
    while (gc_sp > 0) gc_scan_block(gc_stack[--gc_sp]);
    if (!gc_overflow) return;
    /* The mark stack overflowed: rescan every marked block that may hold references. */
    gc_overflow = false;
    for (int ri = 0; ri < gc_nregions; ri++) {
      struct gc_region *r = &gc_regions[ri];
      for (int64_t i = 0; i < r->npages; i++) {
        struct gc_page *p = &r->pages[i];
        uintptr_t page = r->base + (uintptr_t)i * GC_PAGE;
        int64_t bs = p->kind == PG_SMALL ? (int64_t)16 << p->cls : GC_PAGE;
        if (p->kind != PG_SMALL && p->kind != PG_LARGE) continue;
        for (int64_t off = 0; off < GC_PAGE; off += bs) {
          struct keel_hdr *h = (struct keel_hdr *)(page + (uintptr_t)off);
          if (h->type_id == KEEL_GC_FREE || !(h->size_class & KEEL_GC_MARK)) continue;
          if (h->type_id >= 0 && h->type_id < keel_type_count && !keel_type_scan[h->type_id]) continue;
          gc_scan_block(h);
          while (gc_sp > 0) gc_scan_block(gc_stack[--gc_sp]);
        }
      }
    }
  }
}

/* Marks from the stack: a separate, non-inlined frame below the one holding the spilled
 * callee-saved registers, so they are inside the scanned range. */
__attribute__((noinline)) static void gc_mark_stack(void) {
  volatile uintptr_t here = 0;
  const void *lo = (const void *)&here;
  const void *hi = keel_gc_stack_top;
  if (hi == NULL || (uintptr_t)hi < (uintptr_t)lo) return;
  gc_scan_range(lo, hi);
}

/* ---- sweeping ---- */
static void gc_free_block(struct keel_hdr *h) {
  keel_count_free(h->type_id);
}

static void gc_sweep(void) {
  for (int c = 0; c < GC_SMALL_CLASSES; c++) gc_free[c] = NULL;
  for (int ri = 0; ri < gc_nregions; ri++) {
    struct gc_region *r = &gc_regions[ri];
    r->hint = 0;
    for (int64_t i = 0; i < r->npages; i++) {
      struct gc_page *p = &r->pages[i];
      uintptr_t page = r->base + (uintptr_t)i * GC_PAGE;
      if (p->kind == PG_SMALL) {
        int64_t bs = (int64_t)16 << p->cls;
        struct keel_hdr *list = gc_free[p->cls];
        bool any_live = false;
        for (int64_t off = 0; off < GC_PAGE; off += bs) {
          struct keel_hdr *h = (struct keel_hdr *)(page + (uintptr_t)off);
          if (h->type_id != KEEL_GC_FREE) {
            if (h->size_class & KEEL_GC_MARK) {
              h->size_class &= ~KEEL_GC_MARK;
              any_live = true;
              continue;
            }
            gc_free_block(h);
            gc_used -= bs;
            keel_gc_freed_bytes += bs;
            h->type_id = KEEL_GC_FREE;
          }
          h->size = (int64_t)(uintptr_t)list;
          list = h;
        }
        if (any_live) gc_free[p->cls] = list;
        else p->kind = PG_FREE;
      } else if (p->kind == PG_LARGE) {
        struct keel_hdr *h = (struct keel_hdr *)page;
        int64_t n = p->n;
        if (h->size_class & KEEL_GC_MARK) {
          h->size_class &= ~KEEL_GC_MARK;
        } else {
          gc_free_block(h);
          for (int64_t j = 0; j < n; j++) r->pages[i + j].kind = PG_FREE;
          gc_used -= n * GC_PAGE;
          keel_gc_freed_bytes += n * GC_PAGE;
        }
        i += n - 1;
      }
    }
  }
}

void keel_gc_collect(void) {
  if (gc_in_collect || !gc_started) return;
  gc_in_collect = true;
#ifdef KEEL_HOSTED
  int64_t t0 = gc_now_ns();
#endif
  /* Callee-saved registers may hold the only copy of a pointer: spill them into this frame,
   * which lies inside the scanned stack range. (Caller-saved ones were saved by our callers.) */
  uintptr_t regs[6];
  __asm__ volatile("movq %%rbx, 0(%0)\n\tmovq %%rbp, 8(%0)\n\tmovq %%r12, 16(%0)\n\t"
                   "movq %%r13, 24(%0)\n\tmovq %%r14, 32(%0)\n\tmovq %%r15, 40(%0)"
                   : : "r"(regs) : "memory");
  gc_sp = 0;
  gc_overflow = false;
  for (int64_t i = 0; i < keel_gc_root_count; i++) gc_mark_word(*(const uintptr_t *)keel_gc_roots[i]);
  gc_scan_range(regs, regs + 6);
  gc_mark_stack();
  gc_drain();
  gc_sweep();
  keel_gc_collections++;
#ifdef KEEL_HOSTED
  int64_t dt = gc_now_ns() - t0;
  keel_gc_pause_total_ns += dt;
  if (dt > keel_gc_pause_max_ns) keel_gc_pause_max_ns = dt;
#endif
  gc_in_collect = false;
}

/* ---- the heap interface of keel.h ---- */
struct keel_hdr *keel_heap_alloc(int64_t size) {
  gc_start();
  if (size < 0 || size > (INT64_C(1) << 40)) return NULL;
  int64_t need = size + (int64_t)sizeof(struct keel_hdr);
  struct keel_hdr *h = gc_try_alloc(need);
  if (h == NULL) {
    keel_gc_collect();
    /* Keep at least half the heap free after a collection, so collections stay proportional
     * to the memory allocated between them. */
    if (gc_used + need > gc_total / 2) gc_grow(gc_used + need > need ? gc_used + need : need);
    h = gc_try_alloc(need);
    if (h == NULL && gc_grow(need)) h = gc_try_alloc(need);
  }
  if (h == NULL) return NULL;
  h->size = size;
  return h;
}

void keel_heap_free(struct keel_hdr *h) {
  if (h->type_id == KEEL_GC_FREE) keel_panic("heap: release of a block that is not allocated");
  struct gc_region *r = NULL;
  for (int ri = 0; ri < gc_nregions; ri++)
    if ((uintptr_t)h >= gc_regions[ri].base && (uintptr_t)h < gc_regions[ri].base + (uintptr_t)gc_regions[ri].npages * GC_PAGE) r = &gc_regions[ri];
  if (r == NULL) keel_panic("heap: release of a block that is not allocated");
  int64_t i = (int64_t)(((uintptr_t)h - r->base) / GC_PAGE);
  struct gc_page *p = &r->pages[i];
  if (p->kind == PG_SMALL) {
    int64_t bs = (int64_t)16 << p->cls;
    gc_used -= bs;
    h->type_id = KEEL_GC_FREE;
    h->size_class = p->cls;
    h->size = (int64_t)(uintptr_t)gc_free[p->cls];
    gc_free[p->cls] = h;
  } else if (p->kind == PG_LARGE) {
    int64_t n = p->n;
    for (int64_t j = 0; j < n; j++) r->pages[i + j].kind = PG_FREE;
    gc_used -= n * GC_PAGE;
  } else {
    keel_panic("heap: release of a block that is not allocated");
  }
}

bool keel_heap_reserve(int64_t bytes) {
  gc_start();
  if (bytes < 0) return false;
  if (gc_total - gc_used >= bytes) return true;
  return gc_grow(bytes);
}
int64_t keel_heap_bytes_used(void) { return gc_used; }
int64_t keel_heap_bytes_total(void) {
  gc_start();
  return gc_total;
}

#ifdef KEEL_HOSTED
void keel_gc_report(void) {
  fprintf(stderr, "keel: gc: %lld collections, %lld bytes freed, pause max %lld us, total %lld us, heap %lld bytes\n",
          (long long)keel_gc_collections, (long long)keel_gc_freed_bytes, (long long)(keel_gc_pause_max_ns / 1000),
          (long long)(keel_gc_pause_total_ns / 1000), (long long)gc_total);
}
#endif

#else
typedef int keel_gc_kernel_has_no_collector;
#endif
