/*
 * Our MMU test kernel (kernel_old image at 0, all cores at EL3 as QEMU -M raspi3b starts them;
 * the board's memory map is the same in QEMU and here, so the page tables are the same).
 * EL3: 4 KiB granule, 32-bit VA, 1 GiB and 2 MiB blocks. EL2: 64 KiB granule, 512 MiB blocks
 * and 64 KiB pages. EL1&0: 4 KiB granule with 48-bit VA through TTBR0 (identity map, a user
 * region with nG pages, ASIDs), and TTBR1 with 47-bit VA and TG1 = 16 KiB, a granule the
 * Cortex-A53 does not have (ID_AA64MMFR0_EL1.TGran16 = 0): QEMU walks it as 4 KiB. Each case prints what it read or the exception it took (ESR, FAR), and AT
 * results (PAR_EL1). The output is compared with QEMU's (build.sh).
 */
#include "rt.h"

typedef unsigned long u64;

extern char user_start[], text_end[], user_read[], user_write[], user_exec[];
u64 rd64(u64), rd32(u64), rd8(u64), rd32_unaligned(u64), ldp_pair(u64), ldxr64(u64), ldtr64(u64);
u64 wr64(u64, u64), wr8(u64, u64), stp_pair(u64, u64), stxr64(u64, u64), sttr64(u64, u64), dczva(u64), call_at(u64);
u64 run_user(void *fn, u64 arg, u64 sp);
void enter_el(u64 el, void (*fn)(void));
void vectors_install(void);

#define msr(r, v) asm volatile("msr " #r ", %0" :: "r"((u64)(v)) : "memory")
#define mrs(r) ({ u64 _v; asm volatile("mrs %0, " #r : "=r"(_v) :: "memory"); _v; })
#define isb() asm volatile("isb" ::: "memory")
#define dsb() asm volatile("dsb sy" ::: "memory")
#define at(op, va) asm volatile("at " #op ", %0" :: "r"((u64)(va)) : "memory")
#define tlbi(op, v) asm volatile("tlbi " #op ", %0" :: "r"((u64)(v)) : "memory")

/* Descriptor bits (ARM ARM D5.3). */
#define TABLE 3UL
#define PAGE 3UL
#define BLOCK 1UL
#define ATTR(i) ((u64)(i) << 2)
#define AP_RW_EL1 (0UL << 6)
#define AP_RW_ALL (1UL << 6)
#define AP_RO_EL1 (2UL << 6)
#define AP_RO_ALL (3UL << 6)
#define SH_IS (3UL << 8)
#define AF (1UL << 10)
#define NG (1UL << 11)
#define CONT (1UL << 52)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define NORMAL (ATTR(1) | AF | SH_IS)
#define DEVICE (ATTR(0) | AF)
/* MAIR: 0 Device-nGnRnE, 1 Normal write-back, 2 Normal non-cacheable, 3 Device-nGnRE. */
#define MAIR 0x0444FF00UL

/* Buffers and tables at fixed physical addresses (the same in QEMU and here). */
#define POOL 0x400000UL
#define BUF(n) (0x800000UL + (u64)(n) * 0x10000)
static u64 next_table = POOL;
static u64 *table(u64 bytes)
{
	next_table = (next_table + bytes - 1) & ~(bytes - 1);
	u64 *t = (u64 *)next_table;
	next_table += bytes;
	for (u64 i = 0; i < bytes / 8; i++) t[i] = 0;
	return t;
}

static volatile u64 marker = 0x1122334455667788UL;

static void puts(const char *s) { uart_puts(s); }
static void hex(u64 v) { uart_hex(v); }

u64 on_exception(u64 *regs, u64 info, u64 esr, u64 elr, u64 far)
{
	u64 el = info >> 8, n = info & 15, ec = esr >> 26;
	if (ec == 0x15 && n >= 8) return 1; /* SVC from EL0: the user program is done */
	puts("    exception to EL");
	uart_dec(el);
	puts(" vector ");
	hex(n * 0x80);
	puts(" ESR ");
	hex(esr);
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) { puts(" FAR "); hex(far); }
	puts("\r\n");
	if (ec == 0x20 || ec == 0x21) return regs[30]; /* instruction abort: back after the branch */
	if (ec == 0x15) return elr;
	return elr + 4;
}

static void show(const char *what, u64 v) { puts("  "); puts(what); puts(": "); hex(v); puts("\r\n"); }
static void label(const char *what) { puts("  "); puts(what); puts("\r\n"); }

static void par(const char *what) { show(what, mrs(par_el1)); }

/* ---------------- EL1&0 ---------------- */

static u64 *l0, *l0b, *l3u, *l3u2;
#define USER 0x0000008000000000UL
#define USER_SP (USER + 0x11000)

static void map_user(u64 *l0t, u64 **l3out)
{
	u64 *l1 = table(4096), *l2 = table(4096), *l3 = table(4096);
	l0t[1] = (u64)l1 | TABLE;
	l1[0] = (u64)l2 | TABLE;
	l2[0] = (u64)l3 | TABLE;
	l3[0] = BUF(0) | PAGE | NORMAL | AP_RW_ALL | UXN | PXN | NG;
	l3[1] = BUF(1) | PAGE | NORMAL | AP_RO_ALL | UXN | PXN | NG;
	l3[2] = BUF(2) | PAGE | NORMAL | AP_RW_EL1 | UXN | PXN | NG;
	l3[3] = BUF(3) | PAGE | NORMAL | AP_RW_ALL | NG;          /* EL0 writable: never executable at EL1 */
	l3[4] = (u64)user_start | PAGE | NORMAL | AP_RO_ALL | UXN;  /* the user code, but UXN */
	l3[5] = BUF(5) | PAGE | NORMAL | AP_RW_EL1 | UXN;          /* EL1 RW and executable (WXN test) */
	l3[6] = (u64)user_start | PAGE | NORMAL | AP_RO_ALL | PXN;  /* the user code, executable at EL0 */
	l3[8] = BUF(8) | PAGE | NORMAL | AP_RW_ALL | UXN | NG;     /* the ASID test page */
	for (int i = 0; i < 16; i++) l3[32 + i] = (BUF(4) + i * 0x1000) | PAGE | NORMAL | CONT | UXN; /* contiguous hint */
	l3[0x10] = BUF(6) | PAGE | NORMAL | AP_RW_ALL | UXN | PXN;  /* user stack */
	*l3out = l3;
}

static void el1_tables(void)
{
	u64 *l1 = table(4096), *l2 = table(4096), *l3 = table(4096);
	l0 = table(4096);
	l0[0] = (u64)l1 | TABLE;
	l1[0] = (u64)l2 | TABLE;
	l1[1] = 0 | BLOCK | NORMAL | UXN | PXN;  /* 1 GiB block: VA 0x40000000 -> PA 0 */
	l1[3] = 0x80000000UL | TABLE;            /* a table outside RAM: external abort on the walk */
	l2[0] = (u64)l3 | TABLE;
	for (u64 p = 0; p < 0x1FD; p++) {
		u64 a = p << 12;
		if (a < (u64)user_start) l3[p] = a | PAGE | NORMAL | AP_RO_EL1 | UXN;
		else if (a < (u64)text_end) l3[p] = a | PAGE | NORMAL | AP_RO_ALL;
		else l3[p] = a | PAGE | NORMAL | AP_RW_EL1 | UXN | PXN;
	}
	l3[0x1FD] = 0x1FD000 | PAGE | NORMAL | UXN | PXN;
	l3[0x1FE] = 0x1FE000 | PAGE | ATTR(1) | SH_IS | UXN | PXN; /* AF = 0 */
	/* l3[0x1FF] invalid: a level 3 translation fault */
	for (u64 i = 1; i < 0x200; i++) l2[i] = (i << 21) | BLOCK | (i >= 0x1F8 ? DEVICE | UXN | PXN : NORMAL | UXN | PXN);
	l2[0x100] = 0;                                                   /* level 2 translation fault */
	l2[0x101] = (0x101UL << 21) | BLOCK | NORMAL | AP_RO_EL1 | UXN | PXN; /* read-only block */
	l2[0x102] = (1UL << 40) | BLOCK | NORMAL;                        /* output address above 40 bits */
	l2[0x103] = 0x80000000UL | TABLE;                                /* level 3 table outside RAM */
	l2[0x104] = (0x104UL << 21) | BLOCK | DEVICE | UXN | PXN;        /* Device memory in RAM */
	l2[0x105] = (0x105UL << 21) | BLOCK | ATTR(3) | AF | UXN | PXN;  /* Device-nGnRE */
	map_user(l0, &l3u);
	/* A second address space: the same but the ASID test page maps elsewhere. */
	l0b = table(4096);
	l0b[0] = l0[0];
	map_user(l0b, &l3u2);
	l3u2[8] = BUF(9) | PAGE | NORMAL | AP_RW_ALL | UXN | NG;
}

static u64 *k1;
#define KHIGH 0xFFFF800000000000UL

static void el1_high_tables(void)
{
	/* 16 KiB granule, T1SZ = 17: level 1 (2048 entries of 64 GiB), 32 MiB blocks at level 2. */
	k1 = table(16384);
	u64 *k2 = table(16384), *k3 = table(16384);
	k1[0] = (u64)k2 | TABLE;
	k2[0] = 0 | BLOCK | NORMAL | UXN;        /* KHIGH -> PA 0, a 32 MiB block */
	k2[1] = (u64)k3 | TABLE;                  /* as 4 KiB: KHIGH + 1 GiB, a level 2 table */
	k3[0] = BUF(10) | BLOCK | NORMAL | UXN;
	k3[1] = (2UL << 21) | BLOCK | NORMAL | UXN | AP_RO_EL1;
}

#define TCR_EL1_BASE ((16UL) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (0UL << 14) | \
	(17UL << 16) | (1UL << 24) | (1UL << 26) | (3UL << 28) | (1UL << 30) | (2UL << 32) | (1UL << 36))
#define TBI0 (1UL << 37)

static void el1_main(void)
{
	puts("EL1&0 regime: 4 KiB granule (TTBR0, 48-bit), TTBR1 47-bit with TG1 = 16 KiB (walked as 4 KiB)\r\n");
	el1_tables();
	el1_high_tables();
	*(volatile u64 *)BUF(0) = 0xA0;
	*(volatile u64 *)BUF(1) = 0xA1;
	*(volatile u64 *)BUF(2) = 0xA2;
	*(volatile unsigned int *)BUF(3) = 0xd65f03c0; /* ret */
	*(volatile unsigned int *)BUF(5) = 0xd65f03c0;
	*(volatile u64 *)BUF(8) = 0xA8;
	*(volatile u64 *)BUF(9) = 0xA9;
	*(volatile u64 *)BUF(10) = 0xAA;
	*(volatile u64 *)(BUF(4) + 0x3008) = 0xA4;
	msr(mair_el1, MAIR);
	msr(tcr_el1, TCR_EL1_BASE);
	msr(ttbr0_el1, (u64)l0 | (1UL << 48));
	msr(ttbr1_el1, (u64)k1);
	isb();
	msr(sctlr_el1, mrs(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
	isb();
	show("MMU on, identity read", rd64((u64)&marker));
	show("1 GiB block alias", rd64(0x40000000UL + (u64)&marker));
	show("TTBR1 level 1 block", rd64(KHIGH + (u64)&marker));
	show("TTBR1 level 1 block, 32 MiB on", rd64(KHIGH + 0x2000000));
	show("contiguous-hint page", rd64(USER + 0x23008));
	label("translation fault, level 0");
	rd64(0x0000010000000000UL);
	label("translation fault, level 1");
	rd64(0x140000000UL);
	label("translation fault, level 2");
	rd64(0x20000000UL);
	label("translation fault, level 3");
	rd64(0x1FF000UL);
	label("TTBR1 range, level 1 entry not valid");
	rd64(KHIGH + 0x80000000UL);
	label("access flag fault, level 3");
	rd64(0x1FE010UL);
	label("permission fault: write to read-only text, level 3");
	wr64((u64)&rd64, 0);
	label("permission fault: write to a read-only 2 MiB block");
	wr8(0x20200000UL, 1);
	label("permission fault: TTBR1 level 2 block read-only");
	wr64(KHIGH + 0x40200000UL, 1);
	label("address size fault, level 2");
	rd64(0x20400000UL);
	label("external abort on the walk, level 3");
	rd64(0x20600000UL);
	label("external abort on the walk, level 2");
	rd64(0xC0000000UL);
	label("Device memory: aligned, then unaligned");
	show("aligned", rd32(0x20800000UL));
	rd32_unaligned(0x20800000UL);
	label("Device-nGnRE: unaligned");
	rd32_unaligned(0x20A00000UL);
	label("SCTLR_EL1.A: unaligned Normal access");
	msr(sctlr_el1, mrs(sctlr_el1) | 2);
	isb();
	rd32_unaligned((u64)&marker);
	msr(sctlr_el1, mrs(sctlr_el1) & ~2UL);
	isb();
	show("SCTLR_EL1.A clear again", rd32_unaligned((u64)&marker));
	label("LDP crossing into a page with AF = 0");
	ldp_pair(0x1FDFF8UL);
	label("LDR crossing into a page with AF = 0");
	rd64(0x1FDFFCUL);
	label("STR starting in a page with AF = 0");
	wr64(0x1FEFFCUL, 0);
	label("LDXR on an unmapped address; STXR to read-only text without a reservation");
	ldxr64(0x1FF008UL);
	stxr64((u64)&rd64, 1);
	label("DC ZVA on a read-only block");
	dczva(0x20200040UL);
	*(volatile u64 *)0x21000040UL = 5;
	dczva(0x21000040UL);
	show("DC ZVA zeroed", rd64(0x21000040UL));

	puts("EL0 and EL1 permissions\r\n");
	show("EL0 read, RW page", run_user(user_read, USER, USER_SP));
	show("EL0 read, RO page", run_user(user_read, USER + 0x1000, USER_SP));
	label("EL0 read, EL1-only page");
	run_user(user_read, USER + 0x2000, USER_SP);
	label("EL0 write, RO page");
	run_user(user_write, USER + 0x1000, USER_SP);
	show("EL0 write, RW page", run_user(user_write, USER, USER_SP));
	show("  then", rd64(BUF(0)));
	label("EL0 read of kernel memory");
	run_user(user_read, (u64)&marker, USER_SP);
	label("EL0 branch to a UXN page");
	run_user(user_exec, USER + 0x4000 + (user_read - user_start), USER_SP);
	show("EL0 runs from an EL0-writable page", run_user(user_exec, USER + 0x3000, USER_SP));
	label("EL1 branch to an EL0-writable page (PXN implied)");
	call_at(USER + 0x3000);
	show("EL0 code page (PXN) read by EL0", run_user(user_exec, USER + 0x6000 + (user_read - user_start), USER_SP));
	label("EL1 branch to a PXN page");
	call_at(USER + 0x6000);
	show("LDTR of an EL0 page", ldtr64(USER));
	label("LDTR of an EL1-only page");
	ldtr64(USER + 0x2000);
	label("STTR to an EL0 read-only page");
	sttr64(USER + 0x1000, 3);
	show("EL1 runs from an EL1-writable page", call_at(USER + 0x5000) == USER + 0x5000);
	label("SCTLR_EL1.WXN: the same page");
	msr(sctlr_el1, mrs(sctlr_el1) | (1 << 19));
	isb();
	call_at(USER + 0x5000);
	msr(sctlr_el1, mrs(sctlr_el1) & ~(1UL << 19));
	isb();

	puts("ASIDs and TLB maintenance\r\n");
	show("ASID 1, nG page", rd64(USER + 0x8000));
	msr(ttbr0_el1, (u64)l0b | (2UL << 48));
	isb();
	show("ASID 2, nG page", rd64(USER + 0x8000));
	msr(ttbr0_el1, (u64)l0 | (1UL << 48));
	isb();
	show("ASID 1 again", rd64(USER + 0x8000));
	l3u[8] = BUF(10) | PAGE | NORMAL | AP_RW_ALL | UXN | NG;
	dsb();
	tlbi(vae1is, ((USER + 0x8000) >> 12) | (1UL << 48));
	dsb();
	isb();
	show("remapped, TLBI VAE1IS", rd64(USER + 0x8000));
	l3u[8] = BUF(9) | PAGE | NORMAL | AP_RW_ALL | UXN | NG;
	dsb();
	tlbi(aside1, 1UL << 48);
	dsb();
	isb();
	show("remapped, TLBI ASIDE1", rd64(USER + 0x8000));
	l3u[8] = 0;
	dsb();
	tlbi(vaale1, (USER + 0x8000) >> 12);
	dsb();
	isb();
	label("unmapped, TLBI VAALE1");
	rd64(USER + 0x8000);
	l3u[8] = BUF(8) | PAGE | NORMAL | AP_RW_ALL | UXN | NG;
	dsb();
	asm volatile("tlbi vmalle1is" ::: "memory");
	dsb();
	isb();
	show("mapped again, TLBI VMALLE1IS", rd64(USER + 0x8000));

	puts("top byte ignore\r\n");
	label("TBI0 = 0: tagged pointer");
	rd64(0x5A00000000000000UL | USER);
	msr(tcr_el1, TCR_EL1_BASE | TBI0);
	isb();
	show("TBI0 = 1: tagged pointer", rd64(0x5A00000000000000UL | USER));
	label("TBI0 = 1, TTBR1 tagged pointer (TBI1 = 0)");
	rd64(0x5A00000000000000UL | KHIGH);
	msr(tcr_el1, TCR_EL1_BASE);
	isb();

	puts("AT\r\n");
	at(s1e1r, &marker); par("AT S1E1R data");
	at(s1e1w, &rd64); par("AT S1E1W text");
	at(s1e1r, &rd64); par("AT S1E1R text");
	at(s1e0r, USER + 0x2000); par("AT S1E0R EL1-only page");
	at(s1e0w, USER); par("AT S1E0W user page");
	at(s1e0w, USER + 0x1000); par("AT S1E0W user read-only page");
	at(s1e1r, 0x1FE000UL); par("AT S1E1R AF = 0");
	at(s1e1r, 0x20000000UL); par("AT S1E1R level 2 hole");
	at(s1e1r, 0x20800000UL); par("AT S1E1R Device block");
	at(s1e1r, 0x40000000UL + 0x123456); par("AT S1E1R 1 GiB block");
	at(s1e1r, KHIGH + 0x40000010UL); par("AT S1E1R TTBR1 level 2 block");
	at(s1e1w, KHIGH + 0x40200010UL); par("AT S1E1W TTBR1 read-only block");
	at(s1e1r, 0xC0000000UL); par("AT S1E1R walk outside RAM");
	puts("done\r\n");
	for (;;) asm volatile("wfe");
}

/* ---------------- EL2: 64 KiB granule ---------------- */

static void el2_main(void)
{
	puts("EL2 regime: 64 KiB granule, 39-bit VA\r\n");
	u64 *l2 = table(65536), *l3 = table(65536);
	l2[0] = (u64)l3 | TABLE;
	for (u64 i = 0; i < 256; i++) l3[i] = (i << 16) | PAGE | NORMAL; /* 0 .. 16 MiB */
	l3[256] = 0x1000000UL | PAGE | NORMAL | AP_RO_EL1;
	l3[257] = 0x1010000UL | PAGE | NORMAL | UXN;     /* XN (bit 54) */
	l3[258] = 0x1020000UL | PAGE | ATTR(1) | SH_IS;  /* AF = 0 */
	l2[1] = 0x20000000UL | BLOCK | DEVICE | UXN;     /* 512 MiB, the peripherals included */
	l2[2] = 0 | BLOCK | NORMAL | UXN;                /* VA 0x40000000 -> PA 0 */
	*(volatile unsigned int *)0x1010000UL = 0xd65f03c0; /* ret */
	msr(mair_el2, MAIR);
	msr(tcr_el2, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 14) | (2UL << 16) | (1UL << 23) | (1UL << 31));
	msr(ttbr0_el2, (u64)l2);
	isb();
	msr(sctlr_el2, mrs(sctlr_el2) | 1 | (1 << 2) | (1 << 12));
	isb();
	show("MMU on, identity read", rd64((u64)&marker));
	show("512 MiB block alias", rd64(0x40000000UL + (u64)&marker));
	label("permission fault: write to a read-only page");
	wr64(0x1000000UL, 1);
	label("execute-never page");
	call_at(0x1010000UL);
	label("access flag fault, level 3");
	rd8(0x1020000UL);
	label("translation fault, level 3");
	rd64(0x1030000UL);
	label("translation fault, level 2");
	rd64(0x60000000UL);
	label("translation fault, VA above 39 bits");
	rd64(0x8000000000UL);
	at(s1e2r, &marker); par("AT S1E2R");
	at(s1e2w, 0x1000000UL); par("AT S1E2W read-only page");
	at(s1e2r, 0x1020000UL); par("AT S1E2R AF = 0");
	at(s1e2r, 0x3F215040UL); par("AT S1E2R peripheral");
	enter_el(1, el1_main);
}

/* ---------------- EL3: 4 KiB granule, 32-bit VA ---------------- */

void kmain(void)
{
	uart_init();
	vectors_install();
	puts("EL3 regime: 4 KiB granule, 32-bit VA\r\n");
	u64 *l1 = table(4096), *l2 = table(4096);
	l1[0] = (u64)l2 | TABLE;
	for (u64 i = 0; i < 512; i++) l2[i] = (i << 21) | BLOCK | (i >= 0x1F8 ? DEVICE : NORMAL);
	l1[1] = 0 | BLOCK | NORMAL;           /* VA 0x40000000 -> PA 0, a 1 GiB block */
	l1[2] = 0x80000000UL | TABLE;         /* outside RAM */
	msr(mair_el3, MAIR);
	msr(tcr_el3, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | (1UL << 23) | (1UL << 31));
	msr(ttbr0_el3, (u64)l1);
	isb();
	msr(sctlr_el3, mrs(sctlr_el3) | 1 | (1 << 2) | (1 << 12));
	isb();
	show("MMU on, identity read", rd64((u64)&marker));
	show("1 GiB block alias", rd64(0x40000000UL + (u64)&marker));
	label("translation fault, level 1");
	rd64(0xC0000000UL);
	label("external abort on the walk, level 2");
	rd64(0x80000000UL);
	label("translation fault, VA above 32 bits");
	rd64(0x100000000UL);
	at(s1e3r, &marker); par("AT S1E3R");
	at(s1e3w, 0xC0000000UL); par("AT S1E3W unmapped");
	at(s1e1r, &marker); par("AT S1E1R, EL1 MMU off");
	msr(scr_el3, 0x531UL);        /* RW, HCE, RES1 5:4, NS */
	msr(hcr_el2, 1UL << 31);      /* RW */
	msr(sctlr_el2, 0x30C50838UL);
	msr(sctlr_el1, 0x30D00800UL);
	enter_el(2, el2_main);
}
