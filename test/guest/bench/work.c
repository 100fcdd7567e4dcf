/* CPU workloads of `npm run bench` (our own code): each returns a checksum so
 * the work cannot be optimised away and runs can be compared. */
#include "work.h"

static unsigned char buf[65536];
static unsigned char buf2[65536];

unsigned long work_crc32(int rounds)
{
	unsigned int crc = 0xffffffff;
	for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + 3);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < (int)sizeof buf; i++) {
			crc ^= buf[i];
			for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
		}
	}
	return ~crc;
}

#define N 48
static int ma[N][N], mb[N][N], mc[N][N];

unsigned long work_matmul(int rounds)
{
	unsigned long sum = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) { ma[i][j] = i + j; mb[i][j] = i - j; }
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				int s = 0;
				for (int k = 0; k < N; k++) s += ma[i][k] * mb[k][j];
				mc[i][j] = s + r;
			}
		sum += mc[r % N][(r * 7) % N];
	}
	return sum;
}

unsigned long work_sieve(int rounds)
{
	unsigned long found = 0;
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < (int)sizeof buf; i++) buf[i] = 1;
		for (int i = 2; i * i < (int)sizeof buf; i++)
			if (buf[i])
				for (int j = i * i; j < (int)sizeof buf; j += i) buf[j] = 0;
		for (int i = 2; i < (int)sizeof buf; i++) found += buf[i];
	}
	return found;
}

static void *my_memcpy(void *d, const void *s, unsigned long n)
{
	unsigned long *dw = d;
	const unsigned long *sw = s;
	for (; n >= 8; n -= 8) *dw++ = *sw++;
	unsigned char *db = (unsigned char *)dw;
	const unsigned char *sb = (const unsigned char *)sw;
	while (n--) *db++ = *sb++;
	return d;
}

static void my_memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;
	while (n && ((unsigned long)p & 7)) { *p++ = (unsigned char)c; n--; }
	unsigned long v = 0x0101010101010101ul * (unsigned char)c;
	for (; n >= 8; n -= 8, p += 8) *(unsigned long *)p = v;
	while (n--) *p++ = (unsigned char)c;
}

unsigned long work_memcpy(int rounds)
{
	unsigned long sum = 0;
	for (int r = 0; r < rounds; r++) {
		my_memset(buf, r, sizeof buf);
		my_memcpy(buf2, buf + (r & 7), sizeof buf - 8);
		sum += buf2[r % 1000];
	}
	return sum;
}

static __attribute__((noinline)) unsigned long fib(unsigned long n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

unsigned long work_calls(int rounds)
{
	unsigned long s = 0;
	for (int r = 0; r < rounds; r++) s += fib(22);
	return s;
}

const struct workload WORKLOADS[] = {
	{ "crc32", work_crc32, 12 },
	{ "matmul", work_matmul, 60 },
	{ "sieve", work_sieve, 60 },
	{ "memcpy", work_memcpy, 400 },
	{ "calls", work_calls, 40 },
	{ 0, 0, 0 },
};
