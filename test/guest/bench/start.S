// Bare-metal entry: x0 = workload index (set by the host), stack below 0x80000.
.section .text.boot
.globl _start
_start:
	mov	x1, #0x80000
	mov	sp, x1
	ldr	x1, =bss_begin
	ldr	x2, =bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	bench_main
	b	.
