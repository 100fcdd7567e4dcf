// -O3 loops gcc vectorises with Advanced SIMD (ours): integer sums, saturating-style
// clamps, widening multiplies, byte maps, min/max reductions, float dot products.
#include "sys.h"
int printf(const char *fmt, ...);

#define N 1000
static unsigned char bytes[N];
static short s16[N];
static int a32[N], b32[N], c32[N];
static long l64[N];
static float fa[N], fb[N];
static double da[N];

__attribute__((noinline)) static void fill(void) {
	unsigned x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		bytes[i] = x >> 16; s16[i] = (short)(x >> 8); a32[i] = (int)x >> 3; b32[i] = (int)(x ^ 0x5555) >> 7;
		l64[i] = (long)x * 77; fa[i] = (float)(int)(x >> 20) * 0.125f; fb[i] = (float)i * 0.5f - 100.0f; da[i] = (x >> 12) * 1e-3;
	}
}

__attribute__((noinline)) static void kernels(void) {
	unsigned sum8 = 0; for (int i = 0; i < N; i++) sum8 += bytes[i];
	int sum16 = 0; for (int i = 0; i < N; i++) sum16 += s16[i];
	for (int i = 0; i < N; i++) c32[i] = a32[i] * 3 + (b32[i] >> 2) - (a32[i] & b32[i]);
	long dot = 0; for (int i = 0; i < N; i++) dot += (long)a32[i] * b32[i];
	int mx = a32[0], mn = a32[0]; for (int i = 0; i < N; i++) { mx = a32[i] > mx ? a32[i] : mx; mn = a32[i] < mn ? a32[i] : mn; }
	unsigned char clamp[N]; for (int i = 0; i < N; i++) { int v = bytes[i] * 2 - 60; clamp[i] = v < 0 ? 0 : v > 255 ? 255 : v; }
	unsigned ch = 0; for (int i = 0; i < N; i++) ch = ch * 33 + clamp[i];
	long lsum = 0; for (int i = 0; i < N; i++) lsum += l64[i] ^ (l64[i] >> 5);
	int cnt = 0; for (int i = 0; i < N; i++) cnt += (c32[i] & 1) == 0;
	unsigned csum = 0; for (int i = 0; i < N; i++) csum += c32[i];
	short sh[N]; for (int i = 0; i < N; i++) sh[i] = (short)((s16[i] * (short)bytes[i]) >> 4);
	int shs = 0; for (int i = 0; i < N; i++) shs += sh[i];
	float fdot = 0; for (int i = 0; i < N; i++) fdot += fa[i] * fb[i];
	float fmax = fa[0]; for (int i = 0; i < N; i++) fmax = fa[i] > fmax ? fa[i] : fmax;
	for (int i = 0; i < N; i++) fb[i] = fb[i] * 0.75f + fa[i];
	float fs = 0; for (int i = 0; i < N; i++) fs += fb[i];
	double dsum = 0; for (int i = 0; i < N; i++) dsum += da[i] * da[i];
	int conv = 0; for (int i = 0; i < N; i++) conv += (int)(fb[i] * 4.0f);
	printf("sum8 %u sum16 %d csum %u dot %ld max %d min %d clamp %x lsum %ld even %d shs %d\n",
	       sum8, sum16, csum, dot, mx, mn, ch, lsum, cnt, shs);
	printf("fdot %f fmax %f fs %f dsum %.6f conv %d\n", (double)fdot, (double)fmax, (double)fs, dsum, conv);
}

void vector_tests(void) {
	fill();
	kernels();
}
