/* Framebuffer painter: 320x200, 32 bits, RGB order through the mailbox, then
 * eight vertical colour bars over a horizontal grey ramp in the bottom quarter. */
#include "board.h"

static volatile unsigned int __attribute__((aligned(16))) mbox[36];

void kmain(void)
{
	uart_init();
	unsigned int i = 0;
	mbox[i++] = 35 * 4; mbox[i++] = 0;
	mbox[i++] = 0x48003; mbox[i++] = 8; mbox[i++] = 0; mbox[i++] = 320; mbox[i++] = 200; /* physical */
	mbox[i++] = 0x48004; mbox[i++] = 8; mbox[i++] = 0; mbox[i++] = 320; mbox[i++] = 200; /* virtual */
	mbox[i++] = 0x48009; mbox[i++] = 8; mbox[i++] = 0; mbox[i++] = 0; mbox[i++] = 0;     /* offset */
	mbox[i++] = 0x48005; mbox[i++] = 4; mbox[i++] = 0; mbox[i++] = 32;                   /* depth */
	mbox[i++] = 0x48006; mbox[i++] = 4; mbox[i++] = 0; mbox[i++] = 1;                    /* RGB */
	mbox[i++] = 0x40001; mbox[i++] = 8; mbox[i++] = 0; mbox[i++] = 4096; mbox[i++] = 0;  /* allocate */
	mbox[i++] = 0x40008; mbox[i++] = 4; mbox[i++] = 0; mbox[i++] = 0;                    /* pitch */
	mbox[i++] = 0;
	unsigned int r = mbox_call(mbox);
	unsigned int width = mbox[5], height = mbox[6], depth = mbox[20], order = mbox[24];
	unsigned long base = mbox[28] & 0x3FFFFFFF;
	unsigned int size = mbox[29], pitch = mbox[33];
	uart_puts("mailbox "); uart_hex(r);
	uart_puts("\r\nsize "); uart_dec(width); uart_puts("x"); uart_dec(height);
	uart_puts(" depth "); uart_dec(depth); uart_puts(" order "); uart_dec(order);
	uart_puts(" pitch "); uart_dec(pitch); uart_puts(" bytes "); uart_dec(size);
	uart_puts("\r\n");
	if (!base || depth != 32) { uart_puts("no framebuffer\r\n"); for (;;) asm volatile("wfe"); }
	static const unsigned int bars[8] = { 0xFFFFFF, 0x00FFFF, 0xFFFF00, 0x00FF00, 0xFF00FF, 0x0000FF, 0xFF0000, 0x000000 };
	for (unsigned int y = 0; y < height; y++) {
		volatile unsigned int *row = (volatile unsigned int *)(base + y * pitch);
		for (unsigned int x = 0; x < width; x++) {
			unsigned int c;
			if (y < height * 3 / 4) c = bars[x * 8 / width];          /* 0xBBGGRR: byte 0 = red */
			else { unsigned int g = x * 255 / (width - 1); c = g | g << 8 | g << 16; }
			row[x] = c;
		}
	}
	uart_puts("painted\r\n");
	for (;;) asm volatile("wfe");
}
