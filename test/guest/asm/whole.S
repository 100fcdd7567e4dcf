// A whole file for the byte-equality test: sections, macros with defaults,
// .rept/.irp (labels before them too), literal pools (end of section and .ltorg), numeric local labels,
// the C preprocessor and expressions.
#include "whole.h"

	.macro	pushpair a, b, off=16
	stp	\a, \b, [sp, #-\off]!
	.endm

	.macro	table name, count
\name:
	.rept	\count
	.word	. - \name
	.endr
	.endm

.section .text.boot
.globl _start
_start:
	pushpair x29, x30
	pushpair x19, x20, 32
	ldr	x0, =BIG_CONSTANT
	ldr	w1, =(1 << 20) | 7
	ldr	x2, =message
	adr	x3, table1
	adrp	x4, data_word
	add	x4, x4, :lo12:data_word
	mov	x5, #SQUARE(12)
#if FEATURE_LEVEL > 1
	mov	x6, #(2 + 3 * 4)
#else
	mov	x6, #0
#endif
#ifdef NOT_DEFINED
	.word	0xdeadbeef
#endif
1:	subs	x5, x5, #1
	b.ne	1b
	cbz	x6, 2f
	.irp	reg, x7, x8, x9
	mov	\reg, #'A'
	.endr
2:	bl	helper
	b	.

	.ltorg

.text
helper:
	mov	x10, #(~0 & 0xff)
	ldr	x11, =0x1122334455667788
	ldr	x12, =0x1122334455667788
	ldr	w13, =0x3F215040
	ret
	table table1, 4
// Labels before block and conditional directives, as GNU as takes them.
repeated: .rept 3
	add	x3, x3, #1
	.endr
3:	.irp	r, 4, 5
	mov	x\r, #7
	.endr
	b	repeated
	b	3b
	.if 0
skipped: .word 9
	.endif
kept:	.if 1
	.word	10
	.endif
	b	kept

.section .rodata
message:
	.asciz	"Hello\tworld\n"
	.ascii	"no zero"
	.byte	1, 2, 3, 'z'
	.balign	8
	.hword	0x1234, -1
	.quad	message, _start + 4

.data
	.align	4
data_word:
	.word	0x12345678
	.set	ANSWER, 42
	.word	ANSWER * 2
	.skip	3, 0xaa
	.p2align 3
	.quad	data_word, ANSWER - 2

.bss
	.skip	100
