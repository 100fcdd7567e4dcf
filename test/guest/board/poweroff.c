/* Power management: 'p' powers off (PM_RSTS partition 63 = halt), 'r' reboots,
 * 'w' arms the watchdog for 1 s (65536 ticks) and never feeds it. */
#include "board.h"

static void watchdog_reset(unsigned int partition_bits, unsigned int ticks)
{
	unsigned int r = get32(PM_RSTS) & ~0xFFFFFAAAu;
	put32(PM_RSTS, PM_PASSWORD | r | partition_bits);
	put32(PM_WDOG, PM_PASSWORD | ticks);
	put32(PM_RSTC, PM_PASSWORD | PM_RSTC_FULLRST);
}

void kmain(void)
{
	uart_init();
	uart_puts("power: p = power off, r = reboot, w = watchdog\r\n");
	char c = uart_getc();
	uart_putc(c);
	uart_puts("\r\n");
	if (c == 'p') watchdog_reset(0x555, 10);   /* partition 63: halt */
	else if (c == 'r') watchdog_reset(0, 10);
	else if (c == 'w') watchdog_reset(0, 0x10000);
	for (;;) asm volatile("wfe");
}
