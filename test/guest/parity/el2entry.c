/* Started by the firmware at EL2 (no kernel_old): prints the EL2 state it finds, then ERETs to
 * EL1h WITHOUT writing HCR_EL2 (as several published tutorial solutions do) and reports from EL1.
 * Only registers whose value QEMU's -kernel boot and the Pi firmware agree on are printed;
 * test/el2entry.test.ts checks the others (SCTLR_EL2, CPTR_EL2, SCR_EL3) against host/boot.ts. */
#include "rt.h"

#define READ(reg) ({ unsigned long v_; asm volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define SHOW(reg) do { uart_puts(#reg " "); uart_hex(READ(reg)); uart_puts("\r\n"); } while (0)

void eret_to_el1h(void (*entry)(void));

static void el1_main(void)
{
	uart_puts("after eret: EL ");
	uart_dec(current_el());
	uart_puts("\r\n");
	SHOW(spsel);
	SHOW(daif);
	SHOW(midr_el1);
	SHOW(mpidr_el1);
	unsigned long t0 = READ(cntpct_el0);
	for (volatile int i = 0; i < 10000; i++) { }
	unsigned long t1 = READ(cntpct_el0);
	uart_puts(t1 > t0 ? "CNTPCT_EL0 counts at EL1\r\n" : "CNTPCT_EL0 stands still\r\n");
	uart_puts("done\r\n");
	wait_forever();
}

void kmain(void)
{
	uart_init();
	uart_puts("EL ");
	uart_dec(current_el());
	uart_puts("\r\n");
	SHOW(hcr_el2);
	SHOW(cnthctl_el2);
	SHOW(cntvoff_el2);
	SHOW(mdcr_el2);
	SHOW(daif);
	SHOW(spsel);
	SHOW(vpidr_el2);
	SHOW(vmpidr_el2);
	eret_to_el1h(el1_main);
}
