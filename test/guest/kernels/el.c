/* Lesson-2 style: report the exception level, drop to EL1, report again. */
#include "rt.h"

static void el1_main(void)
{
	uart_puts("Exception level: ");
	uart_dec(current_el());
	uart_puts("\r\ndone\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	uart_puts("Exception level: ");
	uart_dec(current_el());
	uart_puts("\r\n");
	drop_to_el1(el1_main);
}
