/* Keel runtime header: included by every C file keelc generates.
 * Everything a hot path needs (checks, arithmetic helpers, memory accessors) is static inline so
 * gcc folds it into the caller; slow paths (panics, formatting, allocation) live in keel_rt.c.
 * Targets: KEEL_HOSTED (libc available), KEEL_KERNEL / KEEL_USER (freestanding, no libc). */
#ifndef KEEL_H
#define KEEL_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define KEEL_NORETURN _Noreturn
#define KEEL_COLD __attribute__((cold, noinline))
#define KEEL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define KEEL_UNUSED __attribute__((unused))
#define KEEL_SAFE_MAX INT64_C(9007199254740991)

/* ---- program-provided and runtime-provided hooks ---- */

/* Output sink: hosted writes to stdout; kernel/user programs define it (TS `@export keel_write`). */
void keel_write(int64_t addr, int64_t len);
#if !defined(KEEL_HOSTED)
/* Called on panic with the message, the TypeScript file and line; must not return. */
void keel_panic_hook(int64_t msg_addr, int64_t file_addr, int64_t line);
#endif

KEEL_NORETURN KEEL_COLD void keel_panic_at(const char *msg, const char *file, int64_t line);
KEEL_NORETURN KEEL_COLD void keel_panic(const char *msg);
KEEL_NORETURN KEEL_COLD void keel_oob(int64_t i, int64_t len, const char *file, int64_t line);
KEEL_NORETURN KEEL_COLD void keel_null(const char *file, int64_t line);
KEEL_NORETURN KEEL_COLD void keel_overflow(const char *file, int64_t line);
KEEL_NORETURN KEEL_COLD void keel_divzero(const char *file, int64_t line);

/* ---- allocation ---- */
void *keel_alloc(int64_t size, int64_t type_id);
void keel_release(const void *obj);
int64_t keel_live_objects(void);
/* A 16-byte header before every allocated object: its type id, its heap size class (freestanding
 * builds) and the size asked for. */
struct keel_hdr {
  int32_t type_id;
  int32_t size_class;
  int64_t size;
};
/* The heap (keel_heap.c when freestanding, libc when hosted). keel_heap_alloc returns a zeroed
 * block with its header filled in but the type, or NULL when no memory is left. */
struct keel_hdr *keel_heap_alloc(int64_t size);
void keel_heap_free(struct keel_hdr *h);
/* Whether `bytes` more can be allocated in blocks of any class without running out. */
bool keel_heap_reserve(int64_t bytes);
/* Bytes in allocated blocks (headers and rounding included), and bytes the heap holds in all. */
int64_t keel_heap_bytes_used(void);
int64_t keel_heap_bytes_total(void);
/* Freestanding programs may give the heap more memory: a 16-byte aligned region of `bytes` bytes
 * (a multiple of 4096), or 0 when there is none. The runtime's weak default returns 0. */
int64_t keel_heap_more(int64_t bytes);
#if defined(KEEL_HOSTED) || defined(KEEL_USER)
/* The collector (keel_gc.c): keel_main records its own frame as the oldest one to scan;
 * keel_gc_collect runs a full collection now. */
extern void *keel_gc_stack_top;
void keel_gc_collect(void);
/* Emitted in keel_main.c: per type id, whether objects of the type may hold references; the
 * addresses of every module variable and static field of reference type. */
extern const uint8_t keel_type_scan[];
extern void *const *const keel_gc_roots[];
extern const int64_t keel_gc_root_count;
#endif
/* Program type table (emitted in keel_main.c): names and live counters per type id. */
extern const char *const keel_type_names[];
extern int64_t keel_type_live[];
extern const int64_t keel_type_count;

/* ---- symbol table for TypeScript backtraces (keelc --symtab; empty otherwise) ---- */
struct keel_sym {
  const void *addr;
  const char *name;
  const char *file;
  int64_t line;
};
extern struct keel_sym keel_symtab[];
extern const int64_t keel_symtab_len;
int64_t keel_symtab_count(void);
int64_t keel_symtab_addr(int64_t i);
const char *keel_symtab_name(int64_t i);
const char *keel_symtab_file(int64_t i);
int64_t keel_symtab_line(int64_t i);

/* ---- arrays: a length and a pointer to the elements (which follow the header when allocated
 * by new, so one release frees both) ---- */
#define KEEL_ARRAY_STRUCT(name, elem) \
  struct name {                        \
    int64_t length;                    \
    elem *data;                        \
  }
KEEL_ARRAY_STRUCT(keel_u8arr, uint8_t);
KEEL_ARRAY_STRUCT(keel_u8carr, uint8_t);
KEEL_ARRAY_STRUCT(keel_i8arr, int8_t);
KEEL_ARRAY_STRUCT(keel_u16arr, uint16_t);
KEEL_ARRAY_STRUCT(keel_i16arr, int16_t);
KEEL_ARRAY_STRUCT(keel_u32arr, uint32_t);
KEEL_ARRAY_STRUCT(keel_i32arr, int32_t);
KEEL_ARRAY_STRUCT(keel_u64arr, uint64_t);
KEEL_ARRAY_STRUCT(keel_i64arr, int64_t);

/* Allocates a header plus n zeroed elements; panics when n is negative or too large. */
void *keel_new_array(int64_t n, int64_t elem_size, int64_t type_id, const char *file, int64_t line);

static inline int64_t keel_idx(int64_t i, int64_t len, const char *file, int64_t line) {
  if (KEEL_UNLIKELY((uint64_t)i >= (uint64_t)len)) keel_oob(i, len, file, line);
  return i;
}
static inline void *keel_nn(void *p, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(p == NULL)) keel_null(file, line);
  return p;
}
static inline int64_t keel_clamp_u8(int64_t v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/* ---- number (int64 holding a JavaScript safe integer) ---- */
/* 64-bit division is several times slower than 32-bit division on many x86 cores; most operands
 * fit in 32 bits, so take the short path when they do (as clang does for x86). */
static inline int64_t keel_sdiv(int64_t a, int64_t b) {
  if (((uint64_t)a + 0x80000000u) <= 0xffffffffu && ((uint64_t)b + 0x80000000u) <= 0xffffffffu && b != -1)
    return (int32_t)a / (int32_t)b;
  return a / b;
}
static inline int64_t keel_srem(int64_t a, int64_t b) {
  if (((uint64_t)a + 0x80000000u) <= 0xffffffffu && ((uint64_t)b + 0x80000000u) <= 0xffffffffu && b != -1)
    return (int32_t)a % (int32_t)b;
  return b == -1 ? 0 : a % b;
}
static inline int64_t keel_floordiv(int64_t a, int64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  /* A power of two (page-table spans, sizes): flooring is an arithmetic shift, whatever a's sign. */
  if (b > 0 && (b & (b - 1)) == 0) return a >> __builtin_ctzll((uint64_t)b);
  int64_t q = keel_sdiv(a, b);
  if ((a - q * b != 0) && ((a < 0) != (b < 0))) q -= 1;
  return q;
}
/* Math.ceil(a / b) */
static inline int64_t keel_ceildiv(int64_t a, int64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  int64_t q = keel_sdiv(a, b);
  if ((a - q * b != 0) && ((a < 0) == (b < 0))) q += 1;
  return q;
}
/* Math.round(a / b): Node rounds half up the double nearest to a / b. Below 2^52 that double is
 * never a half the exact quotient is not, so rounding the exact quotient agrees; from 2^52 on it
 * can be, and this finds the double's fraction bits (p of them, rounded to nearest even) to
 * compare it with one half as Node does. */
static inline int64_t keel_rounddiv(int64_t a, int64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  bool neg = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
  uint64_t k = ua / ub, r = ua % ub;
  /* cmp: the fraction of the double |a / b| against 1/2: -1 below, 0 equal, 1 above */
  int cmp;
  if (2 * r == ub) cmp = 0;
  else {
    cmp = 2 * r > ub ? 1 : -1;
    int p = k == 0 ? 53 : 52 - (63 - __builtin_clzll(k));
    uint64_t d = 2 * r > ub ? 2 * r - ub : ub - 2 * r;
    if (r != 0 && p >= 1 && p < 53) {
      /* |fraction - 1/2| * 2^p = d * 2^(p-1) / ub rounds to 0 when d * 2^p < ub (or ties to the
       * even 2^(p-1) when p >= 2) */
      uint64_t below = (ub - 1) >> p;
      bool tie = (ub & ((UINT64_C(1) << p) - 1)) == 0 && d == ub >> p;
      if (d <= below || (tie && p >= 2)) cmp = 0;
    }
  }
  if (!neg) return (int64_t)k + (cmp >= 0 ? 1 : 0);
  return cmp > 0 ? -(int64_t)k - 1 : -(int64_t)k;
}
static inline int64_t keel_sign(int64_t a) { return a > 0 ? 1 : a < 0 ? -1 : 0; }
static inline int64_t keel_clz32(int64_t a) {
  uint32_t u = (uint32_t)(uint64_t)a;
  return u == 0 ? 32 : __builtin_clz(u);
}
static inline bool keel_is_safe(int64_t a) { return a >= -KEEL_SAFE_MAX && a <= KEEL_SAFE_MAX; }
static inline int64_t keel_truncdiv(int64_t a, int64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  return keel_sdiv(a, b);
}
/* (a / b) | 0: ToInt32 of the truncated quotient; x/0 is ±Infinity or NaN, which ToInt32 maps to 0. */
static inline int64_t keel_div_i32(int64_t a, int64_t b) {
  if (b == 0) return 0;
  return (int64_t)(int32_t)(uint32_t)(uint64_t)keel_sdiv(a, b);
}
static inline int64_t keel_mod(int64_t a, int64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  /* A non-negative number modulo a power of two: its low bits. */
  if (a >= 0 && b > 0 && (b & (b - 1)) == 0) return a & (b - 1);
  return keel_srem(a, b);
}
static inline int64_t keel_i32(int64_t a) { return (int64_t)(int32_t)(uint32_t)(uint64_t)a; }
static inline int64_t keel_u32(int64_t a) { return (int64_t)(uint32_t)(uint64_t)a; }
static inline int64_t keel_shl32(int64_t a, int64_t n) {
  return (int64_t)(int32_t)((uint32_t)(uint64_t)a << (n & 31));
}
static inline int64_t keel_sar32(int64_t a, int64_t n) { return (int64_t)((int32_t)(uint32_t)(uint64_t)a >> (n & 31)); }
static inline int64_t keel_shr32(int64_t a, int64_t n) { return (int64_t)((uint32_t)(uint64_t)a >> (n & 31)); }
static inline int64_t keel_imul(int64_t a, int64_t b) {
  return (int64_t)(int32_t)((uint32_t)(uint64_t)a * (uint32_t)(uint64_t)b);
}
static inline int64_t keel_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t keel_max(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t keel_abs(int64_t a) { return a < 0 ? -a : a; }
static inline int64_t keel_pow(int64_t b, int64_t e, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(e < 0)) keel_panic_at("negative exponent", file, line);
  int64_t r = 1;
  while (e > 0) {
    if (e & 1) r = (int64_t)((uint64_t)r * (uint64_t)b);
    e >>= 1;
    if (e > 0) b = (int64_t)((uint64_t)b * (uint64_t)b);
  }
  return r;
}
/* Checked mode: a result outside ±(2^53-1) traps. */
static inline int64_t keel_chk(int64_t v, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(v > KEEL_SAFE_MAX || v < -KEEL_SAFE_MAX)) keel_overflow(file, line);
  return v;
}
static inline int64_t keel_add_c(int64_t a, int64_t b, const char *file, int64_t line) {
  int64_t r;
  if (KEEL_UNLIKELY(__builtin_add_overflow(a, b, &r))) keel_overflow(file, line);
  return keel_chk(r, file, line);
}
static inline int64_t keel_sub_c(int64_t a, int64_t b, const char *file, int64_t line) {
  int64_t r;
  if (KEEL_UNLIKELY(__builtin_sub_overflow(a, b, &r))) keel_overflow(file, line);
  return keel_chk(r, file, line);
}
static inline int64_t keel_mul_c(int64_t a, int64_t b, const char *file, int64_t line) {
  int64_t r;
  if (KEEL_UNLIKELY(__builtin_mul_overflow(a, b, &r))) keel_overflow(file, line);
  return keel_chk(r, file, line);
}
static inline int64_t keel_pow_c(int64_t b, int64_t e, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(e < 0)) keel_panic_at("negative exponent", file, line);
  int64_t r = 1;
  for (int64_t i = 0; i < e; i++) {
    r = keel_mul_c(r, b, file, line);
    if (r == 0 || r == 1) break;
    if (r == -1) { r = ((e - i - 1) & 1) ? 1 : -1; break; }
  }
  return r;
}

/* ---- bigint (uint64 bit pattern) ---- */
static inline uint64_t keel_shl64(uint64_t a, uint64_t n) { return n >= 64 ? 0 : a << n; }
static inline uint64_t keel_shr64(uint64_t a, uint64_t n) { return n >= 64 ? 0 : a >> n; }
static inline uint64_t keel_bdiv(uint64_t a, uint64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  return a / b;
}
static inline uint64_t keel_bmod(uint64_t a, uint64_t b, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(b == 0)) keel_divzero(file, line);
  return a % b;
}
static inline uint64_t keel_big_of(int64_t v, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(v < 0)) keel_panic_at("BigInt() of a negative number", file, line);
  return (uint64_t)v;
}
static inline int64_t keel_num_of_c(uint64_t v, const char *file, int64_t line) {
  if (KEEL_UNLIKELY(v > (uint64_t)KEEL_SAFE_MAX)) keel_overflow(file, line);
  return (int64_t)v;
}

/* ---- strings (NUL-terminated UTF-8 literals) ----
 * The character U+0000 is held as the byte KEEL_NUL_BYTE, which no other character uses (strings
 * are ASCII), so a string containing it still ends at its terminating 0. keel_char_of turns a
 * byte back into its character code; output (keel_write_chars) writes the 0 byte. */
#define KEEL_NUL_BYTE 0x80
static inline int64_t keel_char_of(char c) {
  uint8_t b = (uint8_t)c;
  return b == KEEL_NUL_BYTE ? 0 : (int64_t)b;
}
/* Writes n characters to the program's output: keel_write after mapping KEEL_NUL_BYTE back to 0
 * (in place: the bytes are a builder's, about to be discarded). */
void keel_write_chars(char *buf, int64_t n);
static inline int64_t keel_strlen(const char *s) {
  int64_t n = 0;
  while (s[n]) n++;
  return n;
}
static inline bool keel_streq(const char *a, const char *b) {
  if (a == b) return true;
  if (a == NULL || b == NULL) return false;
  while (*a && *a == *b) { a++; b++; }
  return *a == *b;
}
static inline int64_t keel_char_code(const char *s, int64_t i, const char *file, int64_t line) {
  int64_t n = keel_strlen(s);
  return keel_char_of(s[keel_idx(i, n, file, line)]);
}
/* A relative position as slice, subarray and fill take it: negative counts from the end, clamped
 * to [0, len]. */
static inline int64_t keel_arr_pos(int64_t p, int64_t len) {
  if (p < 0) return p + len < 0 ? 0 : p + len;
  return p > len ? len : p;
}
/* Typed arrays (keel_rt.c): `subarray` is a header of its own over the parent's elements (traced,
 * so the view keeps them alive); `slice` copies. */
void *keel_tarr_view(void *a, int64_t begin, int64_t end, int64_t elem_size, int64_t view_type);
void *keel_tarr_slice(void *a, int64_t begin, int64_t end, int64_t elem_size, int64_t type_id, const char *file, int64_t line);
/* Every one-character string, NUL-terminated in pairs: `s[i]` and `for (const c of s)` take
 * theirs from here, so they allocate nothing (and work in the kernel). Pair 0 holds the character
 * NUL as KEEL_NUL_BYTE, which `& 0x7f` maps there. */
extern const char keel_char_strs[256];
static inline const char *keel_char_str(char c) { return &keel_char_strs[2 * ((uint8_t)c & 0x7f)]; }
/* `s[i] ?? d`: the character, or NULL out of range (out of line, so that gcc does not warn about
 * the read in a branch it has not yet found dead when `s` is a literal). */
const char *keel_str_index_or_null(const char *s, int64_t i);
static inline const char *keel_str_index(const char *s, int64_t i, const char *file, int64_t line) {
  int64_t n = keel_strlen(s);
  return keel_char_str(s[keel_idx(i, n, file, line)]);
}

/* ---- formatting: a string builder over a caller buffer; `flush` builders write through to
 * keel_write when full (console.log), fixed ones panic on overflow (templates passed as strings) ---- */
struct keel_sb {
  char *buf;
  int64_t len;
  int64_t cap;
  bool flush;
  bool heap; /* user/hosted: the buffer is a heap string that grows (keel_sb_init_heap) */
  const char *file;
  int64_t line;
};
static inline void keel_sb_init(struct keel_sb *sb, char *buf, int64_t cap, bool flush, const char *file, int64_t line) {
  sb->buf = buf;
  sb->len = 0;
  sb->cap = cap;
  sb->flush = flush;
  sb->heap = false;
  sb->file = file;
  sb->line = line;
}
void keel_sb_putc(struct keel_sb *sb, char c);
void keel_sb_str(struct keel_sb *sb, const char *s);
void keel_sb_mem(struct keel_sb *sb, const char *s, int64_t n);
void keel_sb_i64(struct keel_sb *sb, int64_t v);
void keel_sb_u64(struct keel_sb *sb, uint64_t v);
void keel_sb_bool(struct keel_sb *sb, bool v);
void keel_sb_radix_i64(struct keel_sb *sb, int64_t v, int64_t radix);
void keel_sb_radix_u64(struct keel_sb *sb, uint64_t v, int64_t radix);
/* Appends `src` (len n) padded to `width` with the repeated `fill` string, before or after. */
void keel_sb_pad(struct keel_sb *sb, const char *src, int64_t n, int64_t width, const char *fill, bool start);
/* Terminates a fixed builder's string and returns it. */
const char *keel_sb_cstr(struct keel_sb *sb);
/* console.log: newline, then write everything out. */
void keel_sb_endline(struct keel_sb *sb);
/* console.log(format, args...) where the format is a string: one argument, tagged with its type
 * (a null string is null). */
enum { KEEL_ARG_NUM, KEEL_ARG_BIG, KEEL_ARG_BOOL, KEEL_ARG_STR };
struct keel_arg {
  int kind;
  int64_t i; /* number; boolean 0 or 1 */
  uint64_t u; /* bigint */
  const char *s; /* string or NULL */
};
/* Node's util.format: substitutes %s %d %i %f %c and %%, then appends the arguments left over. */
void keel_sb_format(struct keel_sb *sb, const char *fmt, const struct keel_arg *args, int64_t n);

#if defined(KEEL_HOSTED) || defined(KEEL_USER)
/* ---- run-time strings (keel_str.c): NUL-terminated ASCII in heap blocks of type
 * KEEL_TYPE_STRING; literals stay static. Positions and lengths are bytes, which for ASCII are
 * JavaScript's UTF-16 code units. Absent optional positions are passed as INT64_MAX. ---- */
#define KEEL_TYPE_STRING 8
void keel_sb_init_heap(struct keel_sb *sb, const char *file, int64_t line);
const char *keel_str_new(const char *p, int64_t n);
const char *keel_str_slice(const char *s, int64_t start, int64_t end);
const char *keel_str_substring(const char *s, int64_t a, int64_t b);
int64_t keel_str_index_of(const char *s, const char *sub, int64_t from);
int64_t keel_str_last_index_of(const char *s, const char *sub, int64_t from);
bool keel_str_starts_with(const char *s, const char *sub, int64_t pos);
bool keel_str_ends_with(const char *s, const char *sub, int64_t end);
const char *keel_str_trim(const char *s, bool start, bool end);
const char *keel_str_case(const char *s, bool upper);
const char *keel_str_char_at(const char *s, int64_t i);
const char *keel_str_repeat(const char *s, int64_t n, const char *file, int64_t line);
void *keel_str_split(const char *s, const char *sep, int64_t array_type, const char *file, int64_t line);
int64_t keel_str_cmp(const char *a, const char *b);
const char *keel_str_from_char(int64_t c, const char *file, int64_t line);
int64_t keel_parse_int(const char *s, int64_t radix, const char *file, int64_t line);
/* ---- Map and Set (keel_map.c) ---- */
enum { KEEL_MAP_BITS = 0, KEEL_MAP_STRING = 1, KEEL_MAP_OBJECT = 2 };
struct keel_map;
struct keel_map *keel_map_new(int64_t kind);
struct keel_map *keel_map_set(struct keel_map *m, uint64_t k, uint64_t v);
bool keel_map_has(const struct keel_map *m, uint64_t k);
uint64_t keel_map_get(const struct keel_map *m, uint64_t k, bool must, const char *file, int64_t line);
bool keel_map_delete(struct keel_map *m, uint64_t k);
void keel_map_clear(struct keel_map *m);
int64_t keel_map_next(const struct keel_map *m, int64_t e);
uint64_t keel_map_key_at(const struct keel_map *m, int64_t e);
uint64_t keel_map_val_at(const struct keel_map *m, int64_t e);
static inline int64_t keel_map_size(const struct keel_map *m) { return *(const int64_t *)(const void *)m; }
/* ---- growable arrays (keel_arr.c) ---- */
void keel_arr_reserve(void *arr, int64_t elem_size, int64_t need, int64_t storage_type);
int64_t keel_sortcmp_i64(const void *x, const void *y, void *f);
int64_t keel_sortcmp_u64(const void *x, const void *y, void *f);
int64_t keel_sortcmp_bool(const void *x, const void *y, void *f);
int64_t keel_sortcmp_ptr(const void *x, const void *y, void *f);
void keel_arr_merge_sort(void *data, int64_t n, int64_t elem_size, int64_t (*cmp)(const void *, const void *, void *), void *fn,
                         int64_t storage_type);
#endif

/* ---- hardware memory accessors (lang/mem.ts) ---- */
static inline int64_t keel_load8(int64_t a) { return *(volatile uint8_t *)(uintptr_t)a; }
static inline int64_t keel_load16(int64_t a) { return *(volatile uint16_t *)(uintptr_t)a; }
static inline int64_t keel_load32(int64_t a) { return *(volatile uint32_t *)(uintptr_t)a; }
static inline uint64_t keel_load64(int64_t a) { return *(volatile uint64_t *)(uintptr_t)a; }
static inline void keel_store8(int64_t a, int64_t v) { *(volatile uint8_t *)(uintptr_t)a = (uint8_t)v; }
static inline void keel_store16(int64_t a, int64_t v) { *(volatile uint16_t *)(uintptr_t)a = (uint16_t)v; }
static inline void keel_store32(int64_t a, int64_t v) { *(volatile uint32_t *)(uintptr_t)a = (uint32_t)v; }
static inline void keel_store64(int64_t a, uint64_t v) { *(volatile uint64_t *)(uintptr_t)a = v; }

/* gcc may emit calls to these even in freestanding code; keel_rt.c defines them there. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#ifdef KEEL_HOSTED
void keel_exit(int code);
#endif

#endif
