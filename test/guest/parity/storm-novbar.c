/* An exception storm without a vector table: at EL1 with VBAR_EL1 still 0, an UNDEFINED
 * instruction sends the core to 0x200, which in a kernel_old image is the kernel's own code, run
 * again from the middle at EL1. On the board (and QEMU) that loops silently for ever. */
#include "rt.h"

static void el1_main(void)
{
	uart_puts("udf at EL1, VBAR_EL1 = 0\r\n");
	asm volatile(".word 0x00000000");	/* udf #0 */
	uart_puts("never printed\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	uart_puts("storm-novbar\r\n");
	drop_to_el1(el1_main);
}
