/* An exception storm: at EL1, an UNDEFINED instruction whose handler returns to it unchanged (it
 * "forgets" to skip it), so the same exception comes back for ever. The board hangs silently after
 * the first report; rpi-os stops after --storm N of them with a message. */
#include "rt.h"

static int reported;

unsigned long handle_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far)
{
	(void)far;
	if (!reported) {
		reported = 1;
		uart_puts("vector ");
		uart_dec(vector);
		uart_puts(" ESR ");
		uart_hex(esr);
		uart_puts("\r\n");
	}
	return elr;		/* the bug: should be elr + 4 */
}

static void el1_main(void)
{
	vectors_install();
	uart_puts("udf at EL1\r\n");
	asm volatile(".word 0x00000000");	/* udf #0 */
	uart_puts("never printed\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	uart_puts("storm-handler\r\n");
	drop_to_el1(el1_main);
}
