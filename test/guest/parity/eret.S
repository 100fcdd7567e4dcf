// eret_to_el1h(entry): from EL2 to EL1h with DAIF masked and the same stack, touching nothing
// else: HCR_EL2 and SCTLR_EL1 stay as the firmware left them.
.globl eret_to_el1h
eret_to_el1h:
	mov	x1, sp
	msr	sp_el1, x1
	mov	x1, #0x3c5		// SPSR_EL2: EL1h, D A I F masked
	msr	spsr_el2, x1
	msr	elr_el2, x0
	eret
