// Entry of the FP/SIMD test program (ours): EL1 (dropped to from EL2 if started there),
// stack in .bss, exception vectors, the FP trap probe with FP still disabled, then main.
.section .text.boot
.globl _start
_start:
	mrs	x0, CurrentEL
	cmp	x0, #8
	b.ne	1f
	mov	x0, #(1 << 31)		// HCR_EL2.RW: EL1 is AArch64
	msr	hcr_el2, x0
	mov	x0, #0x3c5		// EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret
1:	ldr	x1, =stack_top
	mov	sp, x1
	ldr	x1, =bss_begin
	ldr	x2, =bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	bl	trap_probe
	bl	main
	bl	semihost_exit
	b	.

// EL1h synchronous exceptions call sync_handler(esr, elr, far); it may change ELR.
.macro	ventry label
	.align	7
	b	\label
.endm
.align 11
vectors:
	ventry	bad
	ventry	bad
	ventry	bad
	ventry	bad
	ventry	el1_sync
	ventry	bad
	ventry	bad
	ventry	bad
	.rept	8
	ventry	bad
	.endr
bad:	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	unexpected_exception
	b	.
el1_sync:
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
	stp	x18, x30, [sp, #144]
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	sync_handler
	msr	elr_el1, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret
