/* Lesson-3 style: system timer compare 1 every 200000 us, reported from the IRQ handler. */
#include "rt.h"

#define INTERVAL 200000
static unsigned int next;
static int ticks;

void handle_irq(void)
{
	unsigned int pending = get32(IRQ_PENDING_1);
	if (ticks == 0) {
		uart_puts("IRQ_PENDING_1 = ");
		uart_hex(pending);
		uart_puts("\r\n");
	}
	if (pending == (1u << 1)) {
		next += INTERVAL;
		put32(TIMER_C1, next);
		put32(TIMER_CS, 1u << 1);
		ticks++;
		uart_puts("Timer interrupt received\r\n");
	} else {
		uart_puts("Unknown pending irq: ");
		uart_hex(pending);
		uart_puts("\r\n");
	}
}

static void el1_main(void)
{
	vectors_install();
	next = get32(TIMER_CLO) + INTERVAL;
	put32(TIMER_C1, next);
	put32(ENABLE_IRQS_1, 1u << 1);
	irq_enable();
	for (;;) asm volatile("wfi");
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
