/* Keel runtime: Map and Set in user and hosted programs. One structure serves every key and
 * value type: keys and values are 64-bit slots (numbers, bigints, booleans, pointers), compared
 * by kind: bit patterns (numbers, bigints, booleans; JavaScript's SameValueZero, since C numbers
 * have no -0 or NaN), string contents, or object identity.
 *
 * Entries live in insertion order in two arrays (keys, values), which iteration walks, as
 * JavaScript iterates Maps and Sets; an open-addressing hash index holds entry numbers. Delete
 * marks its entry dead (and clears it, so the collector does not keep what it referred to); dead
 * entries are squeezed out when the arrays are full and are rebuilt. */
#include "keel.h"

#if defined(KEEL_HOSTED) || defined(KEEL_USER)

#define KEEL_TYPE_MAP 9
#define KEEL_TYPE_MAP_STORAGE 10
#define KEEL_TYPE_MAP_INDEX 11

struct keel_map {
  int64_t size; /* live entries */
  int64_t used; /* entries written, dead ones included */
  int64_t cap;
  int64_t kind; /* KEEL_MAP_BITS, KEEL_MAP_STRING, KEEL_MAP_OBJECT */
  uint64_t *keys;
  uint64_t *vals;
  uint8_t *dead;
  int32_t *index; /* entry + 1, 0 when empty; icap slots */
  int64_t icap;
};

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= UINT64_C(0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= UINT64_C(0xc4ceb9fe1a85ec53);
  return x ^ (x >> 33);
}

static uint64_t hash(const struct keel_map *m, uint64_t k) {
  if (m->kind != KEEL_MAP_STRING) return mix(k);
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (const char *s = (const char *)(uintptr_t)k; *s; s++) h = (h ^ (uint8_t)*s) * UINT64_C(0x100000001b3);
  return mix(h);
}

static bool same(const struct keel_map *m, uint64_t a, uint64_t b) {
  if (m->kind == KEEL_MAP_STRING) return keel_streq((const char *)(uintptr_t)a, (const char *)(uintptr_t)b);
  return a == b;
}

struct keel_map *keel_map_new(int64_t kind) {
  struct keel_map *m = keel_alloc(sizeof(struct keel_map), KEEL_TYPE_MAP);
  m->kind = kind;
  return m;
}

/* The entry holding `k`, or -1. */
static int64_t find(const struct keel_map *m, uint64_t k) {
  if (m->icap == 0) return -1;
  for (uint64_t i = hash(m, k) & (uint64_t)(m->icap - 1);; i = (i + 1) & (uint64_t)(m->icap - 1)) {
    int32_t e = m->index[i];
    if (e == 0) return -1;
    if (!m->dead[e - 1] && same(m, m->keys[e - 1], k)) return e - 1;
  }
}

static void rebuild(struct keel_map *m, int64_t cap) {
  uint64_t *keys = keel_alloc(cap * 8, KEEL_TYPE_MAP_STORAGE);
  uint64_t *vals = keel_alloc(cap * 8, KEEL_TYPE_MAP_STORAGE);
  uint8_t *dead = keel_alloc(cap, KEEL_TYPE_MAP_INDEX);
  int64_t icap = 16;
  while (icap < cap * 2) icap *= 2;
  int32_t *index = keel_alloc(icap * 4, KEEL_TYPE_MAP_INDEX);
  int64_t n = 0;
  for (int64_t e = 0; e < m->used; e++) {
    if (m->dead[e]) continue;
    keys[n] = m->keys[e];
    vals[n] = m->vals[e];
    uint64_t i = hash(m, keys[n]) & (uint64_t)(icap - 1);
    while (index[i] != 0) i = (i + 1) & (uint64_t)(icap - 1);
    index[i] = (int32_t)(n + 1);
    n++;
  }
  m->keys = keys;
  m->vals = vals;
  m->dead = dead;
  m->index = index;
  m->icap = icap;
  m->cap = cap;
  m->used = n;
}

struct keel_map *keel_map_set(struct keel_map *m, uint64_t k, uint64_t v) {
  int64_t e = find(m, k);
  if (e >= 0) {
    m->vals[e] = v;
    return m;
  }
  if (m->used == m->cap) rebuild(m, m->size * 2 > 8 ? m->size * 2 : 8);
  if (m->cap > INT32_MAX / 2) keel_panic("Map or Set too large");
  e = m->used++;
  m->keys[e] = k;
  m->vals[e] = v;
  uint64_t i = hash(m, k) & (uint64_t)(m->icap - 1);
  while (m->index[i] != 0) i = (i + 1) & (uint64_t)(m->icap - 1);
  m->index[i] = (int32_t)(e + 1);
  m->size++;
  return m;
}

bool keel_map_has(const struct keel_map *m, uint64_t k) { return find(m, k) >= 0; }

uint64_t keel_map_get(const struct keel_map *m, uint64_t k, bool must, const char *file, int64_t line) {
  int64_t e = find(m, k);
  if (e >= 0) return m->vals[e];
  if (must) keel_panic_at("Map.get of a missing key (undefined in JavaScript, which a number or boolean cannot hold)", file, line);
  return 0;
}

bool keel_map_delete(struct keel_map *m, uint64_t k) {
  int64_t e = find(m, k);
  if (e < 0) return false;
  m->dead[e] = 1;
  m->vals[e] = 0;
  m->size--;
  return true;
}

void keel_map_clear(struct keel_map *m) {
  for (int64_t e = 0; e < m->used; e++) {
    m->dead[e] = 1;
    m->vals[e] = 0;
  }
  m->size = 0;
}

/* Iteration: the first live entry at or after `e`, or -1 when there is none. Entries added while
 * iterating are visited, deleted ones are not, as in JavaScript (adding may rebuild the arrays,
 * which moves later entries to lower positions: an iteration that adds keys may then skip some). */
int64_t keel_map_next(const struct keel_map *m, int64_t e) {
  while (e < m->used && m->dead[e]) e++;
  return e < m->used ? e : -1;
}
uint64_t keel_map_key_at(const struct keel_map *m, int64_t e) { return m->keys[e]; }
uint64_t keel_map_val_at(const struct keel_map *m, int64_t e) { return m->vals[e]; }

#else
typedef int keel_map_kernel_has_no_collections;
#endif
