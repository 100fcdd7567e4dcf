/*
 * Our lesson-6-style kernel (in the manner of the raspberry-pi-os tutorial's lesson 6, our own
 * code): the kernel runs in the upper half through TTBR1_EL1 (lesson6_boot.S); each user process
 * has its own tables through TTBR0_EL1 with its pid as ASID, its code at VA 0 (a read-only copy
 * of user_prog), a stack page, and data pages given on first touch (demand paging from the data
 * abort). System calls: write, yield, exit, getpid. Processes switch only at yield and exit, so
 * the output is the same on every emulator (it is compared with QEMU's).
 */
typedef unsigned long u64;
#define VA_START 0xffff000000000000UL
#define PBASE (VA_START + 0x3F000000UL)
#define AUX_ENABLES (PBASE + 0x215004)
#define AUX_MU_IO (PBASE + 0x215040)
#define AUX_MU_LSR (PBASE + 0x215054)
#define AUX_MU_CNTL (PBASE + 0x215060)
#define GPFSEL1 (PBASE + 0x200004)
#define put32(a, v) (*(volatile unsigned int *)(a) = (v))
#define get32(a) (*(volatile unsigned int *)(a))

extern char user_prog[], user_prog_end[];
void ret_to_user(u64 *frame);

static void putc(char c) { while (!(get32(AUX_MU_LSR) & 0x20)) { } put32(AUX_MU_IO, (unsigned char)c); }
static void puts(const char *s) { while (*s) putc(*s++); }
static void hex(u64 v)
{
	puts("0x");
	int started = 0;
	for (int sh = 60; sh >= 0; sh -= 4) {
		unsigned d = (v >> sh) & 15;
		if (d || started || !sh) { putc(d < 10 ? '0' + d : 'a' + d - 10); started = 1; }
	}
}

/* Physical pages from 4 MiB up, zeroed through the kernel's mapping of RAM. */
static u64 next_page = 0x400000;
static u64 alloc_page(void)
{
	u64 pa = next_page;
	next_page += 0x1000;
	for (u64 *p = (u64 *)(VA_START + pa); p < (u64 *)(VA_START + pa + 0x1000); p++) *p = 0;
	return pa;
}
#define KV(pa) ((u64 *)(VA_START + (pa)))

/* Descriptor bits: page, AF, inner shareable, Normal (AttrIndx 1), EL0 access, nG, PXN, UXN. */
#define PAGE (3UL | (1UL << 10) | (3UL << 8) | (1UL << 2) | (1UL << 11))
#define AP_RW_EL0 (1UL << 6)
#define AP_RO_EL0 (3UL << 6)
#define PXN (1UL << 53)
#define UXN (1UL << 54)

#define NPROC 2
struct proc {
	u64 frame[34];   /* x0-x30, ELR, SPSR, SP_EL0, as the trap path saves them */
	u64 l0, l3;      /* physical addresses of its top table and of its only level 3 table */
	int alive;
};
static struct proc procs[NPROC];
static int current;

static void map(struct proc *p, u64 va, u64 pa, u64 attrs) { KV(p->l3)[(va >> 12) & 511] = pa | attrs; }

static void create(int i)
{
	struct proc *p = &procs[i];
	u64 l1 = alloc_page(), l2 = alloc_page();
	p->l0 = alloc_page();
	p->l3 = alloc_page();
	KV(p->l0)[0] = l1 | 3;
	KV(l1)[0] = l2 | 3;
	KV(l2)[0] = p->l3 | 3;
	u64 code = alloc_page();
	for (u64 o = 0; o < (u64)(user_prog_end - user_prog); o += 8) KV(code)[o / 8] = *(u64 *)(user_prog + o);
	map(p, 0, code, PAGE | AP_RO_EL0 | PXN);
	map(p, 0x1FF000, alloc_page(), PAGE | AP_RW_EL0 | PXN | UXN);
	p->frame[31] = 0;       /* ELR: the program's start */
	p->frame[32] = 0x3c0;   /* SPSR: EL0t, interrupts masked */
	p->frame[33] = 0x200000;
	p->alive = 1;
}

static void switch_to(int i)
{
	current = i;
	asm volatile("msr ttbr0_el1, %0; isb" :: "r"(procs[i].l0 | ((u64)(i + 1) << 48)) : "memory");
}

/* Saves the trapped process's frame, picks the next live one (round robin) and loads its frame. */
static void schedule(u64 *regs)
{
	for (int k = 0; k < 34; k++) procs[current].frame[k] = regs[k];
	for (int n = 1; n <= NPROC; n++) {
		int i = (current + n) % NPROC;
		if (procs[i].alive) {
			switch_to(i);
			for (int k = 0; k < 34; k++) regs[k] = procs[i].frame[k];
			return;
		}
	}
	puts("all processes have exited\r\n");
	for (;;) asm volatile("wfe");
}

void on_trap(u64 *regs, u64 vector)
{
	u64 esr, far;
	asm volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
	u64 ec = esr >> 26;
	int pid = current + 1;
	if (vector == 8 && ec == 0x15) {
		switch (regs[8]) {
		case 0: puts((const char *)regs[0]); return;
		case 1: schedule(regs); return;
		case 2:
			puts("p"); putc('0' + pid); puts(": exit\r\n");
			procs[current].alive = 0;
			schedule(regs);
			return;
		case 3: regs[0] = pid; return;
		}
	}
	if (vector == 8 && ec == 0x24) {
		u64 fsc = esr & 0x3f;
		if ((fsc & 0x3c) == 0x04 && far >= 0x100000 && far < 0x1FF000) {
			puts("p"); putc('0' + pid); puts(": page fault at "); hex(far); puts(" (level "); putc('0' + (fsc & 3)); puts("), new page\r\n");
			map(&procs[current], far & ~0xFFFUL, alloc_page(), PAGE | AP_RW_EL0 | PXN | UXN);
			return; /* the access runs again */
		}
		puts("p"); putc('0' + pid); puts(": data abort, ESR "); hex(esr); puts(" FAR "); hex(far); puts(": killed\r\n");
		procs[current].alive = 0;
		schedule(regs);
		return;
	}
	puts("unexpected exception, vector "); hex(vector); puts(" ESR "); hex(esr); puts(" ELR "); hex(regs[31]); puts("\r\n");
	for (;;) asm volatile("wfe");
}

void kernel_main(void)
{
	unsigned sel = get32(GPFSEL1);
	put32(GPFSEL1, (sel & ~((7u << 12) | (7u << 15))) | (2u << 12) | (2u << 15));
	put32(AUX_ENABLES, 1);
	put32(AUX_MU_CNTL, 3);
	u64 el;
	asm volatile("mrs %0, CurrentEL" : "=r"(el));
	puts("kernel at EL"); putc('0' + (el >> 2)); puts(", kernel_main at "); hex((u64)kernel_main); puts("\r\n");
	create(0);
	create(1);
	switch_to(0);
	ret_to_user(procs[0].frame);
}
