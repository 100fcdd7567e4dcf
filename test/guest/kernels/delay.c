/* Lesson-4/5 style: a busy main loop that prints with delay() between characters
 * (the tutorial's `subs x0, x0, #1; bne` countdown) while the system timer
 * interrupts every 10 ms; each tick prints where it interrupted. */
#include "rt.h"

#define INTERVAL 10000
static unsigned int next;
static int ticks;

void delay(unsigned long count);
asm(".globl delay\n"
    "delay:\n"
    "	subs	x0, x0, #1\n"
    "	b.ne	delay\n"
    "	ret\n");

void handle_irq(void)
{
	unsigned long elr;
	asm volatile("mrs %0, elr_el1" : "=r"(elr));
	next += INTERVAL;
	put32(TIMER_C1, next);
	put32(TIMER_CS, 1u << 1);
	ticks++;
	uart_puts(" [tick ");
	uart_dec(ticks);
	uart_puts(" elr=");
	uart_hex(elr);
	uart_puts("] ");
}

static void el1_main(void)
{
	vectors_install();
	next = get32(TIMER_CLO) + INTERVAL;
	put32(TIMER_C1, next);
	put32(ENABLE_IRQS_1, 1u << 1);
	irq_enable();
	for (unsigned int i = 0;; i++) {
		uart_putc('a' + i % 26);
		delay(1000000 + (i % 7) * 12345);
		if (i % 26 == 25) uart_puts("\r\n");
	}
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
