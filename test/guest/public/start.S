// Entry of the freestanding builds of public programs (scripts/bench-build.mjs): one core, a stack
// from the linker script, .bss zeroed, SIMD&FP enabled at whatever EL the loader starts us in
// (rpi-os's raw-image boot: EL2; qemu-system-aarch64 -M virt -kernel: EL1), then main(), whose
// status leaves through semihosting SYS_EXIT (support.c).
.section .text.boot, "ax"
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbz	x0, 1f
0:	wfe			// other cores (qemu -M raspi3b starts four) stay parked
	b	0b
1:	ldr	x1, =__stack_top
	mov	sp, x1
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.ne	2f
	// ARM ARM D13.2.31: CPTR_EL2.TFP (bit 10) clear, the RES1 bits set.
	mov	x1, #0x33ff
	msr	cptr_el2, x1
2:	// CPACR_EL1.FPEN = 0b11 (ARM ARM D13.2.30); harmless where EL1 is not the running EL.
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b
4:	bl	main
	bl	semihost_exit
	b	.
