/* Mini UART and number printing for our test kernels. */
#include "rt.h"

void uart_init(void)
{
	unsigned int sel = get32(GPFSEL1);
	sel &= ~((7u << 12) | (7u << 15));
	sel |= (2u << 12) | (2u << 15);            /* GPIO14/15: ALT5 (TXD1/RXD1) */
	put32(GPFSEL1, sel);
	put32(GPPUD, 0);
	for (volatile int i = 0; i < 150; i++) { }
	put32(GPPUDCLK0, (1u << 14) | (1u << 15));
	for (volatile int i = 0; i < 150; i++) { }
	put32(GPPUDCLK0, 0);
	put32(AUX_ENABLES, 1);
	put32(AUX_MU_CNTL_REG, 0);
	put32(AUX_MU_IER_REG, 0);
	put32(AUX_MU_LCR_REG, 3);
	put32(AUX_MU_MCR_REG, 0);
	put32(AUX_MU_BAUD_REG, 270);
	put32(AUX_MU_CNTL_REG, 3);
}

void uart_putc(char c)
{
	while (!(get32(AUX_MU_LSR_REG) & 0x20)) { }
	put32(AUX_MU_IO_REG, (unsigned char)c);
}

char uart_getc(void)
{
	while (!(get32(AUX_MU_LSR_REG) & 0x01)) { }
	return (char)(get32(AUX_MU_IO_REG) & 0xff);
}

void uart_puts(const char *s)
{
	while (*s) uart_putc(*s++);
}

void uart_hex(unsigned long v)
{
	uart_puts("0x");
	int started = 0;
	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned int d = (v >> shift) & 0xf;
		if (d || started || shift == 0) {
			uart_putc(d < 10 ? '0' + d : 'a' + d - 10);
			started = 1;
		}
	}
}

void uart_dec(unsigned long v)
{
	char buf[24];
	int n = 0;
	do { buf[n++] = '0' + v % 10; v /= 10; } while (v);
	while (n) uart_putc(buf[--n]);
}

__attribute__((weak)) void handle_irq(void)
{
	uart_puts("unexpected IRQ\r\n");
}

__attribute__((weak)) unsigned long handle_exception(unsigned long vector, unsigned long esr, unsigned long elr, unsigned long far)
{
	(void)far;
	uart_puts("unexpected exception, vector ");
	uart_dec(vector);
	uart_puts(" ESR ");
	uart_hex(esr);
	uart_puts(" ELR ");
	uart_hex(elr);
	uart_puts("\r\n");
	return 0;
}
