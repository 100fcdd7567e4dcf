	.arch armv8-a+crypto
	.text
	.align	2
	.p2align 4,,11
	.global	vadd
vadd:
.LFB0:
	cmp	w3, 0
	ble	.L1
	sbfiz	x4, x3, 2, 32
	fmov	s2, 2.5e+0
	mov	x3, 0
	.p2align 3,,7
.L3:
	ldr	s0, [x1, x3]
	ldr	s1, [x2, x3]
	fmadd	s0, s0, s1, s2
	str	s0, [x0, x3]
	add	x3, x3, 4
	cmp	x4, x3
	bne	.L3
.L1:
	ret
.LFE0:
	.align	2
	.p2align 4,,11
	.global	vaddd
vaddd:
.LFB1:
	cmp	w2, 0
	ble	.L6
	sbfiz	x3, x2, 3, 32
	fmov	d2, 7.5e-1
	mov	x2, 0
	.p2align 3,,7
.L8:
	ldr	d1, [x0, x2]
	ldr	d0, [x1, x2]
	fnmsub	d0, d1, d2, d0
	str	d0, [x0, x2]
	add	x2, x2, 8
	cmp	x3, x2
	bne	.L8
.L6:
	ret
.LFE1:
	.align	2
	.p2align 4,,11
	.global	isum
isum:
.LFB2:
	cmp	w1, 0
	ble	.L13
	mov	x2, x0
	mov	w0, 0
	add	x3, x2, w1, sxtw 2
	.p2align 3,,7
.L12:
	ldr	w1, [x2], 4
	add	w0, w0, w1
	cmp	x2, x3
	bne	.L12
	ret
	.p2align 2,,3
.L13:
	mov	w0, 0
	ret
.LFE2:
	.align	2
	.p2align 4,,11
	.global	bmax
bmax:
.LFB3:
	cmp	w1, 0
	ble	.L18
	mov	x2, x0
	mov	w0, 0
	add	x3, x2, w1, sxtw
	.p2align 3,,7
.L17:
	ldrb	w1, [x2], 1
	cmp	w1, w0
	csel	w0, w1, w0, cs
	and	w0, w0, 255
	cmp	x2, x3
	bne	.L17
	ret
	.p2align 2,,3
.L18:
	mov	w0, 0
	ret
.LFE3:
	.align	2
	.p2align 4,,11
	.global	i16mul
i16mul:
.LFB4:
	cmp	w2, 0
	ble	.L20
	sbfiz	x5, x2, 1, 32
	mov	x2, 0
	.p2align 3,,7
.L22:
	ldrsh	w3, [x0, x2]
	ldrsh	w4, [x1, x2]
	mul	w3, w3, w4
	asr	w3, w3, 3
	strh	w3, [x0, x2]
	add	x2, x2, 2
	cmp	x2, x5
	bne	.L22
.L20:
	ret
.LFE4:
	.align	2
	.p2align 4,,11
	.global	widen
widen:
.LFB5:
	cmp	w2, 0
	ble	.L24
	sxtw	x5, w2
	mov	x2, 0
	.p2align 3,,7
.L26:
	ldrsh	w4, [x1, x2, lsl 1]
	lsl	w3, w4, 3
	sub	w3, w3, w4
	str	w3, [x0, x2, lsl 2]
	add	x2, x2, 1
	cmp	x5, x2
	bne	.L26
.L24:
	ret
.LFE5:
	.align	2
	.p2align 4,,11
	.global	narrow
narrow:
.LFB6:
	cmp	w2, 0
	ble	.L28
	sxtw	x4, w2
	mov	x2, 0
	.p2align 3,,7
.L30:
	ldrh	w3, [x1, x2, lsl 1]
	lsr	w3, w3, 4
	strb	w3, [x0, x2]
	add	x2, x2, 1
	cmp	x2, x4
	bne	.L30
.L28:
	ret
.LFE6:
	.align	2
	.p2align 4,,11
	.global	cvt
cvt:
.LFB7:
	cmp	w2, 0
	ble	.L32
	sbfiz	x3, x2, 2, 32
	mov	x2, 0
	.p2align 3,,7
.L34:
	ldr	s0, [x1, x2]
	fcvtzs	s0, s0
	str	s0, [x0, x2]
	add	x2, x2, 4
	cmp	x3, x2
	bne	.L34
.L32:
	ret
.LFE7:
	.align	2
	.p2align 4,,11
	.global	cvt2
cvt2:
.LFB8:
	cmp	w2, 0
	ble	.L36
	sbfiz	x3, x2, 3, 32
	fmov	d1, 3.0e+0
	mov	x2, 0
	.p2align 3,,7
.L38:
	ldr	d0, [x1, x2]
	scvtf	d0, d0
	fdiv	d0, d0, d1
	str	d0, [x0, x2]
	add	x2, x2, 8
	cmp	x3, x2
	bne	.L38
.L36:
	ret
.LFE8:
	.align	2
	.p2align 4,,11
	.global	copy
copy:
.LFB9:
	ldp	q0, q1, [x1]
	stp	q0, q1, [x0]
	ldr	q0, [x1, 32]
	str	q0, [x0, 32]
	ldr	x1, [x1, 48]
	str	x1, [x0, 48]
	ret
.LFE9:
	.align	2
	.p2align 4,,11
	.global	zero
zero:
.LFB10:
	mov	x2, 56
	mov	w1, 0
	b	memset
.LFE10:
	.align	2
	.p2align 4,,11
	.global	fm
fm:
.LFB11:
	fcmp	d0, #0.0
	fmadd	d2, d0, d1, d2
	bpl	.L46
	stp	x29, x30, [sp, -32]!
	mov	x29, sp
	stp	d2, d1, [sp, 16]
	bl	sqrt
	ldp	d2, d1, [sp, 16]
	ldp	x29, x30, [sp], 32
	fadd	d2, d2, d0
	fabs	d1, d1
	fadd	d0, d2, d1
	ret
	.p2align 2,,3
.L46:
	fsqrt	d3, d0
	fabs	d1, d1
	fadd	d2, d2, d3
	fadd	d0, d2, d1
	ret
.LFE11:
	.align	2
	.p2align 4,,11
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
	.p2align 4,,11
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
	.p2align 4,,11
	.global	f2u
f2u:
.LFB14:
	fcvtzu	w0, s0
	ret
.LFE14:
	.align	2
	.p2align 4,,11
	.global	u2d
u2d:
.LFB15:
	ucvtf	d0, x0
	ret
.LFE15:
	.align	2
	.p2align 4,,11
	.global	d2f
d2f:
.LFB16:
	fcvt	s0, d0
	ret
.LFE16:
	.align	2
	.p2align 4,,11
	.global	cmp
cmp:
.LFB17:
	fcmpe	d0, d1
	mov	w0, 1
	bmi	.L58
	fcmp	d0, d1
	cset	w0, ne
	add	w0, w0, 2
.L58:
	ret
.LFE17:
	.align	2
	.p2align 4,,11
	.global	sel
sel:
.LFB18:
	cmp	w0, 0
	fcsel	d0, d1, d0, eq
	ret
.LFE18:
	.align	2
	.p2align 4,,11
	.global	va
va:
.LFB19:
	sub	sp, sp, #160
	mov	w1, -128
	add	x2, sp, 160
	stp	x2, x2, [sp]
	str	x2, [sp, 16]
	stp	wzr, w1, [sp, 24]
	str	q0, [sp, 32]
	str	q1, [sp, 48]
	str	q2, [sp, 64]
	str	q3, [sp, 80]
	str	q4, [sp, 96]
	str	q5, [sp, 112]
	str	q6, [sp, 128]
	str	q7, [sp, 144]
	cmp	w0, 0
	ble	.L72
	mov	x3, x2
	mov	x6, x2
	movi	d0, #0
	mov	w2, 0
	b	.L71
	.p2align 2,,3
.L75:
	mov	x4, x3
	add	w2, w2, 1
	add	x3, x3, 8
	ldr	d1, [x4]
	fadd	d0, d0, d1
	cmp	w0, w2
	beq	.L77
.L71:
	add	w5, w1, 16
	tbz	w1, #31, .L75
	add	x4, x6, w1, sxtw
	mov	w1, w5
	cmp	w5, 0
	bgt	.L75
	ldr	d1, [x4]
	add	w2, w2, 1
	fadd	d0, d0, d1
	cmp	w0, w2
	bne	.L71
.L77:
	fcvtzs	w0, d0
	add	sp, sp, 160
	ret
	.p2align 2,,3
.L72:
	mov	w0, 0
	add	sp, sp, 160
	ret
.LFE19:
	.align	2
	.p2align 4,,11
	.global	rev
rev:
.LFB20:
	cmp	w1, 0
	ble	.L78
	add	x2, x0, w1, sxtw 2
	.p2align 3,,7
.L80:
	ldr	w1, [x0]
	rev	w1, w1
	str	w1, [x0], 4
	cmp	x0, x2
	bne	.L80
.L78:
	ret
.LFE20:
	.align	2
	.p2align 4,,11
	.global	interleave
interleave:
.LFB21:
	cmp	w3, 0
	ble	.L82
	sbfiz	x4, x3, 2, 32
	mov	x3, 0
	.p2align 3,,7
.L84:
	ldr	s0, [x1, x3]
	add	x0, x0, 8
	str	s0, [x0, -8]
	ldr	s0, [x2, x3]
	add	x3, x3, 4
	str	s0, [x0, -4]
	cmp	x4, x3
	bne	.L84
.L82:
	ret
.LFE21:
	.align	2
	.p2align 4,,11
	.global	deint
deint:
.LFB22:
	cmp	w3, 0
	ble	.L86
	sbfiz	x4, x3, 2, 32
	mov	x3, 0
	.p2align 3,,7
.L88:
	ldr	s0, [x2]
	str	s0, [x0, x3]
	ldp	s0, s1, [x2, 4]
	add	x2, x2, 12
	fadd	s0, s0, s1
	str	s0, [x1, x3]
	add	x3, x3, 4
	cmp	x3, x4
	bne	.L88
.L86:
	ret
.LFE22:
	.align	2
	.p2align 4,,11
	.global	dot
dot:
.LFB23:
	mov	x6, x0
	cmp	w2, 0
	ble	.L93
	sbfiz	x5, x2, 2, 32
	mov	x0, 0
	mov	x2, 0
	.p2align 3,,7
.L92:
	ldr	w4, [x6, x2]
	ldr	w3, [x1, x2]
	add	x2, x2, 4
	smaddl	x0, w4, w3, x0
	cmp	x2, x5
	bne	.L92
	ret
	.p2align 2,,3
.L93:
	mov	x0, 0
	ret
.LFE23:
	.align	2
	.p2align 4,,11
	.global	sat
sat:
.LFB24:
	cmp	w2, 0
	ble	.L95
	sxtw	x5, w2
	mov	x3, 0
	mov	w6, 255
	.p2align 3,,7
.L97:
	ldrb	w2, [x0, x3]
	ldrb	w4, [x1, x3]
	add	w2, w2, w4
	cmp	w2, 255
	csel	w2, w2, w6, le
	strb	w2, [x0, x3]
	add	x3, x3, 1
	cmp	x5, x3
	bne	.L97
.L95:
	ret
.LFE24:
	.align	2
	.p2align 4,,11
	.global	hsum
hsum:
.LFB25:
	movi	v0.2s, #0
	add	x1, x0, 256
	.p2align 3,,7
.L100:
	ldr	s1, [x0], 4
	fadd	s0, s0, s1
	cmp	x0, x1
	bne	.L100
	ret
.LFE25:
	.align	2
	.p2align 4,,11
	.global	h
h:
.LFB26:
	fcvt	h0, s0
	ret
.LFE26:
	.align	2
	.p2align 4,,11
	.global	hh
hh:
.LFB27:
	fcvt	s0, h0
	ret
.LFE27:
	.align	2
	.p2align 4,,11
	.global	absd
absd:
.LFB28:
	cmp	w2, 0
	ble	.L104
	sbfiz	x5, x2, 2, 32
	mov	x3, 0
	.p2align 3,,7
.L106:
	ldr	w2, [x0, x3]
	ldr	w4, [x1, x3]
	subs	w2, w2, w4
	csneg	w2, w2, w2, pl
	str	w2, [x0, x3]
	add	x3, x3, 4
	cmp	x5, x3
	bne	.L106
.L104:
	ret
.LFE28:
	.align	2
	.p2align 4,,11
	.global	bits
bits:
.LFB29:
	cmp	w1, 0
	ble	.L108
	add	x2, x0, w1, sxtw 3
	.p2align 3,,7
.L110:
	ldr	x1, [x0]
	ror	x1, x1, 61
	str	x1, [x0], 8
	cmp	x2, x0
	bne	.L110
.L108:
	ret
.LFE29:

	.text
memset:	ret
memcpy:	ret
sqrt:	ret
lround:	ret
