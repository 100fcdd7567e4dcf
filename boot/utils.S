// Small helpers the C side of the tutorial calls; the TypeScript kernel has its
// own put32/get32/delay (kernel/utils.ts) that go through the host bus port.

.globl get_el
get_el:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	ret

.globl put32
put32:
	str	w1, [x0]
	ret

.globl get32
get32:
	ldr	w0, [x0]
	ret

.globl delay
delay:
	subs	x0, x0, #1
	bne	delay
	ret
