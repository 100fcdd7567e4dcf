/* The ARMv8 generic timer (CNTP) of core 0, routed by the local controller. */
#include "rt.h"

#define CNTPNSIRQ (1u << 1)
static unsigned long period;

static inline unsigned long cntfrq(void) { unsigned long v; asm volatile("mrs %0, cntfrq_el0" : "=r"(v)); return v; }
static inline void set_tval(unsigned long v) { asm volatile("msr cntp_tval_el0, %0" :: "r"(v)); }
static inline void set_ctl(unsigned long v) { asm volatile("msr cntp_ctl_el0, %0" :: "r"(v)); }

void handle_irq(void)
{
	if (get32(CORE0_IRQ_SOURCE) & CNTPNSIRQ) {
		set_tval(period);
		uart_puts("Generic timer interrupt received\r\n");
	} else {
		uart_puts("Unknown IRQ source\r\n");
	}
}

static void el1_main(void)
{
	vectors_install();
	period = cntfrq() / 5;
	set_tval(period);
	set_ctl(1);                              /* ENABLE, not masked */
	put32(CORE0_TIMER_IRQCNTL, CNTPNSIRQ);   /* nCNTPNSIRQ -> core 0 IRQ */
	irq_enable();
	for (;;) asm volatile("wfi");
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
