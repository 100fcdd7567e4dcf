// Interrupt set-up helpers called from kernel_main.

.globl irq_vector_init
irq_vector_init:
	adr	x0, vectors		// entry.S
	msr	vbar_el1, x0
	ret

.globl enable_irq
enable_irq:
	msr	daifclr, #2		// clear PSTATE.I: IRQs may be taken
	ret

.globl disable_irq
disable_irq:
	msr	daifset, #2		// set PSTATE.I: IRQs wait
	ret
