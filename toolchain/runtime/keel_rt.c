/* Keel runtime: panics, allocation, formatting, symbol table access. Compiled with every program.
 * Hosted builds use libc (stdout, and malloc for the heap's regions); kernel and user builds are
 * freestanding. The heap is keel_heap.c in the kernel and the collected heap of keel_gc.c in user
 * and hosted programs. */
#include "keel.h"

#ifdef KEEL_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif

/* ---- freestanding libc subset ----
 * Eight bytes at a time where the length allows (x86-64 needs no alignment for that), byte by
 * byte for the rest. The bodies must not be turned back into calls to themselves by the
 * compiler's loop-pattern recognition, hence the attribute. */
#ifndef KEEL_HOSTED
typedef uint64_t __attribute__((may_alias, aligned(1))) keel_word_t;
#define KEEL_LIBC __attribute__((optimize("no-tree-loop-distribute-patterns")))

KEEL_LIBC void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  for (; n >= 8; n -= 8, d += 8, s += 8) *(keel_word_t *)d = *(const keel_word_t *)s;
  while (n--) *d++ = *s++;
  return dst;
}
KEEL_LIBC void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s) {
    for (; n >= 8; n -= 8, d += 8, s += 8) *(keel_word_t *)d = *(const keel_word_t *)s;
    while (n--) *d++ = *s++;
  } else {
    d += n;
    s += n;
    for (; n >= 8; n -= 8) {
      d -= 8;
      s -= 8;
      *(keel_word_t *)d = *(const keel_word_t *)s;
    }
    while (n--) *--d = *--s;
  }
  return dst;
}
KEEL_LIBC void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  const uint64_t v = (uint64_t)(unsigned char)c * UINT64_C(0x0101010101010101);
  for (; n >= 8; n -= 8, d += 8) *(keel_word_t *)d = v;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}
#endif

/* ---- output ---- */
#ifdef KEEL_HOSTED
void keel_gc_report(void);
void keel_write(int64_t addr, int64_t len) { fwrite((const void *)(uintptr_t)addr, 1, (size_t)len, stdout); }
void keel_exit(int code) {
  fflush(stdout);
  if (getenv("KEEL_STATS") != NULL) {
    fprintf(stderr, "keel: live objects: %lld\n", (long long)keel_live_objects());
    for (int64_t i = 0; i < keel_type_count; i++)
      if (keel_type_live[i] != 0)
        fprintf(stderr, "keel:   %s: %lld\n", keel_type_names[i], (long long)keel_type_live[i]);
    keel_gc_report();
  }
  exit(code);
}
#endif

const char keel_char_strs[256] = {
  (char)KEEL_NUL_BYTE, 0,
  1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0,
  9, 0, 10, 0, 11, 0, 12, 0, 13, 0, 14, 0, 15, 0, 16, 0,
  17, 0, 18, 0, 19, 0, 20, 0, 21, 0, 22, 0, 23, 0, 24, 0,
  25, 0, 26, 0, 27, 0, 28, 0, 29, 0, 30, 0, 31, 0, 32, 0,
  33, 0, 34, 0, 35, 0, 36, 0, 37, 0, 38, 0, 39, 0, 40, 0,
  41, 0, 42, 0, 43, 0, 44, 0, 45, 0, 46, 0, 47, 0, 48, 0,
  49, 0, 50, 0, 51, 0, 52, 0, 53, 0, 54, 0, 55, 0, 56, 0,
  57, 0, 58, 0, 59, 0, 60, 0, 61, 0, 62, 0, 63, 0, 64, 0,
  65, 0, 66, 0, 67, 0, 68, 0, 69, 0, 70, 0, 71, 0, 72, 0,
  73, 0, 74, 0, 75, 0, 76, 0, 77, 0, 78, 0, 79, 0, 80, 0,
  81, 0, 82, 0, 83, 0, 84, 0, 85, 0, 86, 0, 87, 0, 88, 0,
  89, 0, 90, 0, 91, 0, 92, 0, 93, 0, 94, 0, 95, 0, 96, 0,
  97, 0, 98, 0, 99, 0, 100, 0, 101, 0, 102, 0, 103, 0, 104, 0,
  105, 0, 106, 0, 107, 0, 108, 0, 109, 0, 110, 0, 111, 0, 112, 0,
  113, 0, 114, 0, 115, 0, 116, 0, 117, 0, 118, 0, 119, 0, 120, 0,
  121, 0, 122, 0, 123, 0, 124, 0, 125, 0, 126, 0, 127, 0,
};

void keel_write_chars(char *buf, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if ((uint8_t)buf[i] == KEEL_NUL_BYTE) buf[i] = 0;
  keel_write((int64_t)(uintptr_t)buf, n);
}

/* ---- panics ---- */
void keel_panic_at(const char *msg, const char *file, int64_t line) {
#ifdef KEEL_HOSTED
  fflush(stdout);
  fputs("PANIC: ", stderr);
  for (const char *p = msg; *p; p++) fputc((int)keel_char_of(*p), stderr);
  fprintf(stderr, "\n    at %s:%lld\n", file, (long long)line);
  fflush(stderr);
  exit(134);
#else
  keel_panic_hook((int64_t)(uintptr_t)msg, (int64_t)(uintptr_t)file, line);
  for (;;) __asm__ volatile("hlt");
#endif
}
void keel_panic(const char *msg) { keel_panic_at(msg, "?", 0); }
void keel_oob(int64_t i, int64_t len, const char *file, int64_t line) {
  char buf[128];
  struct keel_sb sb;
  keel_sb_init(&sb, buf, sizeof buf, false, file, line);
  keel_sb_str(&sb, "index ");
  keel_sb_i64(&sb, i);
  keel_sb_str(&sb, " out of bounds (length ");
  keel_sb_i64(&sb, len);
  keel_sb_str(&sb, ")");
  keel_panic_at(keel_sb_cstr(&sb), file, line);
}
void keel_null(const char *file, int64_t line) { keel_panic_at("null dereference", file, line); }
void keel_overflow(const char *file, int64_t line) { keel_panic_at("integer overflow", file, line); }
void keel_divzero(const char *file, int64_t line) { keel_panic_at("division by zero", file, line); }

/* ---- allocation: the header (keel.h) records the type for the live counts; the heap itself is
 * libc's when hosted, keel_heap.c's otherwise ---- */
static int64_t keel_live_total;

/* A block the collector (keel_gc.c) reclaimed: it is no longer live. */
void keel_count_free(int32_t type_id) {
  keel_live_total--;
  if (type_id >= 0 && type_id < keel_type_count) keel_type_live[type_id]--;
}

void *keel_alloc(int64_t size, int64_t type_id) {
  struct keel_hdr *h = keel_heap_alloc(size);
  if (h == NULL) keel_panic("out of memory");
  h->type_id = (int32_t)type_id;
  keel_live_total++;
  if (type_id >= 0 && type_id < keel_type_count) keel_type_live[type_id]++;
  return h + 1;
}
void keel_release(const void *obj) {
  if (obj == NULL) return;
  struct keel_hdr *h = (struct keel_hdr *)obj - 1;
  keel_live_total--;
  if (h->type_id >= 0 && h->type_id < keel_type_count) keel_type_live[h->type_id]--;
  keel_heap_free(h);
}
int64_t keel_live_objects(void) { return keel_live_total; }

void *keel_new_array(int64_t n, int64_t elem_size, int64_t type_id, const char *file, int64_t line) {
  if (n < 0 || n > (INT64_C(1) << 40) / (elem_size > 0 ? elem_size : 1)) keel_panic_at("invalid array length", file, line);
  struct keel_i64arr *a = keel_alloc(16 + n * elem_size, type_id);
  a->length = n;
  a->data = (int64_t *)(void *)((char *)a + 16);
  return a;
}

const char *keel_str_index_or_null(const char *s, int64_t i) {
  return (uint64_t)i < (uint64_t)keel_strlen(s) ? keel_char_str(s[i]) : NULL;
}

void *keel_tarr_view(void *a, int64_t begin, int64_t end, int64_t elem_size, int64_t view_type) {
  struct keel_i64arr *p = a;
  int64_t b = keel_arr_pos(begin, p->length), e = keel_arr_pos(end, p->length);
  if (e < b) e = b;
  struct keel_i64arr *v = keel_alloc(16, view_type);
  v->length = e - b;
  v->data = (int64_t *)(void *)((char *)p->data + b * elem_size);
  return v;
}

void *keel_tarr_slice(void *a, int64_t begin, int64_t end, int64_t elem_size, int64_t type_id, const char *file, int64_t line) {
  struct keel_i64arr *p = a;
  int64_t b = keel_arr_pos(begin, p->length), e = keel_arr_pos(end, p->length);
  if (e < b) e = b;
  struct keel_i64arr *r = keel_new_array(e - b, elem_size, type_id, file, line);
  memcpy(r->data, (const char *)p->data + b * elem_size, (size_t)((e - b) * elem_size));
  return r;
}

/* ---- symbol table: sorted by address on first use so lookups can bisect ---- */
static bool keel_symtab_sorted;
static void keel_symtab_sort(void) {
  if (keel_symtab_sorted) return;
  keel_symtab_sorted = true;
  for (int64_t i = 1; i < keel_symtab_len; i++) {
    struct keel_sym s = keel_symtab[i];
    int64_t j = i - 1;
    while (j >= 0 && (uintptr_t)keel_symtab[j].addr > (uintptr_t)s.addr) {
      keel_symtab[j + 1] = keel_symtab[j];
      j--;
    }
    keel_symtab[j + 1] = s;
  }
}
int64_t keel_symtab_count(void) { return keel_symtab_len; }
int64_t keel_symtab_addr(int64_t i) {
  keel_symtab_sort();
  return (int64_t)(uintptr_t)keel_symtab[keel_idx(i, keel_symtab_len, "keel_rt.c", __LINE__)].addr;
}
const char *keel_symtab_name(int64_t i) {
  keel_symtab_sort();
  return keel_symtab[keel_idx(i, keel_symtab_len, "keel_rt.c", __LINE__)].name;
}
const char *keel_symtab_file(int64_t i) {
  keel_symtab_sort();
  return keel_symtab[keel_idx(i, keel_symtab_len, "keel_rt.c", __LINE__)].file;
}
int64_t keel_symtab_line(int64_t i) {
  keel_symtab_sort();
  return keel_symtab[keel_idx(i, keel_symtab_len, "keel_rt.c", __LINE__)].line;
}

/* ---- formatting ---- */
static void keel_sb_spill(struct keel_sb *sb) {
#if defined(KEEL_HOSTED) || defined(KEEL_USER)
  if (sb->heap) {
    /* A run-time string outgrew its block: move it to one twice the size. */
    char *nb = keel_alloc(sb->cap * 2, KEEL_TYPE_STRING);
    memcpy(nb, sb->buf, (size_t)sb->len);
    sb->buf = nb;
    sb->cap *= 2;
    return;
  }
#endif
  if (sb->flush) {
    keel_write_chars(sb->buf, sb->len);
    sb->len = 0;
  } else {
    keel_panic_at("formatted string longer than its buffer", sb->file, sb->line);
  }
}
void keel_sb_putc(struct keel_sb *sb, char c) {
  /* a fixed builder keeps one byte for the terminating NUL */
  if (sb->len >= sb->cap - (sb->flush ? 0 : 1)) keel_sb_spill(sb);
  sb->buf[sb->len++] = c;
}
void keel_sb_mem(struct keel_sb *sb, const char *s, int64_t n) {
  for (int64_t i = 0; i < n; i++) keel_sb_putc(sb, s[i]);
}
void keel_sb_str(struct keel_sb *sb, const char *s) {
  if (s == NULL) s = "null";
  while (*s) keel_sb_putc(sb, *s++);
}
static int keel_digits(char *out, uint64_t v, int64_t radix) {
  /* writes digits backwards into out[0..63], returns the index of the first digit */
  int i = 64;
  do {
    int64_t d = (int64_t)(v % (uint64_t)radix);
    out[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= (uint64_t)radix;
  } while (v != 0);
  return i;
}
void keel_sb_radix_u64(struct keel_sb *sb, uint64_t v, int64_t radix) {
  char tmp[64];
  if (radix < 2 || radix > 36) keel_panic_at("toString() radix must be between 2 and 36", sb->file, sb->line);
  int i = keel_digits(tmp, v, radix);
  keel_sb_mem(sb, tmp + i, 64 - i);
}
void keel_sb_radix_i64(struct keel_sb *sb, int64_t v, int64_t radix) {
  if (v < 0) {
    keel_sb_putc(sb, '-');
    keel_sb_radix_u64(sb, (uint64_t)0 - (uint64_t)v, radix);
  } else {
    keel_sb_radix_u64(sb, (uint64_t)v, radix);
  }
}
void keel_sb_i64(struct keel_sb *sb, int64_t v) { keel_sb_radix_i64(sb, v, 10); }
void keel_sb_u64(struct keel_sb *sb, uint64_t v) { keel_sb_radix_u64(sb, v, 10); }
void keel_sb_bool(struct keel_sb *sb, bool v) { keel_sb_str(sb, v ? "true" : "false"); }
void keel_sb_pad(struct keel_sb *sb, const char *src, int64_t n, int64_t width, const char *fill, bool start) {
  int64_t fl = keel_strlen(fill);
  int64_t padn = (width > n && fl > 0) ? width - n : 0;
  if (!start) keel_sb_mem(sb, src, n);
  for (int64_t i = 0; i < padn; i++) keel_sb_putc(sb, fill[i % fl]);
  if (start) keel_sb_mem(sb, src, n);
}
const char *keel_sb_cstr(struct keel_sb *sb) {
  sb->buf[sb->len] = 0;
  return sb->buf;
}
void keel_sb_endline(struct keel_sb *sb) {
  keel_sb_putc(sb, '\n');
  if (sb->len > 0) keel_write_chars(sb->buf, sb->len);
  sb->len = 0;
}
/* A console.log argument as printed on its own (a bigint with its n). */
static void keel_sb_arg(struct keel_sb *sb, const struct keel_arg *a) {
  switch (a->kind) {
  case KEEL_ARG_NUM: keel_sb_i64(sb, a->i); break;
  case KEEL_ARG_BIG: keel_sb_u64(sb, a->u); keel_sb_putc(sb, 'n'); break;
  case KEEL_ARG_BOOL: keel_sb_bool(sb, a->i != 0); break;
  default: keel_sb_str(sb, a->s);
  }
}
/* One substitution, as Node's formatWithOptions makes it. %d is Number(x) (true 1, null 0), %i
 * parseInt(x) and %f parseFloat(x) (NaN for booleans and null); a bigint keeps its n except under
 * %f. Parsing a string, %f of a bigint (a float), %j (JSON) and %o/%O (the inspector) have no
 * Keel counterpart: keelc check rejects them where it sees the format, here they panic. */
static void keel_sb_directive(struct keel_sb *sb, char d, const struct keel_arg *a) {
  bool str = a->kind == KEEL_ARG_STR && a->s != NULL;
  bool nan = a->kind == KEEL_ARG_BOOL || (a->kind == KEEL_ARG_STR && a->s == NULL);
  if (d == 'c') return;
  if (d == 's') {
    keel_sb_arg(sb, a);
  } else if (d == 'j' || d == 'o' || d == 'O') {
    keel_panic_at("console.log: %j, %o and %O are not supported", sb->file, sb->line);
  } else if (str) {
    keel_panic_at("console.log: %d, %i and %f of a string are not supported", sb->file, sb->line);
  } else if (d == 'f' && a->kind == KEEL_ARG_BIG) {
    keel_panic_at("console.log: %f of a bigint is not supported", sb->file, sb->line);
  } else if (nan && d != 'd') {
    keel_sb_str(sb, "NaN");
  } else if (a->kind == KEEL_ARG_BIG) {
    keel_sb_arg(sb, a);
  } else {
    keel_sb_i64(sb, a->i); /* a number, or Number(boolean), or Number(null) = 0 */
  }
}
static bool keel_is_directive(char d) {
  for (const char *p = "sdifjoOc"; *p; p++)
    if (*p == d) return true;
  return false;
}
void keel_sb_format(struct keel_sb *sb, const char *fmt, const struct keel_arg *args, int64_t n) {
  int64_t used = 0;
  if (fmt == NULL) {
    keel_sb_str(sb, fmt); /* null is no format string */
  } else {
    /* Node's loop: a directive without an argument left stays as written, and so does % before
     * any other character; %% is always %. */
    int64_t len = keel_strlen(fmt), done = 0;
    for (int64_t i = 0; i + 1 < len; i++) {
      if (fmt[i] != '%') continue;
      char d = fmt[++i];
      if (d == '%') {
        keel_sb_mem(sb, fmt + done, i - done);
        done = i + 1;
      } else if (used < n && keel_is_directive(d)) {
        keel_sb_mem(sb, fmt + done, i - 1 - done);
        keel_sb_directive(sb, d, &args[used++]);
        done = i + 1;
      }
    }
    keel_sb_str(sb, fmt + done);
  }
  for (; used < n; used++) {
    keel_sb_putc(sb, ' ');
    keel_sb_arg(sb, &args[used]);
  }
}
