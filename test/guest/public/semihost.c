/* How a freestanding build of a public program ends: semihosting SYS_EXIT with main's status
 * (start.S calls semihost_exit after main; exit() and abort() end the same way). */

/* Semihosting SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit and the status: on AArch64 the
 * parameter block is {reason, subcode} (Arm semihosting spec 2.0, SYS_EXIT). */
void semihost_exit(long status)
{
	static unsigned long block[2];
	block[0] = 0x20026;
	block[1] = (unsigned long)status;
	register unsigned long x0 asm("x0") = 0x18;
	register unsigned long x1 asm("x1") = (unsigned long)block;
	asm volatile("hlt #0xf000" :: "r"(x0), "r"(x1) : "memory");
	for (;;) ;
}

void exit(int status) { semihost_exit(status); }
void abort(void) { semihost_exit(134); }
