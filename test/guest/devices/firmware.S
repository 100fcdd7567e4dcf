// Booted like the Pi 3 firmware boots a 64-bit kernel: loaded at 0x80000,
// core 0 at EL2, cores 1-3 waiting in the spin table. Core 0 prints its EL,
// releases core 1 through spin_cpu1 (0xe0) and SEV; core 1 prints its number.
// Output goes through semihosting so no UART set-up is needed.
.globl _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, secondary
	adr	x1, msg_el
	bl	puts
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	add	x0, x0, #'0'
	bl	putc
	adr	x1, msg_nl
	bl	puts
	adr	x0, secondary
	mov	x1, #0xe0
	str	x0, [x1]
	dsb	sy
	sev
1:	ldr	x2, flag
	cbz	x2, 1b
	adr	x1, msg_done
	bl	puts
	mov	x0, #0x18
	adr	x1, exit_block
	hlt	#0xf000

secondary:
	adr	x1, msg_core
	bl	puts
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	add	x0, x0, #'0'
	bl	putc
	adr	x1, msg_nl
	bl	puts
	adr	x1, flag
	mov	x2, #1
	str	x2, [x1]
	b	.

puts:	mov	x0, #4			// SYS_WRITE0, x1 = string
	hlt	#0xf000
	ret
putc:	adr	x1, chr
	strb	w0, [x1]
	mov	x0, #3			// SYS_WRITEC
	hlt	#0xf000
	ret

msg_el:	.asciz	"core 0 at EL"
msg_nl:	.asciz	"\n"
msg_core: .asciz "hello from core "
msg_done: .asciz "done\n"
chr:	.byte	0
	.align	3
flag:	.quad	0
exit_block: .quad 0x20026, 0
