// Lesson 3 boot code: only core 0 goes on; it drops from EL3 to EL1, clears
// .bss, sets up its stack and calls kernel_main (TypeScript, kernel/kernel.ts).
// Booted with kernel_old=1 semantics: every core starts here, at EL3.
#include "arm/sysregs.h"
#include "mm.h"

.section ".text.boot"

.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #0xFF		// Aff0: which core is this?
	cbz	x0, master
	b	proc_hang		// cores 1-3 have nothing to do in this lesson

proc_hang:
	b	proc_hang

master:
	ldr	x0, =SCTLR_VALUE_MMU_DISABLED
	msr	sctlr_el1, x0
	ldr	x0, =HCR_VALUE
	msr	hcr_el2, x0
	ldr	x0, =SCR_VALUE
	msr	scr_el3, x0
	ldr	x0, =SPSR_VALUE
	msr	spsr_el3, x0
	adr	x0, el1_entry
	msr	elr_el3, x0
	eret				// to el1_entry, at EL1h with DAIF masked

el1_entry:
	adr	x0, bss_begin
	adr	x1, bss_end
	sub	x1, x1, x0
	bl	memzero
	mov	sp, #LOW_MEMORY
	bl	kernel_main
	b	proc_hang		// kernel_main does not return
