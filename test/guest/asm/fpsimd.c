// FP/SIMD C for the assembler test: gcc -O2/-O3/-Os turns it into scalar FP, vectorised
// loops, struct copies and varargs; build.sh assembles gcc's output with GNU as for the reference.
#include <stdint.h>
#include <string.h>
#include <stdarg.h>
typedef struct { double a, b, c, d; float e[6]; } S;
void vadd(float *restrict a, const float *restrict b, const float *restrict c, int n) { for (int i = 0; i < n; i++) a[i] = b[i] * c[i] + 2.5f; }
void vaddd(double *restrict a, const double *restrict b, int n) { for (int i = 0; i < n; i++) a[i] = a[i] * 0.75 - b[i]; }
int32_t isum(const int32_t *a, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
uint8_t bmax(const uint8_t *a, int n) { uint8_t m = 0; for (int i = 0; i < n; i++) m = a[i] > m ? a[i] : m; return m; }
void i16mul(int16_t *a, const int16_t *b, int n) { for (int i = 0; i < n; i++) a[i] = (a[i] * b[i]) >> 3; }
void widen(int32_t *a, const int16_t *b, int n) { for (int i = 0; i < n; i++) a[i] = b[i] * 7; }
void narrow(uint8_t *a, const uint16_t *b, int n) { for (int i = 0; i < n; i++) a[i] = b[i] >> 4; }
void cvt(int32_t *a, const float *b, int n) { for (int i = 0; i < n; i++) a[i] = (int32_t)b[i]; }
void cvt2(double *a, const int64_t *b, int n) { for (int i = 0; i < n; i++) a[i] = (double)b[i] / 3.0; }
void copy(S *d, const S *s) { *d = *s; }
void zero(S *d) { memset(d, 0, sizeof *d); }
double fm(double x, double y, double z) { return __builtin_fma(x, y, z) + __builtin_sqrt(x) + __builtin_fabs(y); }
float fmn(float x, float y) { return __builtin_fminf(x, y) + __builtin_fmaxf(x, y) + __builtin_floorf(x) + __builtin_ceilf(y) + __builtin_truncf(x) + __builtin_roundf(y) + __builtin_rintf(x); }
long f2l(double x) { return (long)x + (long)__builtin_lround(x); }
unsigned f2u(float x) { return (unsigned)x; }
double u2d(unsigned long x) { return (double)x; }
float d2f(double x) { return (float)x; }
int cmp(double a, double b) { return a < b ? 1 : a == b ? 2 : 3; }
double sel(double a, double b, int c) { return c ? a : b; }
int va(int n, ...) { va_list ap; va_start(ap, n); double s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, double); va_end(ap); return (int)s; }
void rev(uint32_t *a, int n) { for (int i = 0; i < n; i++) a[i] = __builtin_bswap32(a[i]); }
void interleave(float *o, const float *x, const float *y, int n) { for (int i = 0; i < n; i++) { o[2*i] = x[i]; o[2*i+1] = y[i]; } }
void deint(float *x, float *y, const float *in, int n) { for (int i = 0; i < n; i++) { x[i] = in[3*i]; y[i] = in[3*i+1] + in[3*i+2]; } }
int64_t dot(const int32_t *a, const int32_t *b, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += (int64_t)a[i] * b[i]; return s; }
void sat(uint8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) { int v = a[i] + b[i]; a[i] = v > 255 ? 255 : v; } }
float hsum(const float *a) { float s = 0; for (int i = 0; i < 64; i++) s += a[i]; return s; }
_Float16 h(float x) { return (_Float16)x; }
float hh(_Float16 x) { return x; }
void absd(int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) a[i] = __builtin_abs(a[i] - b[i]); }
void bits(uint64_t *a, int n) { for (int i = 0; i < n; i++) a[i] = (a[i] << 3) | (a[i] >> 61); }
