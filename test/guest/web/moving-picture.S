// A picture that never stops moving: 640x480x32 through the mailbox's property channel (the
// tags fb.c uses), then frame after frame of a colour ramp shifted by one pixel. The web lab's
// test runs it as a user's kernel8.img to see the canvas follow a framebuffer that changes all
// the time at a bounded frame rate while the page stays responsive. Our own program, assembled
// by tools/asm in the test.
	.equ	MBOX_READ, 0x3F00B880
	.equ	MBOX_STATUS, 0x3F00B898
	.equ	MBOX_WRITE, 0x3F00B8A0
	.equ	MBOX_FULL, 31
	.equ	MBOX_EMPTY, 30
	.equ	WIDTH, 640
	.equ	HEIGHT, 480

	.globl	_start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, park
	adr	x1, mbox
	orr	w4, w1, #8		// channel 8: property tags (the buffer is 16-byte aligned)
	ldr	x2, =MBOX_STATUS
1:	ldr	w3, [x2]
	tbnz	w3, #MBOX_FULL, 1b
	ldr	x5, =MBOX_WRITE
	str	w4, [x5]
2:	ldr	w3, [x2]
	tbnz	w3, #MBOX_EMPTY, 2b
	ldr	x5, =MBOX_READ
	ldr	w6, [x5]
	cmp	w6, w4
	b.ne	2b
	ldr	w7, [x1, #28 * 4]	// the buffer's bus address
	and	w7, w7, #0x3FFFFFFF
	ldr	w8, [x1, #33 * 4]	// pitch
	cbz	w7, park
	mov	w9, #0			// frame number
frame:
	mov	x10, x7			// row address
	mov	w11, #0			// y
row:
	mov	x13, x10
	mov	w12, #0			// x
pixel:
	add	w14, w12, w9		// red: x + frame
	and	w14, w14, #0xff
	add	w15, w11, w9		// green: y + frame
	and	w15, w15, #0xff
	orr	w14, w14, w15, lsl #8
	and	w15, w9, #0xff		// blue: the frame
	orr	w14, w14, w15, lsl #16
	str	w14, [x13], #4
	add	w12, w12, #1
	cmp	w12, #WIDTH
	b.ne	pixel
	add	x10, x10, x8
	add	w11, w11, #1
	cmp	w11, #HEIGHT
	b.ne	row
	add	w9, w9, #1
	b	frame
park:
	wfe
	b	park

	.ltorg
	.balign	16
mbox:
	.word	35 * 4, 0
	.word	0x48003, 8, 0, WIDTH, HEIGHT	// physical size
	.word	0x48004, 8, 0, WIDTH, HEIGHT	// virtual size
	.word	0x48009, 8, 0, 0, 0		// virtual offset
	.word	0x48005, 4, 0, 32		// depth
	.word	0x48006, 4, 0, 1		// pixel order RGB
	.word	0x40001, 8, 0, 4096, 0		// allocate: base, size
	.word	0x40008, 4, 0, 0		// pitch
	.word	0
