// Entry of the freestanding builds of public programs (scripts/bench-build.mjs): one core, a stack
// from the linker script, .bss zeroed, SIMD&FP enabled at whatever EL the loader starts us in
// (rpi-os's raw-image boot: EL2; qemu-system-aarch64 -M virt -kernel: EL1), then main(), whose
// status leaves through semihosting SYS_EXIT (support.c).
//
// Built with -DMMU_ON (the bench's "O2mmu" rows), it first goes down to EL1 if it started at EL2
// and turns the stage 1 MMU and the caches on with an identity map (mmu_on below), so that every
// fetch and access of the program is translated, as under an OS: the engines' translating paths
// (ours: soc/cpu/mmu.ts and the TLB probes of compiled code; QEMU's softmmu with a page table).
.section .text.boot, "ax"
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbz	x0, 1f
0:	wfe			// other cores (qemu -M raspi3b starts four) stay parked
	b	0b
1:	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.ne	2f
	// ARM ARM D13.2.31: CPTR_EL2.TFP (bit 10) clear, the RES1 bits set.
	mov	x1, #0x33ff
	msr	cptr_el2, x1
#ifdef MMU_ON
	// To EL1h with DAIF masked (ARM ARM D1.10: ERET to SPSR_EL2's mode); HCR_EL2.RW: EL1 is AArch64.
	mov	x1, #(1 << 31)
	msr	hcr_el2, x1
	mov	x1, #0x3c5
	msr	spsr_el2, x1
	adr	x1, 2f
	msr	elr_el2, x1
	eret
#endif
2:	ldr	x1, =__stack_top
	mov	sp, x1
	// CPACR_EL1.FPEN = 0b11 (ARM ARM D13.2.30); harmless where EL1 is not the running EL.
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b
4:
#ifdef MMU_ON
	bl	mmu_on
#endif
	bl	main
	bl	semihost_exit
	b	.

#ifdef MMU_ON
// Stage 1 of the EL1&0 regime, 4 KB granule, 39-bit VAs (the walk starts at level 1: a 1 GB
// entry each; ARM ARM D8.2). GB 0 is a level 2 table of 2 MB blocks, Normal memory below
// 0x3F000000 (the BCM2837's RAM) and Device-nGnRnE from there (its peripherals, and the virt
// machine's devices); GB 1, the virt machine's RAM, is one Normal block. Identity: VA = PA.
#define DESC_BLOCK	0x1
#define DESC_TABLE	0x3
#define DESC_AF		(1 << 10)
#define DESC_SH_INNER	(3 << 8)
#define DESC_ATTR(i)	((i) << 2)
#define MAIR_DEVICE	0	// MAIR_EL1 Attr0: Device-nGnRnE
#define MAIR_NORMAL	1	// Attr1: Normal, inner and outer write-back, read and write allocate
#define MAIR_NORMAL_ATTR 0xff
#define NORMAL_BLOCK	(DESC_BLOCK | DESC_AF | DESC_SH_INNER | DESC_ATTR(MAIR_NORMAL))
#define DEVICE_BLOCK	(DESC_BLOCK | DESC_AF | DESC_ATTR(MAIR_DEVICE))
// TCR_EL1 (ARM ARM D13.2.120): T0SZ 25, walks cached write-back and inner shareable, TG0 4 KB,
// EPD1 (no TTBR1 walks), IPS 36 bits.
#define TCR_VALUE	(25 | (1 << 8) | (1 << 10) | (3 << 12) | (25 << 16) | (1 << 23) | (1 << 32))
// SCTLR_EL1 (ARM ARM D13.2.113): the ARMv8.0 RES1 bits, M, C and I; A clear (no alignment checks).
#define SCTLR_VALUE	(0x30d00800 | (1 << 12) | (1 << 2) | 1)
.text
mmu_on:
	adrp	x0, pt_level2
	mov	x1, #NORMAL_BLOCK
	mov	x2, #(0x3f000000 >> 21)	// the first Device block
	mov	x3, #0
5:	cmp	x3, x2
	b.lo	6f
	mov	x1, #DEVICE_BLOCK
6:	orr	x4, x1, x3, lsl #21
	str	x4, [x0, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #512
	b.lo	5b
	adrp	x1, pt_level1
	orr	x2, x0, #DESC_TABLE
	str	x2, [x1]
	mov	x2, #NORMAL_BLOCK
	orr	x2, x2, #(1 << 30)
	str	x2, [x1, #8]
	mov	x0, #(MAIR_NORMAL_ATTR << (8 * MAIR_NORMAL))
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	msr	tcr_el1, x0
	msr	ttbr0_el1, x1
	dsb	ish
	isb
	ldr	x0, =SCTLR_VALUE
	msr	sctlr_el1, x0
	isb
	ret

.bss
.balign 4096
pt_level1:	.space 4096
pt_level2:	.space 4096
#endif
