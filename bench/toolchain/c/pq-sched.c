/* Hand-written C for bench/toolchain/programs/pq-sched.ts: same heap, same arithmetic. */
#include <stdint.h>
#include <stdio.h>

#define THREADS 1024
#define STEPS 6000000

static int32_t key[THREADS], ids[THREADS];
static int size;

static inline int less(int a, int b) { return key[a] < key[b] || (key[a] == key[b] && ids[a] < ids[b]); }
static inline void swap(int a, int b) {
  int32_t k = key[a]; key[a] = key[b]; key[b] = k;
  int32_t i = ids[a]; ids[a] = ids[b]; ids[b] = i;
}
static void push(int32_t k, int32_t id) {
  int i = size++;
  key[i] = k; ids[i] = id;
  while (i > 0) {
    int p = (i - 1) >> 1;
    if (!less(i, p)) break;
    swap(i, p);
    i = p;
  }
}
static void pop(void) {
  size--;
  swap(0, size);
  int i = 0;
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < size && less(l, m)) m = l;
    if (r < size && less(r, m)) m = r;
    if (m == i) break;
    swap(i, m);
    i = m;
  }
}

int main(void) {
  static int32_t weight[THREADS];
  for (uint32_t i = 0; i < THREADS; i++) weight[i] = 1 + (int32_t)((i * 2654435761u) % 16);
  for (int i = 0; i < THREADS; i++) push(0, i);
  int32_t sum = 0;
  for (int s = 0; s < STEPS; s++) {
    pop();
    int32_t k = key[size], id = ids[size];
    sum = (int32_t)((uint32_t)sum * 31u + (uint32_t)id);
    push((int32_t)((uint32_t)k + (uint32_t)(1600 / weight[id])), id);
  }
  printf("%d %d %d\n", sum, key[0], ids[0]);
  return 0;
}
