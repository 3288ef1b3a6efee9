/* Keel runtime: growable arrays in user and hosted programs (the kernel's arrays keep the length
 * they were made with). An array is struct { int64_t length; T *data; }: the elements first
 * follow the header in its block (keel_new_array); when a push needs more room they move to a
 * block of their own, of twice the capacity. The capacity is never stored: it is what the block
 * holding the elements has room for. */
#include "keel.h"

#if defined(KEEL_HOSTED) || defined(KEEL_USER)

struct keel_arr_any {
  int64_t length;
  char *data;
};

static int64_t keel_arr_cap(struct keel_arr_any *a, int64_t es) {
  if (a->data == (char *)a + 16) return (((struct keel_hdr *)a - 1)->size - 16) / es;
  return ((struct keel_hdr *)a->data - 1)->size / es;
}

void keel_arr_reserve(void *arr, int64_t es, int64_t need, int64_t storage_type) {
  struct keel_arr_any *a = arr;
  int64_t cap = keel_arr_cap(a, es);
  if (need <= cap) return;
  int64_t ncap = cap < 4 ? 4 : cap * 2;
  if (ncap < need) ncap = need;
  if (ncap > (INT64_C(1) << 40) / es) keel_panic("invalid array length");
  char *nd = keel_alloc(ncap * es, storage_type);
  memcpy(nd, a->data, (size_t)(a->length * es));
  a->data = nd;
}

int64_t keel_sortcmp_i64(const void *x, const void *y, void *f) {
  return ((int64_t(*)(int64_t, int64_t))f)(*(const int64_t *)x, *(const int64_t *)y);
}
int64_t keel_sortcmp_u64(const void *x, const void *y, void *f) {
  return ((int64_t(*)(uint64_t, uint64_t))f)(*(const uint64_t *)x, *(const uint64_t *)y);
}
int64_t keel_sortcmp_bool(const void *x, const void *y, void *f) {
  return ((int64_t(*)(bool, bool))f)(*(const bool *)x, *(const bool *)y);
}
int64_t keel_sortcmp_ptr(const void *x, const void *y, void *f) {
  return ((int64_t(*)(void *, void *))f)(*(void *const *)x, *(void *const *)y);
}

/* A stable merge sort (as Node's TimSort is stable): runs of 1, 2, 4, ... merged bottom-up
 * through a scratch block. */
void keel_arr_merge_sort(void *data, int64_t n, int64_t es, int64_t (*cmp)(const void *, const void *, void *), void *fn,
                         int64_t storage_type) {
  char *src = data;
  char *tmp = keel_alloc(n * es, storage_type);
  char *dst = tmp;
  for (int64_t w = 1; w < n; w *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * w) {
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (cmp(src + j * es, src + i * es, fn) < 0) memcpy(dst + (k++) * es, src + (j++) * es, (size_t)es);
        else memcpy(dst + (k++) * es, src + (i++) * es, (size_t)es);
      }
      while (i < mid) memcpy(dst + (k++) * es, src + (i++) * es, (size_t)es);
      while (j < hi) memcpy(dst + (k++) * es, src + (j++) * es, (size_t)es);
    }
    char *t = src;
    src = dst;
    dst = t;
  }
  if (src != data) memcpy(data, src, (size_t)(n * es));
}

#else
typedef int keel_arr_kernel_arrays_are_fixed;
#endif
