/* Lesson-1 style: greet on the mini UART, then echo what arrives. */
#include "rt.h"

void kmain(void)
{
	uart_init();
	uart_puts("Hello, world!\r\n");
	for (;;) uart_putc(uart_getc());
}
