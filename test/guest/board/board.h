/* Registers of the rest of the board used by our board test kernels (datasheet names). */
#ifndef BOARD_H
#define BOARD_H
#include "rt.h"

#define MBOX_READ     (PBASE + 0xB880)
#define MBOX_STATUS   (PBASE + 0xB898)
#define MBOX_WRITE    (PBASE + 0xB8A0)
#define MBOX_FULL     0x80000000u
#define MBOX_EMPTY    0x40000000u

#define PM_RSTC       (PBASE + 0x10001C)
#define PM_RSTS       (PBASE + 0x100020)
#define PM_WDOG       (PBASE + 0x100024)
#define PM_PASSWORD   0x5A000000u
#define PM_RSTC_FULLRST 0x20u

#define RNG_CTRL      (PBASE + 0x104000)
#define RNG_STATUS    (PBASE + 0x104004)
#define RNG_DATA      (PBASE + 0x104008)
#define RNG_INT_MASK  (PBASE + 0x104010)

#define EMMC_ARG1       (PBASE + 0x300008)
#define EMMC_BLKSIZECNT (PBASE + 0x300004)
#define EMMC_CMDTM      (PBASE + 0x30000C)
#define EMMC_RESP0      (PBASE + 0x300010)
#define EMMC_RESP1      (PBASE + 0x300014)
#define EMMC_RESP2      (PBASE + 0x300018)
#define EMMC_RESP3      (PBASE + 0x30001C)
#define EMMC_DATA       (PBASE + 0x300020)
#define EMMC_STATUS     (PBASE + 0x300024)
#define EMMC_CONTROL0   (PBASE + 0x300028)
#define EMMC_CONTROL1   (PBASE + 0x30002C)
#define EMMC_INTERRUPT  (PBASE + 0x300030)
#define EMMC_IRPT_MASK  (PBASE + 0x300034)
#define EMMC_IRPT_EN    (PBASE + 0x300038)
#define EMMC_SLOTISR_VER (PBASE + 0x3000FC)

/* Calls the mailbox property channel with a 16-byte aligned buffer; returns buf[1]. */
static inline unsigned int mbox_call(volatile unsigned int *buf)
{
	unsigned long a = (unsigned long)buf;
	while (get32(MBOX_STATUS) & MBOX_FULL) { }
	put32(MBOX_WRITE, (unsigned int)((a & ~0xFul) | 8));
	for (;;) {
		while (get32(MBOX_STATUS) & MBOX_EMPTY) { }
		if (get32(MBOX_READ) == (unsigned int)((a & ~0xFul) | 8)) return buf[1];
	}
}
#endif
