/* Lesson-3 exercise 1: the BCM2836 local timer (38.4 MHz) instead of the system timer. */
#include "rt.h"

#define RELOAD (38400000 / 5)          /* 0.2 s */
#define LT_ENABLE (1u << 28)
#define LT_INT_ENABLE (1u << 29)
#define LT_CLEAR (1u << 31)
#define LT_RELOAD (1u << 30)
#define SRC_LOCAL_TIMER (1u << 11)

void handle_irq(void)
{
	unsigned int src = get32(CORE0_IRQ_SOURCE);
	if (src & SRC_LOCAL_TIMER) {
		put32(LOCAL_TIMER_WRITE, LT_CLEAR | LT_RELOAD);
		uart_puts("Local timer interrupt received\r\n");
	} else {
		uart_puts("Unknown IRQ source: ");
		uart_hex(src);
		uart_puts("\r\n");
	}
}

static void el1_main(void)
{
	vectors_install();
	put32(LOCAL_INT_ROUTING, 0);    /* local timer -> core 0 IRQ */
	put32(LOCAL_TIMER_CONTROL, RELOAD | LT_ENABLE | LT_INT_ENABLE);
	irq_enable();
	for (;;) asm volatile("wfi");
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
