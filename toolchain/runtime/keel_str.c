/* Keel runtime: strings as run-time values in user and hosted programs (the kernel has only
 * literals). A run-time string is NUL-terminated ASCII in a collected heap block of type
 * KEEL_TYPE_STRING; a literal is static. Both are `const char *`, so they mix freely.
 *
 * Every operation follows the ECMAScript definition of the method, restricted to ASCII, where a
 * byte is a UTF-16 code unit: positions clamp as JavaScript clamps them, an absent position
 * arrives as INT64_MAX. Characters outside ASCII panic where they would be made
 * (String.fromCharCode); literals cannot contain them (KEEL0710). NUL is held as the byte
 * KEEL_NUL_BYTE (keel.h), so it counts as one character and does not end the string. */
#include "keel.h"

#if defined(KEEL_HOSTED) || defined(KEEL_USER)

void keel_sb_init_heap(struct keel_sb *sb, const char *file, int64_t line) {
  keel_sb_init(sb, keel_alloc(32, KEEL_TYPE_STRING), 32, false, file, line);
  sb->heap = true;
}

const char *keel_str_new(const char *p, int64_t n) {
  char *s = keel_alloc(n + 1, KEEL_TYPE_STRING);
  memcpy(s, p, (size_t)n);
  s[n] = 0;
  return s;
}

static int64_t clampi(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

const char *keel_str_slice(const char *s, int64_t start, int64_t end) {
  int64_t n = keel_strlen(s);
  int64_t a = start < 0 ? clampi(n + start, 0, n) : clampi(start, 0, n);
  int64_t b = end < 0 ? clampi(n + end, 0, n) : clampi(end, 0, n);
  if (a == 0 && b == n) return s;
  return keel_str_new(s + a, b > a ? b - a : 0);
}

const char *keel_str_substring(const char *s, int64_t x, int64_t y) {
  int64_t n = keel_strlen(s);
  int64_t a = clampi(x, 0, n), b = clampi(y, 0, n);
  if (a > b) {
    int64_t t = a;
    a = b;
    b = t;
  }
  if (a == 0 && b == n) return s;
  return keel_str_new(s + a, b - a);
}

static bool match_at(const char *s, const char *sub, int64_t at, int64_t m) {
  for (int64_t i = 0; i < m; i++)
    if (s[at + i] != sub[i]) return false;
  return true;
}

int64_t keel_str_index_of(const char *s, const char *sub, int64_t from) {
  int64_t n = keel_strlen(s), m = keel_strlen(sub);
  for (int64_t i = clampi(from, 0, n); i + m <= n; i++)
    if (match_at(s, sub, i, m)) return i;
  return -1;
}

int64_t keel_str_last_index_of(const char *s, const char *sub, int64_t from) {
  int64_t n = keel_strlen(s), m = keel_strlen(sub);
  for (int64_t i = clampi(from, 0, n - m); i >= 0; i--)
    if (match_at(s, sub, i, m)) return i;
  return -1;
}

bool keel_str_starts_with(const char *s, const char *sub, int64_t pos) {
  int64_t n = keel_strlen(s), m = keel_strlen(sub);
  int64_t a = clampi(pos, 0, n);
  return a + m <= n && match_at(s, sub, a, m);
}

bool keel_str_ends_with(const char *s, const char *sub, int64_t end) {
  int64_t n = keel_strlen(s), m = keel_strlen(sub);
  int64_t e = clampi(end, 0, n);
  return e - m >= 0 && match_at(s, sub, e - m, m);
}

/* JavaScript's white space and line terminators, within ASCII. */
static bool is_space(char c) { return c == ' ' || (c >= 9 && c <= 13); }

const char *keel_str_trim(const char *s, bool start, bool end) {
  int64_t n = keel_strlen(s), a = 0, b = n;
  if (start)
    while (a < b && is_space(s[a])) a++;
  if (end)
    while (b > a && is_space(s[b - 1])) b--;
  if (a == 0 && b == n) return s;
  return keel_str_new(s + a, b - a);
}

const char *keel_str_case(const char *s, bool upper) {
  int64_t n = keel_strlen(s);
  char *r = (char *)keel_str_new(s, n);
  for (int64_t i = 0; i < n; i++) {
    char c = r[i];
    if (upper && c >= 'a' && c <= 'z') r[i] = (char)(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') r[i] = (char)(c + 32);
  }
  return r;
}

const char *keel_str_char_at(const char *s, int64_t i) {
  int64_t n = keel_strlen(s);
  if (i < 0 || i >= n) return "";
  return keel_str_new(s + i, 1);
}

const char *keel_str_repeat(const char *s, int64_t count, const char *file, int64_t line) {
  if (count < 0) keel_panic_at("Invalid count value: negative repeat count", file, line);
  int64_t n = keel_strlen(s);
  if (n != 0 && count > (INT64_C(1) << 40) / n) keel_panic_at("Invalid string length", file, line);
  char *r = keel_alloc(n * count + 1, KEEL_TYPE_STRING);
  for (int64_t i = 0; i < count; i++) memcpy(r + i * n, s, (size_t)n);
  return r;
}

/* s.split(sep): an array of strings (struct { length; const char **data; }). */
void *keel_str_split(const char *s, const char *sep, int64_t array_type, const char *file, int64_t line) {
  int64_t n = keel_strlen(s), m = keel_strlen(sep);
  int64_t parts;
  if (m == 0) parts = n;
  else {
    parts = 1;
    for (int64_t i = 0; i + m <= n;)
      if (match_at(s, sep, i, m)) {
        parts++;
        i += m;
      } else i++;
  }
  struct { int64_t length; const char **data; } *a = keel_new_array(parts, 8, array_type, file, line);
  if (m == 0) {
    for (int64_t i = 0; i < n; i++) a->data[i] = keel_str_new(s + i, 1);
    return a;
  }
  int64_t k = 0, from = 0;
  for (int64_t i = 0; i + m <= n;)
    if (match_at(s, sep, i, m)) {
      a->data[k++] = keel_str_new(s + from, i - from);
      i += m;
      from = i;
    } else i++;
  a->data[k] = keel_str_new(s + from, n - from);
  return a;
}

/* Code-unit order, as JavaScript's < on strings. */
int64_t keel_str_cmp(const char *a, const char *b) {
  while (*a && *a == *b) {
    a++;
    b++;
  }
  /* the end of a string (-1) orders before every character, NUL (0) included */
  int64_t x = *a ? keel_char_of(*a) : -1, y = *b ? keel_char_of(*b) : -1;
  return x - y;
}

const char *keel_str_from_char(int64_t c, const char *file, int64_t line) {
  int64_t u = (int64_t)(uint16_t)(uint64_t)c;
  if (u >= 128) keel_panic_at("String.fromCharCode: only ASCII characters are supported", file, line);
  char ch = u == 0 ? (char)KEEL_NUL_BYTE : (char)u;
  return keel_str_new(&ch, 1);
}

/* Number.parseInt(s, radix): leading white space, a sign, "0x" for radix 16 or 0, the longest
 * run of digits. No digits is NaN in JavaScript, which a number cannot hold: a panic. */
int64_t keel_parse_int(const char *s, int64_t radix, const char *file, int64_t line) {
  radix = (int64_t)(int32_t)(uint32_t)(uint64_t)radix;
  while (is_space(*s)) s++;
  int64_t sign = 1;
  if (*s == '+' || *s == '-') {
    if (*s == '-') sign = -1;
    s++;
  }
  bool strip = true;
  if (radix != 0) {
    if (radix < 2 || radix > 36) keel_panic_at("parseInt: NaN (radix out of range)", file, line);
    if (radix != 16) strip = false;
  } else radix = 10;
  if (strip && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    radix = 16;
  }
  int64_t v = 0, digits = 0;
  for (;; s++, digits++) {
    int64_t d;
    char c = *s;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
    else break;
    if (d >= radix) break;
    if (v > (KEEL_SAFE_MAX - d) / radix) keel_panic_at("parseInt: result beyond the safe integer range", file, line);
    v = v * radix + d;
  }
  if (digits == 0) keel_panic_at("parseInt: NaN (no digits)", file, line);
  return sign * v;
}

#else
typedef int keel_str_kernel_has_literals_only;
#endif
