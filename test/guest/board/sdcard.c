/* SD card sector reader/writer through the EMMC controller (our own small
 * driver): initialise the card, read and write blocks at both ends of the
 * card and just beyond it, and print what the controller and card answered. */
#include "board.h"

#define INT_CMD_DONE  0x1u
#define INT_DATA_DONE 0x2u
#define INT_WRITE_RDY 0x10u
#define INT_READ_RDY  0x20u
#define INT_ERR       0x8000u
#define C1_CLK_INTLEN 0x1u
#define C1_CLK_STABLE 0x2u
#define C1_CLK_EN     0x4u
#define C1_SRST_HC    0x01000000u

#define CMD_GO_IDLE     0x00000000u
#define CMD_ALL_SEND_CID 0x02010000u
#define CMD_SEND_REL_ADDR 0x03020000u
#define CMD_SELECT      0x07030000u
#define CMD_SEND_IF_COND 0x08020000u
#define CMD_SEND_CSD    0x09010000u
#define CMD_STOP        0x0C030000u
#define CMD_SEND_STATUS 0x0D020000u
#define CMD_READ_SINGLE 0x11220010u
#define CMD_READ_MULTI  0x12220032u
#define CMD_WRITE_SINGLE 0x18220000u
#define CMD_APP         0x37020000u
#define ACMD_OP_COND    0x29020000u
#define ACMD_SEND_SCR   0x33220010u

static unsigned int rca, sdhc;
static unsigned int buf[128];

/* Waits for any of `mask` or an error; returns 0 or the error flags (and clears them). */
static unsigned int wait_int(unsigned int mask)
{
	for (unsigned long n = 0; n < 200000; n++) {
		unsigned int i = get32(EMMC_INTERRUPT);
		if (i & INT_ERR) { put32(EMMC_INTERRUPT, i); return i & 0xFFFF0000u; }
		if (i & mask) { put32(EMMC_INTERRUPT, i & mask); return 0; }
	}
	return 0xFFFFFFFFu; /* timeout */
}

static unsigned int cmd(unsigned int code, unsigned int arg)
{
	put32(EMMC_INTERRUPT, get32(EMMC_INTERRUPT));
	put32(EMMC_ARG1, arg);
	put32(EMMC_CMDTM, code);
	return wait_int(INT_CMD_DONE);
}

static unsigned int acmd(unsigned int code, unsigned int arg)
{
	unsigned int e = cmd(CMD_APP, rca << 16);
	return e ? e : cmd(code, arg);
}

static unsigned int addr_of(unsigned int block) { return sdhc ? block : block * 512; }

static void report(const char *what, unsigned int block, unsigned int err)
{
	uart_puts(what); uart_puts(" "); uart_dec(block); uart_puts(": ");
	if (!err) return;
	uart_puts("error "); uart_hex(err);
	cmd(CMD_SEND_STATUS, rca << 16);
	uart_puts(" status "); uart_hex(get32(EMMC_RESP0) & 0xFFF80000u);
	uart_puts("\r\n");
}

static unsigned int read_block(unsigned int block)
{
	put32(EMMC_BLKSIZECNT, (1 << 16) | 512);
	unsigned int e = cmd(CMD_READ_SINGLE, addr_of(block));
	if (!e) e = wait_int(INT_READ_RDY);
	if (e) return e;
	for (int i = 0; i < 128; i++) buf[i] = get32(EMMC_DATA);
	return wait_int(INT_DATA_DONE);
}

static unsigned int write_block(unsigned int block)
{
	put32(EMMC_BLKSIZECNT, (1 << 16) | 512);
	unsigned int e = cmd(CMD_WRITE_SINGLE, addr_of(block));
	if (!e) e = wait_int(INT_WRITE_RDY);
	if (e) return e;
	for (int i = 0; i < 128; i++) put32(EMMC_DATA, buf[i]);
	return wait_int(INT_DATA_DONE);
}

static void show_read(unsigned int block)
{
	unsigned int e = read_block(block);
	report("read", block, e);
	if (e) return;
	uart_hex(buf[0]); uart_puts(" "); uart_hex(buf[1]); uart_puts(" .. "); uart_hex(buf[127]); uart_puts("\r\n");
}

static void fill(unsigned int block)
{
	for (unsigned int i = 0; i < 128; i++) buf[i] = 0xB0A00000u ^ (block << 8) ^ i;
}

static void write_check(unsigned int block)
{
	fill(block);
	unsigned int e = write_block(block);
	report("write", block, e);
	if (e) return;
	for (int i = 0; i < 128; i++) buf[i] = 0;
	e = read_block(block);
	unsigned int bad = 0;
	for (unsigned int i = 0; i < 128; i++) if (buf[i] != (0xB0A00000u ^ (block << 8) ^ i)) bad++;
	if (e) { uart_puts("read back error "); uart_hex(e); uart_puts("\r\n"); }
	else { uart_puts(bad ? "read back differs\r\n" : "read back ok\r\n"); }
}

void kmain(void)
{
	uart_init();
	put32(EMMC_CONTROL0, 0);
	put32(EMMC_CONTROL1, get32(EMMC_CONTROL1) | C1_SRST_HC);
	while (get32(EMMC_CONTROL1) & C1_SRST_HC) { }
	put32(EMMC_CONTROL1, C1_CLK_INTLEN | (0xE << 16) | (0x68 << 8));
	while (!(get32(EMMC_CONTROL1) & C1_CLK_STABLE)) { }
	put32(EMMC_CONTROL1, get32(EMMC_CONTROL1) | C1_CLK_EN);
	put32(EMMC_IRPT_EN, 0);
	put32(EMMC_IRPT_MASK, 0xFFFFFFFFu);
	uart_puts("host version "); uart_hex((get32(EMMC_SLOTISR_VER) >> 16) & 0xFF);
	uart_puts(" card "); uart_puts(get32(EMMC_STATUS) & (1 << 16) ? "inserted" : "absent"); uart_puts("\r\n");

	cmd(CMD_GO_IDLE, 0);
	unsigned int e = cmd(CMD_SEND_IF_COND, 0x1AA);
	uart_puts("CMD8 "); uart_hex(e ? e : get32(EMMC_RESP0)); uart_puts("\r\n");
	unsigned int ocr = 0;
	for (int n = 0; n < 100 && !(ocr & 0x80000000u); n++) {
		e = acmd(ACMD_OP_COND, 0x40FF8000u);
		if (e) break;
		ocr = get32(EMMC_RESP0);
	}
	if (!(ocr & 0x80000000u)) { uart_puts("no card: "); uart_hex(e); uart_puts("\r\n"); for (;;) asm volatile("wfe"); }
	sdhc = (ocr >> 30) & 1;
	uart_puts(sdhc ? "SDHC\r\n" : "SDSC\r\n");
	cmd(CMD_ALL_SEND_CID, 0);
	cmd(CMD_SEND_REL_ADDR, 0);
	rca = get32(EMMC_RESP0) >> 16;
	uart_puts("RCA "); uart_hex(rca); uart_puts("\r\n");
	cmd(CMD_SEND_CSD, rca << 16);
	unsigned int r1 = get32(EMMC_RESP1), r2 = get32(EMMC_RESP2), r3 = get32(EMMC_RESP3);
	unsigned int blocks;
	if (((r3 >> 22) & 3) == 1) blocks = (((r1 >> 8) & 0x3FFFFF) + 1) * 1024;
	else {
		unsigned int c_size = ((r2 & 3) << 10) | (r1 >> 22), mult = (r1 >> 7) & 7, bl_len = (r2 >> 8) & 15;
		blocks = ((c_size + 1) << (mult + 2)) << (bl_len - 9);
	}
	uart_puts("blocks "); uart_dec(blocks); uart_puts("\r\n");
	cmd(CMD_SELECT, rca << 16);
	put32(EMMC_BLKSIZECNT, (1 << 16) | 8);
	e = acmd(ACMD_SEND_SCR, 0);
	if (!e) e = wait_int(INT_READ_RDY);
	unsigned int scr0 = e ? 0 : get32(EMMC_DATA);
	if (!e) { get32(EMMC_DATA); wait_int(INT_DATA_DONE); }
	uart_puts("SCR "); uart_hex(scr0); uart_puts("\r\n");

	show_read(0);
	show_read(blocks - 1);
	write_check(1);
	write_check(blocks - 1);
	show_read(blocks);
	fill(blocks);
	report("write", blocks, write_block(blocks));
	/* Two blocks from the last one: the first arrives, the second is beyond the card. */
	put32(EMMC_BLKSIZECNT, (2 << 16) | 512);
	e = cmd(CMD_READ_MULTI, addr_of(blocks - 1));
	unsigned int got = 0;
	while (!e && got < 2) {
		e = wait_int(INT_READ_RDY);
		if (e) break;
		for (int i = 0; i < 128; i++) buf[i] = get32(EMMC_DATA);
		got++;
	}
	cmd(CMD_STOP, 0);
	uart_puts("read2 "); uart_dec(blocks - 1); uart_puts(": blocks "); uart_dec(got);
	if (e) { uart_puts(" error "); uart_hex(e); }
	uart_puts("\r\ndone\r\n");
	for (;;) asm volatile("wfe");
}
