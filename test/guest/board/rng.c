/* The hardware RNG as Linux's driver starts it: warm-up count, enable, then
 * wait for words in the FIFO (RNG_STATUS bits 31:24) before each read. */
#include "board.h"

void kmain(void)
{
	uart_init();
	put32(RNG_STATUS, 0x40000);
	put32(RNG_INT_MASK, get32(RNG_INT_MASK) | 1);
	put32(RNG_CTRL, get32(RNG_CTRL) | 1);
	for (int i = 0; i < 4; i++) {
		while ((get32(RNG_STATUS) >> 24) == 0) { }
		uart_puts("rng ");
		uart_hex(get32(RNG_DATA));
		uart_puts("\r\n");
	}
	uart_puts("done\r\n");
	for (;;) asm volatile("wfe");
}
