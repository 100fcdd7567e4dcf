// FP/SIMD test program (ours), built WITHOUT -mgeneral-regs-only: gcc saves q0-q7 in
// varargs functions, copies structs through q registers, does float/double maths and
// conversions in FP registers. Output through semihosting; must equal QEMU's.
#include <stdarg.h>
#include "sys.h"

typedef unsigned long u64;
typedef unsigned int u32;

/* ---- a small printf with %d %u %x %lx %s %c %f %e %g (precision), written here ---- */
static void out_uint(u64 v, int base, int width, char pad) {
	char buf[32]; int n = 0;
	do { buf[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
	while (n < width--) put_char(pad);
	while (n) put_char(buf[--n]);
}
static void out_fixed(double x, int prec) {
	if (x != x) { put_str("nan"); return; }
	if (x < 0 || (x == 0 && 1 / x < 0)) { put_char('-'); x = -x; }
	if (x > 1.8e19) { put_str(x > 1.7e308 ? "inf" : "big"); return; }
	double r = 0.5; for (int i = 0; i < prec; i++) r /= 10;
	x += r;
	u64 ip = (u64)x; double f = x - (double)ip;
	out_uint(ip, 10, 0, ' ');
	if (prec) put_char('.');
	for (int i = 0; i < prec; i++) { f *= 10; int d = (int)f; put_char('0' + d); f -= d; }
}
static void out_exp(double x, int prec) {
	if (x != x) { put_str("nan"); return; }
	if (x < 0 || (x == 0 && 1 / x < 0)) { put_char('-'); x = -x; }
	if (x > 1.7976931348623157e308) { put_str("inf"); return; }
	int e = 0;
	if (x != 0) { while (x >= 10) { x /= 10; e++; } while (x < 1) { x *= 10; e--; } }
	double r = 0.5; for (int i = 0; i < prec; i++) r /= 10;
	if (x + r >= 10) { x /= 10; e++; }
	out_fixed(x, prec);
	put_char('e'); put_char(e < 0 ? '-' : '+'); out_uint(e < 0 ? -e : e, 10, 2, '0');
}
int printf(const char *fmt, ...) {
	va_list ap; va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') { put_char(*fmt); continue; }
		fmt++;
		int prec = 6, lng = 0, width = 0; char pad = ' ';
		if (*fmt == '0') { pad = '0'; fmt++; }
		while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') { prec = 0; fmt++; while (*fmt >= '0' && *fmt <= '9') prec = prec * 10 + (*fmt++ - '0'); }
		while (*fmt == 'l') { lng = 1; fmt++; }
		switch (*fmt) {
		case 'd': { long v = lng ? va_arg(ap, long) : va_arg(ap, int); if (v < 0) { put_char('-'); v = -v; } out_uint(v, 10, width, pad); break; }
		case 'u': out_uint(lng ? va_arg(ap, u64) : va_arg(ap, u32), 10, width, pad); break;
		case 'x': out_uint(lng ? va_arg(ap, u64) : va_arg(ap, u32), 16, width, pad); break;
		case 's': put_str(va_arg(ap, const char *)); break;
		case 'c': put_char((char)va_arg(ap, int)); break;
		case 'f': out_fixed(va_arg(ap, double), prec); break;
		case 'e': out_exp(va_arg(ap, double), prec); break;
		case 'g': { double v = va_arg(ap, double); double a = v < 0 ? -v : v;
			if (a != 0 && (a < 1e-4 || a >= 1e15)) out_exp(v, prec); else out_fixed(v, prec); break; }
		default: put_char(*fmt);
		}
	}
	va_end(ap);
	return 0;
}

/* ---- helpers around the FP control and status registers ---- */
static u64 get_fpsr(void) { u64 v; __asm__ volatile("mrs %0, fpsr" : "=r"(v) : : "memory"); return v; }
static void set_fpsr(u64 v) { __asm__ volatile("msr fpsr, %0" : : "r"(v) : "memory"); }
static void set_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v) : "memory"); }
/* Keeps an FP operation between the FPSR/FPCR accesses around it: its operands come from
   memory after the first access and its result goes to memory before the second. */
static double opd(volatile double *p) { return *p; }
static u64 bits_d(double d) { union { double d; u64 u; } x = { .d = d }; return x.u; }
static u32 bits_f(float f) { union { float f; u32 u; } x = { .f = f }; return x.u; }
static double from_bits(u64 u) { union { double d; u64 u; } x = { .u = u }; return x.d; }

volatile double vd[8] = { 1.0, 3.0, -2.5, 1e-310, 1e300, 0.1, 7.0, -0.0 };
volatile float vf[4] = { 1.0f, 3.0f, 16777217.0f, 1e-40f };

static void arithmetic(void) {
	double a = vd[0], b = vd[1], c = vd[2], tiny = vd[3], huge = vd[4];
	printf("1/3 = %.17f  bits %lx\n", a / b, bits_d(a / b));
	printf("sqrt(2) = %.15f  fma(0.1,10,-1) = %e\n", __builtin_sqrt(a + a), __builtin_fma(vd[5], 10.0, -a));
	printf("c*c - b = %f, -c = %g, |c| = %g\n", c * c - b, -c, __builtin_fabs(c));
	printf("huge*huge = %e  tiny/huge = %e  tiny*tiny bits %lx\n", huge * huge, tiny / huge, bits_d(tiny * tiny));
	float f = vf[0] / vf[1];
	printf("1/3f = %.9f bits %x; 16777217f bits %x; float(1e-40) bits %x\n", (double)f, bits_f(f), bits_f(vf[2]), bits_f(vf[3]));
	printf("min %g max %g\n", __builtin_fmin(a, c), __builtin_fmax(a, c));
	double nan = from_bits(0x7ff0000000000001ul); /* signalling NaN */
	volatile double vnan = nan, q, z;
	set_fpsr(0);
	q = opd(&vnan) + opd(&vd[0]);
	u64 s1 = get_fpsr();
	printf("sNaN + 1 = %lx, FPSR = %lx\n", bits_d(q), s1);
	set_fpsr(0);
	z = opd(&vd[0]) / opd(&vd[7]);
	s1 = get_fpsr();
	printf("1/-0 = %g, FPSR = %lx\n", (double)z, s1);
	set_fpsr(0);
	z = opd(&vd[4]) * opd(&vd[4]);
	s1 = get_fpsr();
	printf("1e300^2 = %g, FPSR = %lx\n", (double)z, s1);
	set_fpsr(0);
	volatile double inexact = opd(&vd[0]) / opd(&vd[1]) * 3.0;
	s1 = get_fpsr();
	printf("(1/3)*3 = %.17g, FPSR = %lx\n", (double)inexact, s1);
}

static void conversions(void) {
	static const double in[] = { 2.5, -2.5, 3.5, -0.5, 1e20, -1e20, 4294967296.5, -1.0, 0.49999999999999994 };
	for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
		volatile double x = in[i];
		set_fpsr(0);
		volatile int si = (int)x; volatile unsigned ui = (unsigned)x; volatile long sl = (long)x; volatile unsigned long ul = (unsigned long)x;
		volatile double r1 = __builtin_round(x), r2 = __builtin_floor(x), r3 = __builtin_ceil(x), r4 = __builtin_trunc(x);
		u64 s = get_fpsr();
		printf("%g: int %d uint %u long %ld ulong %lu round %g floor %g ceil %g trunc %g FPSR %lx\n", (double)x, si, ui, sl, ul,
		       (double)r1, (double)r2, (double)r3, (double)r4, s);
	}
	volatile long big = 9007199254740993L;
	volatile unsigned long ubig = 18446744073709551615ul;
	printf("(double)%ld = %lx, (double)%lu = %lx, (float)%ld = %x\n", (long)big, bits_d((double)big), (u64)ubig, bits_d((double)ubig), (long)big, bits_f((float)big));
	volatile float fl = 0.1f;
	printf("(double)0.1f = %.20f, (float)0.1 = %x\n", (double)fl, bits_f((float)vd[5]));
	/* Every rounding mode on the same division and conversion. */
	static const char *mode[4] = { "RN", "RP", "RM", "RZ" };
	for (int m = 0; m < 4; m++) {
		set_fpcr((u64)m << 22);
		volatile double q = vd[0] / vd[1];
		volatile double n = -vd[0] / vd[1];
		volatile float f = (float)q;
		double r = __builtin_nearbyint(vd[2]);
		set_fpcr(0);
		printf("%s: 1/3 %lx -1/3 %lx (float) %x nearbyint(-2.5) %g\n", mode[m], bits_d(q), bits_d(n), bits_f(f), r);
	}
	/* Flush-to-zero: a denormal input and a denormal result. */
	set_fpcr(1ul << 24); set_fpsr(0);
	volatile double fz = vd[3] * 2.0;
	volatile double fz2 = 2.2250738585072014e-308 * vd[5];
	u64 s = get_fpsr();
	set_fpcr(0);
	printf("FZ: 1e-310*2 = %lx, minnormal*0.1 = %lx, FPSR %lx\n", bits_d(fz), bits_d(fz2), s);
	set_fpcr(1ul << 25); /* default NaN */
	volatile double dn = from_bits(0x7ff8000000000123ul) * vd[0];
	set_fpcr(0);
	volatile double pn = from_bits(0x7ff8000000000123ul) * vd[0];
	printf("DN: %lx, propagated: %lx\n", bits_d(dn), bits_d(pn));
}

/* ---- struct copies (gcc copies these through q registers) ---- */
struct big { double d[6]; long l[5]; char name[24]; };
static struct big make(int k) {
	struct big b;
	for (int i = 0; i < 6; i++) b.d[i] = k * 1.5 + i;
	for (int i = 0; i < 5; i++) b.l[i] = k * 1000 + i;
	for (int i = 0; i < 23; i++) b.name[i] = 'a' + (k + i) % 26;
	b.name[23] = 0;
	return b;
}
static void structs(void) {
	struct big a = make(3), b;
	b = a;
	b.d[2] += 0.25;
	struct big arr[4];
	for (int i = 0; i < 4; i++) arr[i] = i & 1 ? a : b;
	double sum = 0; long ls = 0;
	for (int i = 0; i < 4; i++) { for (int j = 0; j < 6; j++) sum += arr[i].d[j]; for (int j = 0; j < 5; j++) ls += arr[i].l[j]; }
	printf("structs: %s %f %ld\n", arr[2].name, sum, ls);
	char buf[100];
	__builtin_memset(buf, 0x5a, sizeof buf);
	__builtin_memcpy(buf + 3, a.name, 20);
	u64 h = 0; for (int i = 0; i < 100; i++) h = h * 31 + (unsigned char)buf[i];
	printf("memset/memcpy hash %lx\n", h);
}

/* ---- a float FFT-like butterfly and a matrix product ---- */
static void maths(void) {
	double re[16], im[16];
	for (int i = 0; i < 16; i++) { re[i] = (i * 7 % 5) - 2.0; im[i] = 0; }
	/* radix-2 DFT by definition with a Taylor cosine (no libm) */
	double acc = 0;
	for (int k = 0; k < 16; k++) {
		double sr = 0, si = 0;
		for (int n = 0; n < 16; n++) {
			double t = 2 * 3.141592653589793 * k * n / 16;
			while (t > 3.141592653589793) t -= 2 * 3.141592653589793;
			double t2 = t * t, c = 1, s = t, term = 1, sterm = t;
			for (int j = 1; j < 12; j++) { term *= -t2 / ((2 * j - 1) * (2 * j)); c += term; sterm *= -t2 / ((2 * j) * (2 * j + 1)); s += sterm; }
			sr += re[n] * c + im[n] * s; si += im[n] * c - re[n] * s;
		}
		acc += sr * sr + si * si;
		if (k < 4) printf("X[%d] = %.6f %.6f\n", k, sr, si);
	}
	printf("energy %.6f\n", acc);
	float m[4][4], n2[4][4], p[4][4];
	for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) { m[i][j] = i + j * 0.5f; n2[i][j] = (i == j) ? 2.0f : 0.25f; }
	for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) { float s = 0; for (int k = 0; k < 4; k++) s += m[i][k] * n2[k][j]; p[i][j] = s; }
	printf("matrix row0 %f %f %f %f\n", (double)p[0][0], (double)p[0][1], (double)p[0][2], (double)p[0][3]);
}

void vector_tests(void);
void crypto_tests(void);

int main(void) {
	printf("FP/SIMD test program\n");
	arithmetic();
	conversions();
	structs();
	maths();
	vector_tests();
	crypto_tests();
	printf("done\n");
	return 0;
}
