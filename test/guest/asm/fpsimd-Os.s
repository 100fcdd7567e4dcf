	.arch armv8-a+crypto
	.text
	.align	2
	.global	vadd
vadd:
.LFB0:
	mov	x4, 0
	fmov	s1, 2.5e+0
.L2:
	cmp	w3, w4
	bgt	.L3
	ret
.L3:
	ldr	s0, [x1, x4, lsl 2]
	ldr	s2, [x2, x4, lsl 2]
	fmadd	s0, s0, s2, s1
	str	s0, [x0, x4, lsl 2]
	add	x4, x4, 1
	b	.L2
.LFE0:
	.align	2
	.global	vaddd
vaddd:
.LFB1:
	mov	x3, 0
	fmov	d1, 7.5e-1
.L5:
	cmp	w2, w3
	bgt	.L6
	ret
.L6:
	ldr	d2, [x0, x3, lsl 3]
	ldr	d0, [x1, x3, lsl 3]
	fnmsub	d0, d2, d1, d0
	str	d0, [x0, x3, lsl 3]
	add	x3, x3, 1
	b	.L5
.LFE1:
	.align	2
	.global	isum
isum:
.LFB2:
	mov	x3, x0
	mov	x2, 0
	mov	w0, 0
.L8:
	cmp	w1, w2
	bgt	.L9
	ret
.L9:
	ldr	w4, [x3, x2, lsl 2]
	add	x2, x2, 1
	add	w0, w0, w4
	b	.L8
.LFE2:
	.align	2
	.global	bmax
bmax:
.LFB3:
	mov	x4, x0
	mov	x3, 0
	mov	w0, 0
.L11:
	cmp	w1, w3
	bgt	.L12
	ret
.L12:
	ldrb	w2, [x4, x3]
	add	x3, x3, 1
	cmp	w2, w0
	csel	w2, w2, w0, cs
	and	w0, w2, 255
	b	.L11
.LFE3:
	.align	2
	.global	i16mul
i16mul:
.LFB4:
	mov	x3, 0
.L14:
	cmp	w2, w3
	bgt	.L15
	ret
.L15:
	ldrsh	w4, [x0, x3, lsl 1]
	ldrsh	w5, [x1, x3, lsl 1]
	mul	w4, w4, w5
	asr	w4, w4, 3
	strh	w4, [x0, x3, lsl 1]
	add	x3, x3, 1
	b	.L14
.LFE4:
	.align	2
	.global	widen
widen:
.LFB5:
	mov	x3, 0
	mov	w5, 7
.L17:
	cmp	w2, w3
	bgt	.L18
	ret
.L18:
	ldrsh	w4, [x1, x3, lsl 1]
	mul	w4, w4, w5
	str	w4, [x0, x3, lsl 2]
	add	x3, x3, 1
	b	.L17
.LFE5:
	.align	2
	.global	narrow
narrow:
.LFB6:
	mov	x3, 0
.L20:
	cmp	w2, w3
	bgt	.L21
	ret
.L21:
	ldrh	w4, [x1, x3, lsl 1]
	lsr	w4, w4, 4
	strb	w4, [x0, x3]
	add	x3, x3, 1
	b	.L20
.LFE6:
	.align	2
	.global	cvt
cvt:
.LFB7:
	mov	x3, 0
.L23:
	cmp	w2, w3
	bgt	.L24
	ret
.L24:
	ldr	s0, [x1, x3, lsl 2]
	fcvtzs	s0, s0
	str	s0, [x0, x3, lsl 2]
	add	x3, x3, 1
	b	.L23
.LFE7:
	.align	2
	.global	cvt2
cvt2:
.LFB8:
	mov	x3, 0
	fmov	d1, 3.0e+0
.L26:
	cmp	w2, w3
	bgt	.L27
	ret
.L27:
	ldr	d0, [x1, x3, lsl 3]
	scvtf	d0, d0
	fdiv	d0, d0, d1
	str	d0, [x0, x3, lsl 3]
	add	x3, x3, 1
	b	.L26
.LFE8:
	.align	2
	.global	copy
copy:
.LFB9:
	stp	x29, x30, [sp, -16]!
	mov	x2, 56
	mov	x29, sp
	bl	memcpy
	ldp	x29, x30, [sp], 16
	ret
.LFE9:
	.align	2
	.global	zero
zero:
.LFB10:
	mov	x2, 56
	mov	w1, 0
	b	memset
.LFE10:
	.align	2
	.global	fm
fm:
.LFB11:
	stp	x29, x30, [sp, -32]!
	mov	x29, sp
	stp	d8, d9, [sp, 16]
	fmadd	d9, d0, d1, d2
	fmov	d8, d1
	bl	sqrt
	fadd	d0, d9, d0
	fabs	d8, d8
	fadd	d0, d0, d8
	ldp	d8, d9, [sp, 16]
	ldp	x29, x30, [sp], 32
	ret
.LFE11:
	.align	2
	.global	fmn
fmn:
.LFB12:
	fminnm	s2, s0, s1
	fmaxnm	s7, s0, s1
	frintm	s6, s0
	frintp	s5, s1
	frinta	s3, s1
	frintz	s4, s0
	frintx	s0, s0
	fadd	s1, s2, s7
	fadd	s1, s1, s6
	fadd	s1, s1, s5
	fadd	s1, s1, s4
	fadd	s1, s1, s3
	fadd	s0, s1, s0
	ret
.LFE12:
	.align	2
	.global	f2l
f2l:
.LFB13:
	stp	x29, x30, [sp, -32]!
	mov	x29, sp
	str	d8, [sp, 16]
	fmov	d8, d0
	bl	lround
	fcvtzs	x1, d8
	ldr	d8, [sp, 16]
	ldp	x29, x30, [sp], 32
	add	x0, x1, x0
	ret
.LFE13:
	.align	2
	.global	f2u
f2u:
.LFB14:
	fcvtzu	w0, s0
	ret
.LFE14:
	.align	2
	.global	u2d
u2d:
.LFB15:
	ucvtf	d0, x0
	ret
.LFE15:
	.align	2
	.global	d2f
d2f:
.LFB16:
	fcvt	s0, d0
	ret
.LFE16:
	.align	2
	.global	cmp
cmp:
.LFB17:
	fcmpe	d0, d1
	bmi	.L41
	fcmp	d0, d1
	cset	w0, ne
	add	w0, w0, 2
.L39:
	ret
.L41:
	mov	w0, 1
	b	.L39
.LFE17:
	.align	2
	.global	sel
sel:
.LFB18:
	cmp	w0, 0
	fcsel	d0, d1, d0, eq
	ret
.LFE18:
	.align	2
	.global	va
va:
.LFB19:
	sub	sp, sp, #160
	mov	w4, 0
	add	x3, sp, 160
	add	x1, sp, 160
	mov	x6, x3
	str	q0, [sp, 32]
	movi	d0, #0
	stp	x1, x1, [sp]
	str	x1, [sp, 16]
	mov	w1, -128
	str	wzr, [sp, 24]
	str	w1, [sp, 28]
	str	q1, [sp, 48]
	str	q2, [sp, 64]
	str	q3, [sp, 80]
	str	q4, [sp, 96]
	str	q5, [sp, 112]
	str	q6, [sp, 128]
	str	q7, [sp, 144]
.L48:
	cmp	w4, w0
	blt	.L52
	fcvtzs	w0, d0
	add	sp, sp, 160
	ret
.L52:
	tbnz	w1, #31, .L49
	add	x2, x3, 15
	mov	w5, w1
	and	x2, x2, -8
.L50:
	ldr	d1, [x3]
	add	w4, w4, 1
	mov	w1, w5
	mov	x3, x2
	fadd	d0, d0, d1
	b	.L48
.L49:
	add	w5, w1, 16
	cmp	w5, 0
	ble	.L51
	add	x2, x3, 15
	and	x2, x2, -8
	b	.L50
.L51:
	mov	x2, x3
	add	x3, x6, w1, sxtw
	b	.L50
.LFE19:
	.align	2
	.global	rev
rev:
.LFB20:
	mov	x2, 0
.L55:
	cmp	w1, w2
	bgt	.L56
	ret
.L56:
	ldr	w3, [x0, x2, lsl 2]
	rev	w3, w3
	str	w3, [x0, x2, lsl 2]
	add	x2, x2, 1
	b	.L55
.LFE20:
	.align	2
	.global	interleave
interleave:
.LFB21:
	mov	x4, 0
.L58:
	cmp	w3, w4
	bgt	.L59
	ret
.L59:
	ldr	s0, [x1, x4, lsl 2]
	add	x0, x0, 8
	str	s0, [x0, -8]
	ldr	s0, [x2, x4, lsl 2]
	add	x4, x4, 1
	str	s0, [x0, -4]
	b	.L58
.LFE21:
	.align	2
	.global	deint
deint:
.LFB22:
	mov	x4, 0
.L61:
	cmp	w3, w4
	bgt	.L62
	ret
.L62:
	ldr	s0, [x2]
	str	s0, [x0, x4, lsl 2]
	ldp	s0, s1, [x2, 4]
	add	x2, x2, 12
	fadd	s0, s0, s1
	str	s0, [x1, x4, lsl 2]
	add	x4, x4, 1
	b	.L61
.LFE22:
	.align	2
	.global	dot
dot:
.LFB23:
	mov	x4, x0
	mov	x3, 0
	mov	x0, 0
.L64:
	cmp	w2, w3
	bgt	.L65
	ret
.L65:
	ldr	w6, [x4, x3, lsl 2]
	ldr	w5, [x1, x3, lsl 2]
	add	x3, x3, 1
	smaddl	x0, w6, w5, x0
	b	.L64
.LFE23:
	.align	2
	.global	sat
sat:
.LFB24:
	mov	x3, 0
	mov	w5, 255
.L67:
	cmp	w2, w3
	bgt	.L68
	ret
.L68:
	ldrb	w4, [x0, x3]
	ldrb	w6, [x1, x3]
	add	w4, w4, w6
	cmp	w4, 255
	csel	w4, w4, w5, le
	strb	w4, [x0, x3]
	add	x3, x3, 1
	b	.L67
.LFE24:
	.align	2
	.global	hsum
hsum:
.LFB25:
	movi	v0.2s, #0
	mov	x1, 0
.L70:
	ldr	s1, [x0, x1, lsl 2]
	add	x1, x1, 1
	fadd	s0, s0, s1
	cmp	x1, 64
	bne	.L70
	ret
.LFE25:
	.align	2
	.global	h
h:
.LFB26:
	fcvt	h0, s0
	ret
.LFE26:
	.align	2
	.global	hh
hh:
.LFB27:
	fcvt	s0, h0
	ret
.LFE27:
	.align	2
	.global	absd
absd:
.LFB28:
	mov	x4, 0
.L75:
	cmp	w2, w4
	bgt	.L76
	ret
.L76:
	ldr	w3, [x0, x4, lsl 2]
	ldr	w5, [x1, x4, lsl 2]
	subs	w3, w3, w5
	csneg	w3, w3, w3, pl
	str	w3, [x0, x4, lsl 2]
	add	x4, x4, 1
	b	.L75
.LFE28:
	.align	2
	.global	bits
bits:
.LFB29:
	mov	x2, 0
.L78:
	cmp	w1, w2
	bgt	.L79
	ret
.L79:
	ldr	x3, [x0, x2, lsl 3]
	ror	x3, x3, 61
	str	x3, [x0, x2, lsl 3]
	add	x2, x2, 1
	b	.L78
.LFE29:

	.text
memset:	ret
memcpy:	ret
sqrt:	ret
lround:	ret
