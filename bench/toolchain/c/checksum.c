/* Hand-written C for bench/toolchain/programs/checksum.ts. */
#include <stdint.h>
#include <stdio.h>

#define SIZE (1 << 20)
#define ROUNDS 96

static uint32_t table[256];
static uint8_t buf[SIZE];

static uint32_t crc32(const uint8_t *b, size_t n, uint32_t init) {
  uint32_t c = init ^ 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = table[(c ^ b[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}
static uint32_t adler32(const uint8_t *b, size_t n, uint32_t init) {
  uint32_t a = init & 0xffff, s = init >> 16;
  for (size_t i = 0; i < n; i++) {
    a += b[i];
    if (a >= 65521) a -= 65521;
    s += a;
    if (s >= 65521) s -= 65521;
  }
  return (s << 16) | a;
}

int main(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  int32_t seed = 12345;
  for (int i = 0; i < SIZE; i++) {
    seed = (int32_t)((uint32_t)seed * 1103515245u + 12345u);
    buf[i] = (uint8_t)((uint32_t)seed >> 24);
  }
  uint32_t crc = 0, adler = 1;
  for (int r = 0; r < ROUNDS; r++) {
    crc = crc32(buf, SIZE, crc);
    adler = adler32(buf, SIZE, adler);
    buf[r] = (uint8_t)(crc & 0xff);
  }
  printf("%u %u\n", crc, adler);
  return 0;
}
