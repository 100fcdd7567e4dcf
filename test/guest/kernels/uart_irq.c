/* Lesson-3 exercise 2: mini UART receive interrupts; the main loop only waits. */
#include "rt.h"

#define AUX_IRQ_BIT (1u << 29)

void handle_irq(void)
{
	while ((get32(AUX_MU_IIR_REG) & 0x6) == 0x4) {  /* receiver holds a byte */
		char c = get32(AUX_MU_IO_REG) & 0xff;
		uart_puts("got '");
		uart_putc(c);
		uart_puts("'\r\n");
	}
}

static void el1_main(void)
{
	vectors_install();
	put32(AUX_MU_IER_REG, 1);       /* receive interrupts */
	put32(ENABLE_IRQS_1, AUX_IRQ_BIT);
	irq_enable();
	uart_puts("type something\r\n");
	for (;;) asm volatile("wfi");
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
