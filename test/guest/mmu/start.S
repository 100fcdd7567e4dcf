// Entry, vector tables and access helpers of our MMU test kernel (mmu.c).
// Core 0 clears .bss, takes a stack and calls kmain at EL3; cores 1-3 wait.
// Every EL has a vector table whose entries save the caller-saved registers, x29 and x30
// (each at 8 * its number) and call
// on_exception(regs, el << 8 | entry, esr, elr, far); its result is the ELR to
// return to, or 1: "the user program is done" (an SVC from EL0, see run_user).
.section .text.boot
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, 3f
	ldr	x0, =bss_begin
	ldr	x1, =bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =stack_top
	mov	sp, x0
	bl	kmain
3:	wfe
	b	3b

.text
	.macro	vtable el
	.align	11
vectors_el\el:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.align	7
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	x1, #((\el << 8) | \n)
	b	common_el\el
	.endr
common_el\el:
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x29, x30, [sp, #232]
	mov	x0, sp
	mrs	x2, esr_el\el
	mrs	x3, elr_el\el
	mrs	x4, far_el\el
	bl	on_exception
	cmp	x0, #1
	b.eq	user_done
	msr	elr_el\el, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x29, x30, [sp, #232]
	add	sp, sp, #256
	eret
	.endm

	vtable	3
	vtable	2
	vtable	1

.globl vectors_install
vectors_install:
	adr	x0, vectors_el3
	msr	vbar_el3, x0
	adr	x0, vectors_el2
	msr	vbar_el2, x0
	adr	x0, vectors_el1
	msr	vbar_el1, x0
	isb
	ret

// run_user(fn, arg, user_sp): runs fn(arg) at EL0t; fn ends with svc #0 and x0 = result.
.globl run_user
run_user:
	adr	x9, user_save
	stp	x19, x20, [x9, #0]
	stp	x21, x22, [x9, #16]
	stp	x23, x24, [x9, #32]
	stp	x25, x26, [x9, #48]
	stp	x27, x28, [x9, #64]
	stp	x29, x30, [x9, #80]
	mov	x10, sp
	str	x10, [x9, #96]
	msr	sp_el0, x2
	msr	elr_el1, x0
	mov	x10, #0x3c0		// EL0t, DAIF masked
	msr	spsr_el1, x10
	mov	x0, x1
	eret
user_done:
	ldr	x0, [sp, #0]		// the user's x0
	adr	x9, user_save
	ldp	x19, x20, [x9, #0]
	ldp	x21, x22, [x9, #16]
	ldp	x23, x24, [x9, #32]
	ldp	x25, x26, [x9, #48]
	ldp	x27, x28, [x9, #64]
	ldp	x29, x30, [x9, #80]
	ldr	x10, [x9, #96]
	mov	sp, x10
	ret

// enter_el(el, fn, sctlr): from EL3 to EL2h or EL1h (AArch64, DAIF masked) at fn, same stack.
.globl enter_el
enter_el:
	mov	x9, sp
	cmp	x0, #2
	b.eq	1f
	msr	sp_el1, x9
	mov	x10, #0x3c5
	b	2f
1:	msr	sp_el2, x9
	mov	x10, #0x3c9
2:	mrs	x11, CurrentEL
	cmp	x11, #(3 << 2)
	b.ne	3f
	msr	spsr_el3, x10
	msr	elr_el3, x1
	eret
3:	msr	spsr_el2, x10
	msr	elr_el2, x1
	eret

// Single accesses: a fault skips the instruction (x0 keeps the address).
.globl rd64, rd32, rd8, wr64, wr8, ldp_pair, stp_pair, ldxr64, stxr64, dczva, ldtr64, sttr64, call_at, rd32_unaligned
rd64:	ldr	x0, [x0]
	ret
rd32:	ldr	w0, [x0]
	ret
rd8:	ldrb	w0, [x0]
	ret
rd32_unaligned:
	ldr	w0, [x0, #1]
	ret
wr64:	str	x1, [x0]
	ret
wr8:	strb	w1, [x0]
	ret
ldp_pair:
	mov	x1, #0
	ldp	x1, x2, [x0]
	add	x0, x1, x2
	ret
stp_pair:
	stp	x1, x1, [x0]
	ret
ldxr64:	ldxr	x0, [x0]
	ret
stxr64:	mov	x2, #7
	stxr	w2, x1, [x0]
	mov	x0, x2
	ret
dczva:	dc	zva, x0
	ret
ldtr64:	ldtr	x0, [x0]
	ret
sttr64:	sttr	x1, [x0]
	ret
// call_at(addr): blr to addr; an instruction abort there returns to our caller (x30).
call_at:
	stp	x29, x30, [sp, #-16]!
	blr	x0
	ldp	x29, x30, [sp], #16
	ret

// EL0 programs (in their own page, readable and executable at EL0): x0 = address.
	.section .text.user, "ax"
	.align 12
.globl user_page_start, user_read, user_write, user_exec, user_page_end
user_page_start:
user_read:
	ldr	x0, [x0]
	svc	#0
user_write:
	mov	x1, #0x55
	str	x1, [x0]
	mov	x0, #0
	svc	#0
user_exec:
	blr	x0
	svc	#0
	.align 12
user_page_end:

	.section .bss
	.align 4
user_save:
	.space	112
	.align 4
	.space	0x4000
.globl stack_top
stack_top:
