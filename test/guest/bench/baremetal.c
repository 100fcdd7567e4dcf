/* Bare-metal driver: runs workload number `which` (set by the loader in x0)
 * and exits through semihosting with the low byte of its checksum. */
#include "work.h"

static void semihost_exit(unsigned long code)
{
	unsigned long block[2] = { 0x20026, code };
	register unsigned long x0 asm("x0") = 0x18;
	register unsigned long x1 asm("x1") = (unsigned long)block;
	asm volatile("hlt #0xf000" :: "r"(x0), "r"(x1) : "memory");
}

/* which | MMU_ON: the first 16 MiB identity-mapped in 4 KiB pages (48-bit VA, TTBR0_EL1), the
 * MMU and caches on, before the workload: the translated figures of `npm run bench`. */
#define MMU_ON 0x100
#define TABLES 0xC00000UL
static void mmu_identity_4k(void)
{
	unsigned long *l0 = (unsigned long *)TABLES, *l1 = l0 + 512, *l2 = l1 + 512, *l3 = l2 + 512;
	for (unsigned long i = 0; i < 512 * 11; i++) l0[i] = 0;
	l0[0] = (unsigned long)l1 | 3;
	l1[0] = (unsigned long)l2 | 3;
	for (unsigned long t = 0; t < 8; t++) l2[t] = (unsigned long)(l3 + 512 * t) | 3;
	/* Normal write-back (MAIR index 0), inner shareable, AF, EL1 read/write. */
	for (unsigned long p = 0; p < 4096; p++) l3[p] = (p << 12) | (1UL << 10) | (3UL << 8) | 3;
	asm volatile("msr mair_el1, %0" :: "r"(0xFFUL));
	asm volatile("msr tcr_el1, %0" :: "r"(16UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (2UL << 32)));
	asm volatile("msr ttbr0_el1, %0; isb" :: "r"((unsigned long)l0));
	unsigned long sctlr;
	asm volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	asm volatile("msr sctlr_el1, %0; isb" :: "r"(sctlr | 1 | (1 << 2) | (1 << 12)) : "memory");
}

void bench_main(unsigned long which)
{
	if (which & MMU_ON) mmu_identity_4k();
	const struct workload *w = &WORKLOADS[which & 0xff];
	semihost_exit(w->fn(w->rounds) & 0xff);
}
