// Entry of our test kernels: core 0 clears .bss, takes a stack and calls
// kmain at the EL the firmware started it in; the other cores wait forever.
.section .text.boot
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, wait_forever
	ldr	x0, =bss_begin
	ldr	x1, =bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =stack_top
	mov	sp, x0
	bl	kmain
	b	wait_forever

.globl wait_forever
wait_forever:
	wfe
	b	wait_forever

.globl current_el
current_el:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	ret

.globl irq_enable
irq_enable:
	msr	daifclr, #2
	ret

.globl irq_disable
irq_disable:
	msr	daifset, #2
	ret

// drop_to_el1(entry): from EL3 or EL2 to EL1h (AArch64, interrupts masked), same stack.
.globl drop_to_el1
drop_to_el1:
	mov	x2, sp
	msr	sp_el1, x2
	ldr	x1, =0x30d00800		// SCTLR_EL1: RES1 bits, MMU and caches off
	msr	sctlr_el1, x1
	mov	x1, #(1 << 31)		// HCR_EL2.RW
	msr	hcr_el2, x1
	mov	x1, #0x3c5		// EL1h, DAIF masked
	mrs	x3, CurrentEL
	cmp	x3, #(3 << 2)
	b.ne	3f
	mov	x4, #0x431		// SCR_EL3: RW, RES1 5:4, NS
	msr	scr_el3, x4
	msr	spsr_el3, x1
	msr	elr_el3, x0
	eret
3:	msr	spsr_el2, x1
	msr	elr_el2, x0
	eret

	.section .bss
	.align 4
	.space 0x4000
stack_top:
