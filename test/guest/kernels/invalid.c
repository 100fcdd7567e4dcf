/* Takes synchronous exceptions at EL1 and prints what each vector sees. */
#include "rt.h"

unsigned long handle_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far)
{
	uart_puts("vector ");
	uart_dec(vector);
	uart_puts(" ESR ");
	uart_hex(esr);
	uart_puts(" ELR ");
	uart_hex(elr);
	if ((esr >> 26) == 0x25) { uart_puts(" FAR "); uart_hex(far); }
	uart_puts("\r\n");
	return elr + ((esr >> 26) == 0x15 ? 0 : 4);   /* svc: ELR is already past it */
}

static void el1_main(void)
{
	vectors_install();
	asm volatile("svc #0x11");
	asm volatile("brk #0x22");
	asm volatile(".word 0x00000000");                 /* udf #0 */
	(void)*(volatile unsigned int *)0x80000000UL;      /* nothing there */
	asm volatile("msr spsel, #0; svc #0x33; msr spsel, #1");
	uart_puts("done\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	drop_to_el1(el1_main);
}
