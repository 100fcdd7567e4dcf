// Boot of our lesson-6-style kernel (lesson6.c): the kernel is linked in the upper half
// (0xffff000000000000 + its physical address, TTBR1_EL1) and starts at physical 0 with the MMU
// off, in EL3 (QEMU -M raspi3b, kernel_old) or EL2. Core 0 drops to EL1, maps the first GiB
// twice (identity through TTBR0 for the next few instructions, high through TTBR1) with 2 MiB
// blocks (the peripherals as Device memory), turns the MMU on, jumps high, forgets TTBR0 and
// calls kernel_main. Cores 1-3 wait.
#define VA_START 0xffff000000000000
#define TBL 0x200000			// tables: TTBR0 L0/L1/L2 at TBL, +0x1000, +0x2000; TTBR1 L0/L1/L2 at +0x3000..
#define BLOCK_NORMAL 0x705		// AttrIndx 1, SH inner, AF, block
#define BLOCK_DEVICE 0x401		// AttrIndx 0, AF, block
.section .text.boot
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, hang
	mrs	x0, CurrentEL
	cmp	x0, #(3 << 2)
	b.ne	1f
	mov	x0, #0x431		// SCR_EL3: RW, NS
	msr	scr_el3, x0
	mov	x0, #(1 << 31)		// HCR_EL2.RW
	msr	hcr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el3, x0
	adr	x0, el1
	msr	elr_el3, x0
	eret
1:	mov	x0, #(1 << 31)
	msr	hcr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	adr	x0, el1
	msr	elr_el2, x0
	eret
el1:
	ldr	x0, =0x30d00800		// SCTLR_EL1: MMU off
	msr	sctlr_el1, x0
	// Zero six tables.
	mov	x0, #TBL
	mov	x1, #(6 * 0x1000)
2:	str	xzr, [x0], #8
	subs	x1, x1, #8
	b.ne	2b
	// L0[0] -> L1, L1[0] -> L2 in both; L2: 512 blocks of 2 MiB.
	mov	x0, #TBL
	bl	fill
	ldr	x0, =(TBL + 0x3000)
	bl	fill
	ldr	x0, =0x4400ff		// MAIR: 0 Device-nGnRnE, 1 Normal WB, 2 Normal NC (0x44)
	msr	mair_el1, x0
	// TCR: T0SZ = T1SZ = 16, 4 KiB granules, WB walks, IPS 40 bits, 16-bit ASIDs.
	ldr	x0, =(16 | (1 << 8) | (1 << 10) | (3 << 12) | (16 << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30) | (2 << 32) | (1 << 36))
	msr	tcr_el1, x0
	mov	x0, #TBL
	msr	ttbr0_el1, x0
	ldr	x0, =(TBL + 0x3000)
	msr	ttbr1_el1, x0
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #1
	orr	x0, x0, #(1 << 2)
	orr	x0, x0, #(1 << 12)
	msr	sctlr_el1, x0
	isb
	ldr	x0, =high
	br	x0
high:
	msr	ttbr0_el1, xzr		// no user space yet (every process brings its own)
	tlbi	vmalle1
	dsb	sy
	isb
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	bl	kernel_main
hang:	wfe
	b	hang

// fill(x0 = L0): L0[0] = L1 | 3, L1[0] = L2 | 3, L2[i] = i * 2 MiB | attrs.
fill:
	add	x1, x0, #0x1000
	orr	x2, x1, #3
	str	x2, [x0]
	add	x3, x1, #0x1000
	orr	x2, x3, #3
	str	x2, [x1]
	mov	x4, #0
3:	lsl	x5, x4, #21
	mov	x6, #BLOCK_NORMAL
	cmp	x4, #0x1f8
	b.lo	4f
	mov	x6, #BLOCK_DEVICE
4:	orr	x5, x5, x6
	str	x5, [x3, x4, lsl #3]
	add	x4, x4, #1
	cmp	x4, #512
	b.ne	3b
	ret

// The EL1 vectors: everything from EL0 (sync at 0x400) and EL1 goes to on_trap(regs, vector).
	.macro	ventry n
	.align	7
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x1, #\n
	b	trap
	.endm
	.align	11
vectors:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ventry	\n
	.endr
trap:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	mrs	x4, sp_el0
	stp	x30, x2, [sp, #240]
	stp	x3, x4, [sp, #256]
	mov	x0, sp
	bl	on_trap			// may switch the process: the frame is then the other one's
restore:
	ldp	x3, x4, [sp, #256]
	ldp	x30, x2, [sp, #240]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	msr	sp_el0, x4
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
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #272
	eret

// ret_to_user(frame): the first entry to EL0, through the end of the trap path.
.globl ret_to_user
ret_to_user:
	ldr	x1, =stack_top
	sub	sp, x1, #272
	mov	x2, #0
7:	ldr	x3, [x0, x2]
	str	x3, [sp, x2]
	add	x2, x2, #8
	cmp	x2, #272
	b.ne	7b
	b	restore

// User programs, copied to a page of each process (position independent, at VA 0).
// sys: x8 = number (0 write x0 = string, 1 yield, 2 exit, 3 getpid); svc #0.
	.section .rodata.user, "a"
	.align	12
.globl user_prog, user_prog_end
user_prog:
	mov	x8, #3
	svc	#0			// x0 = pid
	mov	x19, x0
	adr	x0, hello
	mov	x8, #0
	svc	#0
	// A counter in a page the kernel gives on first touch (VA 0x100000, demand paging).
	mov	x20, #0x100000
	mov	x21, #0
5:	ldr	x1, [x20]		// faults the first time: the kernel maps a zeroed page
	add	x1, x1, x19
	str	x1, [x20]
	add	x21, x21, #1
	// The code page is read-only: the text is built in the data page.
	add	x3, x20, #64
	adr	x0, tick
	ldr	x4, [x0]
	str	x4, [x3]
	ldr	x4, [x0, #8]
	str	x4, [x3, #8]
	add	w2, w19, #'0'
	strb	w2, [x3, #1]
	add	w2, w1, #'0'
	strb	w2, [x3, #6]
	mov	x0, x3
	mov	x8, #0
	svc	#0
	mov	x8, #1
	svc	#0			// yield
	cmp	x21, #3
	b.ne	5b
	cmp	x19, #2
	b.ne	6f
	// Process 2 then reads kernel memory: a permission fault, and the kernel ends it.
	ldr	x0, =0xffff000000000000
	ldr	x0, [x0]
6:	mov	x8, #2
	svc	#0
hello:	.asciz	"hello from user space\r\n"
	.align	3
tick:	.ascii	"pX: n=?\r\n"
	.byte	0, 0, 0, 0, 0, 0, 0
	.align	3
	.ltorg
	.align	12
user_prog_end:

	.section .bss
	.align	4
	.space	0x4000
stack_top:
