// Guest helpers for the lesson steps (kernel/lesson.ts); not part of lesson 3.

// take_svc(): an SVC from EL1h, which entry.S reports as SYNC_INVALID_EL1h.
.globl take_svc
take_svc:
	svc	#0
	ret

// regs_survive_irqs(n): fills x1-x28 with known values, waits for n interrupts
// with wfi, and returns 0 if every register still holds its value, else the
// 1 if one of them changed.
.globl regs_survive_irqs
regs_survive_irqs:
	stp	x19, x20, [sp, #-96]!
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x29, x0			// interrupts to wait for
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	mov	x\n, #(\n * 0x101)
	.endr
1:	wfi
	subs	x29, x29, #1
	b.ne	1b
	mov	x0, #0
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	mov	x30, #(\n * 0x101)
	cmp	x\n, x30
	b.ne	9f
	.endr
	b	2f
9:	mov	x0, #1
2:	ldp	x29, x30, [sp, #80]
	ldp	x27, x28, [sp, #64]
	ldp	x25, x26, [sp, #48]
	ldp	x23, x24, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #96
	ret

// compute_checksum(n): n rounds of a mixing function over x1-x6; returns
// x1 ^ x2 ^ x3 ^ x4 ^ x5 ^ x6. test/kernel.test.ts computes the same in
// TypeScript: any register an interrupt corrupts changes the result.
.globl compute_checksum
compute_checksum:
	mov	x1, #1
	mov	x2, #2
	mov	x3, #3
	mov	x4, #4
	mov	x5, #5
	mov	x6, #6
	mov	x7, #0x4c95
	movk	x7, #0x5851, lsl #16
	movk	x7, #0xf42d, lsl #32
	movk	x7, #0x5851, lsl #48	// K = 0x5851f42d58514c95
1:	madd	x1, x1, x7, x2		// x1 = x1 * K + x2
	add	x2, x2, x1, lsr #17
	eor	x3, x3, x2, ror #11
	add	x4, x4, x3
	eor	x5, x5, x4, lsl #3
	sub	x6, x6, x5
	subs	x0, x0, #1
	b.ne	1b
	eor	x0, x1, x2
	eor	x0, x0, x3
	eor	x0, x0, x4
	eor	x0, x0, x5
	eor	x0, x0, x6
	ret

// cpu_do_idle(): wait for an interrupt with IRQs enabled (the Linux idle loop's arch hook).
.globl cpu_do_idle
cpu_do_idle:
	dsb	sy
	wfi
	ret
