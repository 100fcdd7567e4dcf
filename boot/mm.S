// memzero(start, size): clears size bytes (a multiple of 8) from start.

.globl memzero
memzero:
	str	xzr, [x0], #8
	subs	x1, x1, #8
	b.gt	memzero
	ret
