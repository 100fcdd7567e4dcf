// Asks the VideoCore mailbox (property channel 8) for the board revision, the
// ARM memory and the UART clock, and prints the answers through semihosting.
.equ MBOX_BASE, 0x3f00b880
.equ MBOX0_READ, 0x00
.equ MBOX0_STATUS, 0x18
.equ MBOX1_WRITE, 0x20
.equ MBOX1_STATUS, 0x38
.globl _start
_start:
	ldr	x9, =MBOX_BASE
1:	ldr	w0, [x9, #MBOX1_STATUS]
	tbnz	w0, #31, 1b		// full
	adr	x1, buffer
	orr	w1, w1, #8		// channel 8
	str	w1, [x9, #MBOX1_WRITE]
2:	ldr	w0, [x9, #MBOX0_STATUS]
	tbnz	w0, #30, 2b		// empty
	ldr	w2, [x9, #MBOX0_READ]
	cmp	w1, w2
	b.ne	fail
	adr	x10, buffer
	ldr	w0, [x10, #4]		// response code
	bl	print_word
	ldr	w0, [x10, #20]		// board revision
	bl	print_word
	ldr	w0, [x10, #36]		// ARM memory base
	bl	print_word
	ldr	w0, [x10, #40]		// ARM memory size
	bl	print_word
	ldr	w0, [x10, #60]		// UART clock rate
	bl	print_word
	mov	x0, #0x18
	adr	x1, exit_ok
	hlt	#0xf000
fail:	mov	x0, #0x18
	adr	x1, exit_fail
	hlt	#0xf000

// print_word(w0): 8 hex digits and a newline through SYS_WRITE0.
print_word:
	adr	x1, text
	mov	x3, #28
3:	lsr	w4, w0, w3
	and	w4, w4, #0xf
	cmp	w4, #10
	add	w5, w4, #'0'
	add	w6, w4, #('a' - 10)
	csel	w4, w5, w6, lt
	strb	w4, [x1], #1
	subs	x3, x3, #4
	b.ge	3b
	mov	w4, #'\n'
	strh	w4, [x1]
	adr	x1, text
	mov	x0, #4
	hlt	#0xf000
	ret

	.align	4
buffer:	.word	76, 0
	.word	0x00010002, 4, 0, 0			// board revision
	.word	0x00010005, 8, 0, 0, 0			// ARM memory
	.word	0x00030002, 8, 0, 2, 0			// clock rate of clock 2 (UART)
	.word	0
	.space	12
text:	.space	16
	.align	3
exit_ok:	.quad 0x20026, 0
exit_fail:	.quad 0x20026, 1
