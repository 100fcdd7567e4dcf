// Semihosting console and the exception handler of the FP/SIMD test program (ours).
// Built with -mgeneral-regs-only: this code runs before FP is enabled.
#include "sys.h"

static long semihost(long op, const void *arg) {
	register long x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = arg;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void put_char(char c) { semihost(0x03, &c); }
void put_str(const char *s) { while (*s) put_char(*s++); }
void put_hex(unsigned long v, int digits) {
	for (int i = digits - 1; i >= 0; i--) put_char("0123456789abcdef"[(v >> (i * 4)) & 15]);
}

void semihost_exit(void) {
	static const unsigned long block[2] = { 0x20026, 0 };
	semihost(0x18, block);
	for (;;) {}
}

static int traps;

/* EC 0x07 (SIMD&FP access trapped by CPACR_EL1.FPEN): report, enable FP, retry the instruction. */
unsigned long sync_handler(unsigned long esr, unsigned long elr, unsigned long far) {
	unsigned long ec = esr >> 26;
	(void)far;
	put_str("sync exception: EC=0x"); put_hex(ec, 2); put_str(" ESR=0x"); put_hex(esr, 8); put_str("\n");
	if (ec == 0x07 && traps++ == 0) {
		unsigned long cpacr;
		__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
		put_str("CPACR_EL1=0x"); put_hex(cpacr, 8); put_str(", enabling FP\n");
		cpacr |= 3ul << 20;
		__asm__ volatile("msr cpacr_el1, %0; isb" : : "r"(cpacr));
		return elr;
	}
	put_str("unexpected\n");
	semihost_exit();
	return elr;
}

void unexpected_exception(unsigned long esr, unsigned long elr, unsigned long far) {
	put_str("unexpected exception ESR=0x"); put_hex(esr, 8);
	put_str(" ELR=0x"); put_hex(elr, 8); put_str(" FAR=0x"); put_hex(far, 8); put_str("\n");
	semihost_exit();
}

/* The first FP instruction of the program, with CPACR_EL1.FPEN still 0 (its reset value). */
void trap_probe(void) {
	unsigned long id;
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(id));
	put_str("ID_AA64PFR0_EL1 FP=0x"); put_hex((id >> 16) & 15, 1); put_str(" AdvSIMD=0x"); put_hex((id >> 20) & 15, 1); put_str("\n");
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(id));
	put_str("ID_AA64ISAR0_EL1=0x"); put_hex(id, 8); put_str("\n");
	unsigned long v;
	__asm__ volatile("fmov d0, #1.0\n\tfmov %0, d0" : "=r"(v) : : "v0");
	put_str("after the trap: d0=0x"); put_hex(v, 16); put_str("\n");
}
