// EL1 vector table of our test kernels: every entry saves x0-x30, calls
// handle_irq (IRQ from EL1h) or handle_exception(vector, esr, elr, far), and
// returns with eret to the ELR handle_exception gives back.
	.macro	save
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	.endm

	.macro	restore
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #256
	eret
	.endm

	.macro	entry n
	.align	7
	save
	mov	x0, #\n
	b	common
	.endm

	.align	11
vectors:
	entry 0
	entry 1
	entry 2
	entry 3
	entry 4
	.align 7
	save
	bl	handle_irq
	restore
	entry 6
	entry 7
	entry 8
	entry 9
	entry 10
	entry 11
	entry 12
	entry 13
	entry 14
	entry 15

common:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	handle_exception
	cbz	x0, wait_forever
	msr	elr_el1, x0
	restore

.globl vectors_install
vectors_install:
	adr	x0, vectors
	msr	vbar_el1, x0
	ret
