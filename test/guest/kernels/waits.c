/* Busy waits on clocks, as bare-metal tutorials write them: until the generic counter
 * (CNTPCT_EL0, CNTVCT_EL0) or the system timer (CLO alone, or CHI/CLO/CHI read as one 64-bit
 * counter) passes a deadline, while the system timer interrupts every 2.5 ms; and two waits
 * that are not only waits (a loop that counts its iterations, one that tests a counter bit).
 * Prints a line per wait; the timer handler counts ticks. cpu/timed_loops.ts skips the first
 * kinds of loop; test/timed-loops.test.ts compares every run with the plain one. */
#include "rt.h"

#define TIMER_CHI (PBASE + 0x3008)
#define INTERVAL 2500
static unsigned int next;
static volatile unsigned int ticks;

void handle_irq(void)
{
	next += INTERVAL;
	put32(TIMER_C1, next);
	put32(TIMER_CS, 1u << 1);
	ticks++;
}

static unsigned long cntfrq(void) { unsigned long f; asm volatile("mrs %0, cntfrq_el0" : "=r"(f)); return f; }
static unsigned long cntpct(void) { unsigned long t; asm volatile("mrs %0, cntpct_el0" : "=r"(t)); return t; }

/* The generic counter, until `us` microseconds passed (unsigned: b.lo). */
static void wait_pct(unsigned long us)
{
	unsigned long start = cntpct(), n = cntfrq() / 1000000 * us, r;
	do { asm volatile("mrs %0, cntpct_el0" : "=r"(r)); } while (r - start < n);
}

/* The virtual counter against an absolute deadline, compared signed (b.lt). */
static void wait_vct(unsigned long us)
{
	long deadline, r;
	asm volatile("mrs %0, cntvct_el0" : "=r"(deadline));
	deadline += (long)(cntfrq() / 1000000 * us);
	do { asm volatile("mrs %0, cntvct_el0" : "=r"(r)); } while (r < deadline);
}

/* CLO alone, 32 bits. */
static void wait_clo(unsigned int us)
{
	unsigned int start = get32(TIMER_CLO);
	while (get32(TIMER_CLO) - start < us) { }
}

/* CHI, CLO, CHI again (read again if the high word moved): a 64-bit microsecond count. */
static unsigned long systimer64(void)
{
	unsigned int hi = get32(TIMER_CHI), lo = get32(TIMER_CLO);
	if (hi != get32(TIMER_CHI)) { hi = get32(TIMER_CHI); lo = get32(TIMER_CLO); }
	return ((unsigned long)hi << 32) | lo;
}
static void wait_st64(unsigned long us)
{
	unsigned long start = systimer64();
	while (systimer64() - start < us) { }
}

/* Not a plain wait: counts its iterations (a value carried from one iteration to the next). */
static unsigned long wait_counting(unsigned long us)
{
	unsigned long start = cntpct(), n = cntfrq() / 1000000 * us, r, spins = 0;
	do { asm volatile("mrs %0, cntpct_el0" : "=r"(r)); spins++; } while (r - start < n);
	return spins;
}

/* Not a threshold: waits for bit 10 of the counter to be set. */
static void wait_bit(void)
{
	unsigned long r;
	do { asm volatile("mrs %0, cntpct_el0" : "=r"(r)); } while (!(r & (1ul << 10)));
}

static void report(const char *what)
{
	uart_puts(what);
	uart_puts(" ticks=");
	uart_dec(ticks);
	uart_puts("\r\n");
}

static void el1_main(void)
{
	vectors_install();
	uart_puts("waits\r\n");
	wait_pct(3000);
	report("pct 3 ms, irqs masked");
	next = get32(TIMER_CLO) + INTERVAL;
	put32(TIMER_C1, next);
	put32(ENABLE_IRQS_1, 1u << 1);
	irq_enable();
	wait_pct(20000);
	report("pct 20 ms");
	wait_vct(10000);
	report("vct 10 ms");
	wait_clo(15000);
	report("clo 15 ms");
	wait_st64(12000);
	report("st64 12 ms");
	unsigned long spins = wait_counting(2000);
	uart_puts(spins > 1000 ? "counting 2 ms: spun" : "counting 2 ms: too few spins");
	report("");
	wait_bit();
	report("bit");
	uart_puts("done\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
