	.arch armv8-a+crypto
	.text
	.align	2
	.p2align 4,,11
	.global	vadd
vadd:
.LFB0:
	cmp	w3, 0
	ble	.L1
	sub	w4, w3, #1
	cmp	w4, 2
	bls	.L6
	lsr	w5, w3, 2
	mov	x4, 0
	fmov	v3.4s, 2.5e+0
	lsl	x5, x5, 4
	.p2align 3,,7
.L4:
	ldr	q2, [x1, x4]
	ldr	q1, [x2, x4]
	mov	v0.16b, v3.16b
	fmla	v0.4s, v2.4s, v1.4s
	str	q0, [x0, x4]
	add	x4, x4, 16
	cmp	x5, x4
	bne	.L4
	and	w4, w3, -4
	tst	x3, 3
	beq	.L1
.L3:
	sxtw	x7, w4
	fmov	s0, 2.5e+0
	add	w6, w4, 1
	sbfiz	x5, x4, 2, 32
	ldr	s1, [x1, x7, lsl 2]
	ldr	s2, [x2, x7, lsl 2]
	fmadd	s1, s1, s2, s0
	str	s1, [x0, x7, lsl 2]
	cmp	w3, w6
	ble	.L1
	add	x6, x5, 4
	add	w4, w4, 2
	ldr	s1, [x1, x6]
	ldr	s2, [x2, x6]
	fmadd	s1, s1, s2, s0
	str	s1, [x0, x6]
	cmp	w3, w4
	ble	.L1
	add	x3, x5, 8
	ldr	s2, [x2, x3]
	ldr	s1, [x1, x3]
	fmadd	s0, s2, s1, s0
	str	s0, [x0, x3]
.L1:
	ret
.L6:
	mov	w4, 0
	b	.L3
.LFE0:
	.align	2
	.p2align 4,,11
	.global	vaddd
vaddd:
.LFB1:
	mov	w5, w2
	cmp	w2, 0
	ble	.L9
	cmp	w2, 1
	beq	.L14
	lsr	w4, w2, 1
	mov	x3, 0
	fmov	v2.2d, 7.5e-1
	lsl	x4, x4, 4
	.p2align 3,,7
.L12:
	ldr	q0, [x1, x3]
	ldr	q1, [x0, x3]
	fneg	v0.2d, v0.2d
	fmla	v0.2d, v1.2d, v2.2d
	str	q0, [x0, x3]
	add	x3, x3, 16
	cmp	x4, x3
	bne	.L12
	and	w2, w5, -2
	tbz	x5, 0, .L9
.L11:
	sxtw	x2, w2
	fmov	d1, 7.5e-1
	ldr	d2, [x0, x2, lsl 3]
	ldr	d0, [x1, x2, lsl 3]
	fnmsub	d0, d2, d1, d0
	str	d0, [x0, x2, lsl 3]
.L9:
	ret
.L14:
	mov	w2, 0
	b	.L11
.LFE1:
	.align	2
	.p2align 4,,11
	.global	isum
isum:
.LFB2:
	mov	x4, x0
	cmp	w1, 0
	ble	.L22
	sub	w0, w1, #1
	cmp	w0, 2
	bls	.L23
	lsr	w3, w1, 2
	mov	x2, x4
	movi	v0.4s, 0
	add	x3, x4, w3, uxtw 4
	.p2align 3,,7
.L19:
	ldr	q1, [x2], 16
	add	v0.4s, v0.4s, v1.4s
	cmp	x3, x2
	bne	.L19
	addv	s0, v0.4s
	and	w2, w1, -4
	fmov	w0, s0
	tst	x1, 3
	beq	.L16
.L18:
	ldr	w5, [x4, w2, sxtw 2]
	add	w3, w2, 1
	sbfiz	x6, x2, 2, 32
	add	w0, w0, w5
	cmp	w1, w3
	ble	.L16
	add	x4, x4, x6
	add	w2, w2, 2
	ldr	w3, [x4, 4]
	add	w0, w0, w3
	cmp	w1, w2
	ble	.L16
	ldr	w1, [x4, 8]
	add	w0, w0, w1
.L16:
	ret
	.p2align 2,,3
.L22:
	mov	w0, 0
	ret
.L23:
	mov	w2, 0
	mov	w0, 0
	b	.L18
.LFE2:
	.align	2
	.p2align 4,,11
	.global	bmax
bmax:
.LFB3:
	mov	x3, x0
	cmp	w1, 0
	ble	.L33
	sub	w0, w1, #1
	cmp	w0, 14
	bls	.L34
	lsr	w0, w1, 4
	mov	x2, x3
	movi	v1.4s, 0
	add	x0, x3, w0, uxtw 4
	.p2align 3,,7
.L28:
	ldr	q0, [x2], 16
	umax	v1.16b, v1.16b, v0.16b
	cmp	x2, x0
	bne	.L28
	umaxv	b0, v1.16b
	and	w2, w1, -16
	dup	d2, v1.d[1]
	mov	w5, w2
	umov	w0, v0.b[0]
	umax	v1.8b, v1.8b, v2.8b
	cmp	w1, w2
	beq	.L26
.L27:
	sub	w4, w1, w5
	sub	w6, w4, #1
	cmp	w6, 6
	bls	.L31
	ldr	d0, [x3, w5, uxtw]
	and	w0, w4, -8
	add	w2, w2, w0
	umax	v0.8b, v0.8b, v1.8b
	umaxv	b0, v0.8b
	umov	w0, v0.b[0]
	tst	x4, 7
	beq	.L26
.L31:
	ldrb	w4, [x3, w2, sxtw]
	add	w5, w2, 1
	cmp	w4, w0
	csel	w4, w4, w0, cs
	and	w0, w4, 255
	cmp	w1, w5
	ble	.L26
	ldrb	w5, [x3, w5, sxtw]
	add	w6, w2, 2
	cmp	w5, w0
	csel	w5, w5, w4, cs
	and	w0, w5, 255
	cmp	w6, w1
	bge	.L26
	ldrb	w4, [x3, w6, sxtw]
	add	w6, w2, 3
	cmp	w4, w0
	csel	w4, w4, w5, cs
	and	w0, w4, 255
	cmp	w1, w6
	ble	.L26
	ldrb	w5, [x3, w6, sxtw]
	add	w6, w2, 4
	cmp	w5, w0
	csel	w5, w5, w4, cs
	and	w0, w5, 255
	cmp	w1, w6
	ble	.L26
	ldrb	w4, [x3, w6, sxtw]
	add	w6, w2, 5
	cmp	w4, w0
	csel	w4, w4, w5, cs
	and	w0, w4, 255
	cmp	w1, w6
	ble	.L26
	ldrb	w5, [x3, w6, sxtw]
	add	w2, w2, 6
	cmp	w5, w0
	csel	w5, w5, w4, cs
	and	w0, w5, 255
	cmp	w1, w2
	ble	.L26
	ldrb	w1, [x3, w2, sxtw]
	cmp	w1, w0
	csel	w1, w1, w5, cs
	and	w0, w1, 255
.L26:
	ret
	.p2align 2,,3
.L33:
	mov	w0, 0
	ret
.L34:
	movi	v1.2s, 0
	mov	w5, 0
	mov	w2, 0
	mov	w0, 0
	b	.L27
.LFE3:
	.align	2
	.p2align 4,,11
	.global	i16mul
i16mul:
.LFB4:
	cmp	w2, 0
	ble	.L39
	sub	w4, w2, #1
	mov	w5, w2
	cmp	w4, 2
	bls	.L41
	add	x3, x1, 2
	sub	x3, x0, x3
	cmp	x3, 12
	bhi	.L55
.L41:
	sbfiz	x2, x2, 1, 32
	mov	x3, 0
	.p2align 3,,7
.L47:
	ldrsh	w4, [x0, x3]
	ldrsh	w5, [x1, x3]
	mul	w4, w4, w5
	asr	w4, w4, 3
	strh	w4, [x0, x3]
	add	x3, x3, 2
	cmp	x2, x3
	bne	.L47
.L39:
	ret
	.p2align 2,,3
.L55:
	cmp	w4, 6
	bls	.L49
	lsr	w4, w2, 3
	mov	x3, 0
	lsl	x4, x4, 4
	.p2align 3,,7
.L43:
	ldr	q1, [x0, x3]
	ldr	q2, [x1, x3]
	smull	v0.4s, v1.4h, v2.4h
	smull2	v1.4s, v1.8h, v2.8h
	shrn	v0.4h, v0.4s, 3
	shrn2	v0.8h, v1.4s, 3
	str	q0, [x0, x3]
	add	x3, x3, 16
	cmp	x3, x4
	bne	.L43
	and	w4, w2, -8
	uxtw	x3, w4
	cmp	w2, w4
	beq	.L39
	sub	w5, w2, w4
	sub	w6, w5, #1
	cmp	w6, 2
	bls	.L45
.L42:
	lsl	x3, x3, 1
	and	w6, w5, -4
	add	w4, w4, w6
	ldr	d1, [x1, x3]
	ldr	d0, [x0, x3]
	smull	v0.4s, v0.4h, v1.4h
	shrn	v0.4h, v0.4s, 3
	str	d0, [x0, x3]
	tst	x5, 3
	beq	.L39
.L45:
	ldrsh	w5, [x1, w4, sxtw 1]
	sbfiz	x3, x4, 1, 32
	ldrsh	w7, [x0, w4, sxtw 1]
	add	w6, w4, 1
	mul	w5, w5, w7
	asr	w5, w5, 3
	strh	w5, [x0, x3]
	cmp	w2, w6
	ble	.L39
	add	x5, x3, 2
	add	w4, w4, 2
	ldrsh	w6, [x1, x5]
	ldrsh	w7, [x0, x5]
	mul	w6, w6, w7
	asr	w6, w6, 3
	strh	w6, [x0, x5]
	cmp	w2, w4
	ble	.L39
	add	x3, x3, 4
	ldrsh	w1, [x1, x3]
	ldrsh	w2, [x0, x3]
	mul	w1, w1, w2
	asr	w1, w1, 3
	strh	w1, [x0, x3]
	ret
.L49:
	mov	x3, 0
	mov	w4, 0
	b	.L42
.LFE4:
	.align	2
	.p2align 4,,11
	.global	widen
widen:
.LFB5:
	cmp	w2, 0
	ble	.L56
	sub	w3, w2, #1
	cmp	w3, 6
	bls	.L63
	lsr	w5, w2, 3
	mov	x4, x1
	movi	v1.8h, 0x7
	mov	x3, x0
	add	x5, x1, w5, uxtw 4
	.p2align 3,,7
.L59:
	ldr	q0, [x4], 16
	smull	v2.4s, v0.4h, v1.4h
	smull2	v0.4s, v0.8h, v1.8h
	stp	q2, q0, [x3]
	add	x3, x3, 32
	cmp	x5, x4
	bne	.L59
	and	w4, w2, -8
	uxtw	x3, w4
	cmp	w2, w4
	beq	.L56
.L58:
	sub	w5, w2, w3
	sub	w6, w5, #1
	cmp	w6, 2
	bls	.L61
	and	w6, w5, -4
	add	w4, w4, w6
	lsl	x6, x3, 1
	lsl	x3, x3, 2
	ldr	d0, [x1, x6]
	sxtl	v0.4s, v0.4h
	shl	v1.4s, v0.4s, 3
	sub	v0.4s, v1.4s, v0.4s
	str	q0, [x0, x3]
	tst	x5, 3
	beq	.L56
.L61:
	ldrsh	w6, [x1, w4, sxtw 1]
	add	w3, w4, 1
	sbfiz	x8, x4, 1, 32
	sbfiz	x7, x4, 2, 32
	lsl	w5, w6, 3
	sub	w5, w5, w6
	str	w5, [x0, w4, sxtw 2]
	cmp	w2, w3
	ble	.L56
	add	x1, x1, x8
	add	x0, x0, x7
	add	w4, w4, 2
	ldrsh	w5, [x1, 2]
	lsl	w3, w5, 3
	sub	w3, w3, w5
	str	w3, [x0, 4]
	cmp	w4, w2
	bge	.L56
	ldrsh	w2, [x1, 4]
	lsl	w1, w2, 3
	sub	w1, w1, w2
	str	w1, [x0, 8]
.L56:
	ret
.L63:
	mov	x3, 0
	mov	w4, 0
	b	.L58
.LFE5:
	.align	2
	.p2align 4,,11
	.global	narrow
narrow:
.LFB6:
	cmp	w2, 0
	ble	.L68
	sub	w6, w2, #1
	mov	w5, w2
	sxtw	x4, w2
	cmp	w6, 6
	bls	.L70
	add	x3, x1, w2, sxtw 1
	add	x7, x0, x4
	cmp	x0, x3
	ccmp	x1, x7, 2, cc
	bcs	.L89
.L70:
	mov	x2, 0
	.p2align 3,,7
.L76:
	ldrh	w3, [x1, x2, lsl 1]
	lsr	w3, w3, 4
	strb	w3, [x0, x2]
	add	x2, x2, 1
	cmp	x4, x2
	bne	.L76
.L68:
	ret
	.p2align 2,,3
.L89:
	cmp	w6, 14
	bls	.L78
	lsr	w5, w2, 4
	mov	w6, 32
	mov	x3, x1
	mov	x4, x0
	umaddl	x5, w5, w6, x1
	.p2align 3,,7
.L72:
	ldp	q0, q1, [x3]
	add	x3, x3, 32
	shrn	v0.8b, v0.8h, 4
	shrn2	v0.16b, v1.8h, 4
	str	q0, [x4], 16
	cmp	x5, x3
	bne	.L72
	and	w3, w2, -16
	mov	w6, w3
	cmp	w2, w3
	beq	.L68
	sub	w5, w2, w3
	sub	w4, w5, #1
	cmp	w4, 6
	bls	.L74
.L71:
	uxtw	x4, w6
	and	w7, w5, -8
	add	w3, w3, w7
	lsl	x4, x4, 1
	ldr	q0, [x1, x4]
	shrn	v0.8b, v0.8h, 4
	str	d0, [x0, w6, uxtw]
	tst	x5, 7
	beq	.L68
.L74:
	sbfiz	x6, x3, 1, 32
	add	w5, w3, 1
	ldrh	w4, [x1, x6]
	lsr	w4, w4, 4
	strb	w4, [x0, w3, sxtw]
	cmp	w2, w5
	ble	.L68
	add	x1, x1, x6
	add	w6, w3, 2
	ldrh	w4, [x1, 2]
	lsr	w4, w4, 4
	strb	w4, [x0, w5, sxtw]
	cmp	w2, w6
	ble	.L68
	ldrh	w4, [x1, 4]
	add	w5, w3, 3
	lsr	w4, w4, 4
	strb	w4, [x0, w6, sxtw]
	cmp	w2, w5
	ble	.L68
	ldrh	w4, [x1, 6]
	add	w6, w3, 4
	lsr	w4, w4, 4
	strb	w4, [x0, w5, sxtw]
	cmp	w2, w6
	ble	.L68
	ldrh	w4, [x1, 8]
	add	w5, w3, 5
	lsr	w4, w4, 4
	strb	w4, [x0, w6, sxtw]
	cmp	w2, w5
	ble	.L68
	ldrh	w4, [x1, 10]
	add	w3, w3, 6
	lsr	w4, w4, 4
	strb	w4, [x0, w5, sxtw]
	cmp	w2, w3
	ble	.L68
	ldrh	w1, [x1, 12]
	lsr	w1, w1, 4
	strb	w1, [x0, w3, sxtw]
	ret
.L78:
	mov	w6, 0
	mov	w3, 0
	b	.L71
.LFE6:
	.align	2
	.p2align 4,,11
	.global	cvt
cvt:
.LFB7:
	cmp	w2, 0
	ble	.L90
	sub	w3, w2, #1
	cmp	w3, 2
	bls	.L95
	lsr	w4, w2, 2
	mov	x3, 0
	lsl	x4, x4, 4
	.p2align 3,,7
.L93:
	ldr	q0, [x1, x3]
	fcvtzs	v0.4s, v0.4s
	str	q0, [x0, x3]
	add	x3, x3, 16
	cmp	x4, x3
	bne	.L93
	and	w3, w2, -4
	tst	x2, 3
	beq	.L90
.L92:
	sxtw	x6, w3
	add	w5, w3, 1
	sbfiz	x4, x3, 2, 32
	ldr	s0, [x1, x6, lsl 2]
	fcvtzs	s0, s0
	str	s0, [x0, x6, lsl 2]
	cmp	w2, w5
	ble	.L90
	add	x5, x4, 4
	add	w3, w3, 2
	ldr	s0, [x1, x5]
	fcvtzs	s0, s0
	str	s0, [x0, x5]
	cmp	w2, w3
	ble	.L90
	add	x4, x4, 8
	ldr	s0, [x1, x4]
	fcvtzs	s0, s0
	str	s0, [x0, x4]
.L90:
	ret
.L95:
	mov	w3, 0
	b	.L92
.LFE7:
	.align	2
	.p2align 4,,11
	.global	cvt2
cvt2:
.LFB8:
	mov	w5, w2
	cmp	w2, 0
	ble	.L97
	cmp	w2, 1
	beq	.L102
	lsr	w4, w2, 1
	mov	x3, 0
	fmov	v1.2d, 3.0e+0
	lsl	x4, x4, 4
	.p2align 3,,7
.L100:
	ldr	q0, [x1, x3]
	scvtf	v0.2d, v0.2d
	fdiv	v0.2d, v0.2d, v1.2d
	str	q0, [x0, x3]
	add	x3, x3, 16
	cmp	x4, x3
	bne	.L100
	and	w2, w5, -2
	tbz	x5, 0, .L97
.L99:
	sxtw	x2, w2
	fmov	d1, 3.0e+0
	ldr	d0, [x1, x2, lsl 3]
	scvtf	d0, d0
	fdiv	d0, d0, d1
	str	d0, [x0, x2, lsl 3]
.L97:
	ret
.L102:
	mov	w2, 0
	b	.L99
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
	bpl	.L110
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
.L110:
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
	bmi	.L122
	fcmp	d0, d1
	cset	w0, ne
	add	w0, w0, 2
.L122:
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
	mov	w3, -128
	add	x1, sp, 160
	stp	x1, x1, [sp]
	str	x1, [sp, 16]
	stp	wzr, w3, [sp, 24]
	str	q0, [sp, 32]
	str	q1, [sp, 48]
	str	q2, [sp, 64]
	str	q3, [sp, 80]
	str	q4, [sp, 96]
	str	q5, [sp, 112]
	str	q6, [sp, 128]
	str	q7, [sp, 144]
	cmp	w0, 0
	ble	.L138
	movi	d0, #0
	mov	x2, x1
	mov	x5, x1
	mov	w1, 0
.L137:
	add	w4, w3, 16
	tbnz	w3, #31, .L132
	ldr	d1, [x2]
	add	w1, w1, 1
	add	x2, x2, 8
	fadd	d0, d0, d1
	cmp	w0, w1
	beq	.L134
.L133:
	mov	x3, x2
	add	w1, w1, 1
	add	x2, x2, 8
	ldr	d1, [x3]
	fadd	d0, d0, d1
	cmp	w0, w1
	bgt	.L133
.L134:
	fcvtzs	w0, d0
	add	sp, sp, 160
	ret
	.p2align 2,,3
.L132:
	cmp	w4, 0
	ble	.L135
	mov	x3, x2
	add	x2, x2, 8
.L136:
	ldr	d1, [x3]
	add	w1, w1, 1
	fadd	d0, d0, d1
	cmp	w0, w1
	beq	.L134
	mov	w3, w4
	b	.L137
	.p2align 2,,3
.L135:
	add	x3, x5, w3, sxtw
	b	.L136
	.p2align 2,,3
.L138:
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
	ble	.L143
	sub	w2, w1, #1
	cmp	w2, 2
	bls	.L148
	lsr	w3, w1, 2
	mov	x2, x0
	add	x3, x0, w3, uxtw 4
	.p2align 3,,7
.L146:
	ldr	q0, [x2]
	rev32	v0.16b, v0.16b
	str	q0, [x2], 16
	cmp	x2, x3
	bne	.L146
	and	w2, w1, -4
	tst	x1, 3
	beq	.L143
.L145:
	sxtw	x6, w2
	add	w4, w2, 1
	sbfiz	x3, x2, 2, 32
	ldr	w5, [x0, x6, lsl 2]
	rev	w5, w5
	str	w5, [x0, x6, lsl 2]
	cmp	w1, w4
	ble	.L143
	add	x5, x3, 4
	add	w2, w2, 2
	ldr	w4, [x0, x5]
	rev	w4, w4
	str	w4, [x0, x5]
	cmp	w1, w2
	ble	.L143
	add	x3, x3, 8
	ldr	w1, [x0, x3]
	rev	w1, w1
	str	w1, [x0, x3]
.L143:
	ret
.L148:
	mov	w2, 0
	b	.L145
.LFE20:
	.align	2
	.p2align 4,,11
	.global	interleave
interleave:
.LFB21:
	cmp	w3, 0
	ble	.L150
	sub	w4, w3, #1
	cmp	w4, 3
	bls	.L164
	sbfiz	x4, x3, 2, 32
	add	x6, x0, w3, sxtw 3
	add	x7, x1, x4
	add	x5, x2, x4
	cmp	x0, x7
	sxtw	x4, w3
	ccmp	x1, x6, 2, cc
	cset	w7, cs
	cmp	x0, x5
	ccmp	x2, x6, 2, cc
	cset	w5, cs
	tst	w7, w5
	bne	.L165
.L152:
	lsl	x4, x4, 2
	mov	x3, 0
	.p2align 3,,7
.L155:
	ldr	s0, [x1, x3]
	add	x0, x0, 8
	str	s0, [x0, -8]
	ldr	s0, [x2, x3]
	add	x3, x3, 4
	str	s0, [x0, -4]
	cmp	x4, x3
	bne	.L155
.L150:
	ret
	.p2align 2,,3
.L165:
	lsr	w6, w3, 2
	mov	x5, x0
	mov	x4, 0
	lsl	x6, x6, 4
	.p2align 3,,7
.L153:
	ldr	q0, [x1, x4]
	ldr	q1, [x2, x4]
	add	x4, x4, 16
	st2	{v0.4s - v1.4s}, [x5], 32
	cmp	x6, x4
	bne	.L153
	and	w5, w3, -4
	tst	x3, 3
	beq	.L150
	uxtw	x9, w5
	lsl	w4, w5, 1
	add	w8, w5, 1
	sxtw	x10, w4
	lsl	x6, x9, 2
	ldr	s0, [x1, x9, lsl 2]
	add	x11, x10, 1
	sbfiz	x7, x4, 2, 32
	str	s0, [x0, x10, lsl 2]
	ldr	s0, [x2, x9, lsl 2]
	str	s0, [x0, x11, lsl 2]
	cmp	w3, w8
	ble	.L150
	add	x8, x6, 4
	add	w4, w4, 2
	add	x7, x0, x7
	add	w5, w5, 2
	sxtw	x4, w4
	ldr	s0, [x1, x8]
	add	x9, x4, 1
	str	s0, [x7, 8]
	ldr	s0, [x2, x8]
	str	s0, [x0, x9, lsl 2]
	cmp	w3, w5
	ble	.L150
	add	x6, x6, 8
	add	x4, x4, 3
	ldr	s0, [x1, x6]
	str	s0, [x7, 16]
	ldr	s0, [x2, x6]
	str	s0, [x0, x4, lsl 2]
	ret
	.p2align 2,,3
.L164:
	sxtw	x4, w3
	b	.L152
.LFE21:
	.align	2
	.p2align 4,,11
	.global	deint
deint:
.LFB22:
	cmp	w3, 0
	ble	.L166
	sub	w4, w3, #1
	cmp	w4, 2
	bls	.L180
	mov	w6, 12
	sbfiz	x4, x3, 2, 32
	add	x5, x0, x4
	add	x7, x1, x4
	smaddl	x6, w3, w6, x2
	cmp	x2, x5
	add	x5, x0, 4
	sxtw	x4, w3
	ccmp	x0, x6, 2, cc
	sub	x5, x1, x5
	cset	w8, cs
	cmp	x2, x7
	ccmp	x1, x6, 2, cc
	cset	w6, cs
	cmp	x5, 8
	and	w5, w8, w6
	cset	w6, hi
	tst	w6, w5
	bne	.L181
.L168:
	lsl	x4, x4, 2
	mov	x3, 0
	.p2align 3,,7
.L171:
	ldr	s0, [x2]
	str	s0, [x0, x3]
	ldp	s0, s1, [x2, 4]
	add	x2, x2, 12
	fadd	s0, s0, s1
	str	s0, [x1, x3]
	add	x3, x3, 4
	cmp	x4, x3
	bne	.L171
.L166:
	ret
	.p2align 2,,3
.L181:
	lsr	w6, w3, 2
	mov	x5, x2
	mov	x4, 0
	lsl	x6, x6, 4
	.p2align 3,,7
.L169:
	ld3	{v1.4s - v3.4s}, [x5], 48
	fadd	v0.4s, v3.4s, v2.4s
	str	q1, [x0, x4]
	str	q0, [x1, x4]
	add	x4, x4, 16
	cmp	x6, x4
	bne	.L169
	and	w5, w3, -4
	tst	x3, 3
	beq	.L166
	add	w4, w5, w5, lsl 1
	uxtw	x10, w5
	add	w9, w5, 1
	sxtw	x6, w4
	lsl	x7, x10, 2
	add	x11, x6, 1
	sbfiz	x8, x4, 2, 32
	ldr	s0, [x2, x6, lsl 2]
	add	x12, x2, x11, lsl 2
	str	s0, [x0, x10, lsl 2]
	ldr	s1, [x2, x11, lsl 2]
	ldr	s0, [x12, 4]
	fadd	s0, s0, s1
	str	s0, [x1, x10, lsl 2]
	cmp	w3, w9
	ble	.L166
	add	w4, w4, 3
	add	x8, x2, x8
	add	x9, x7, 4
	add	w5, w5, 2
	sxtw	x4, w4
	add	x4, x4, 1
	ldr	s0, [x8, 12]
	add	x10, x2, x4, lsl 2
	str	s0, [x0, x9]
	ldr	s1, [x2, x4, lsl 2]
	ldr	s0, [x10, 4]
	fadd	s0, s0, s1
	str	s0, [x1, x9]
	cmp	w3, w5
	ble	.L166
	add	x6, x6, 7
	ldr	s0, [x8, 24]
	add	x7, x7, 8
	add	x3, x2, x6, lsl 2
	str	s0, [x0, x7]
	ldr	s1, [x2, x6, lsl 2]
	ldr	s0, [x3, 4]
	fadd	s0, s0, s1
	str	s0, [x1, x7]
	ret
	.p2align 2,,3
.L180:
	sxtw	x4, w3
	b	.L168
.LFE22:
	.align	2
	.p2align 4,,11
	.global	dot
dot:
.LFB23:
	mov	x4, x0
	cmp	w2, 0
	ble	.L188
	sub	w0, w2, #1
	cmp	w0, 2
	bls	.L189
	lsr	w0, w2, 2
	mov	x3, 0
	movi	v0.4s, 0
	lsl	x0, x0, 4
	.p2align 3,,7
.L185:
	ldr	q2, [x4, x3]
	ldr	q1, [x1, x3]
	add	x3, x3, 16
	smlal	v0.2d, v2.2s, v1.2s
	smlal2	v0.2d, v2.4s, v1.4s
	cmp	x3, x0
	bne	.L185
	addp	d0, v0.2d
	and	w3, w2, -4
	fmov	x0, d0
	tst	x2, 3
	beq	.L182
.L184:
	sxtw	x6, w3
	add	w7, w3, 1
	sbfiz	x5, x3, 2, 32
	ldr	w8, [x4, x6, lsl 2]
	ldr	w6, [x1, x6, lsl 2]
	smaddl	x0, w8, w6, x0
	cmp	w2, w7
	ble	.L182
	add	x6, x5, 4
	add	w3, w3, 2
	ldr	w7, [x4, x6]
	ldr	w6, [x1, x6]
	smaddl	x0, w7, w6, x0
	cmp	w2, w3
	ble	.L182
	add	x5, x5, 8
	ldr	w2, [x1, x5]
	ldr	w1, [x4, x5]
	smaddl	x0, w2, w1, x0
.L182:
	ret
	.p2align 2,,3
.L188:
	mov	x0, 0
	ret
.L189:
	mov	w3, 0
	mov	x0, 0
	b	.L184
.LFE23:
	.align	2
	.p2align 4,,11
	.global	sat
sat:
.LFB24:
	cmp	w2, 0
	ble	.L191
	sub	w5, w2, #1
	mov	w4, w2
	cmp	w5, 6
	bls	.L193
	add	x3, x1, 1
	sub	x3, x0, x3
	cmp	x3, 14
	bhi	.L207
.L193:
	sxtw	x2, w2
	mov	x4, 0
	mov	w6, 255
	.p2align 3,,7
.L199:
	ldrb	w3, [x0, x4]
	ldrb	w5, [x1, x4]
	add	w3, w3, w5
	cmp	w3, 255
	csel	w3, w3, w6, le
	strb	w3, [x0, x4]
	add	x4, x4, 1
	cmp	x2, x4
	bne	.L199
.L191:
	ret
	.p2align 2,,3
.L207:
	cmp	w5, 14
	bls	.L201
	movi	v3.8h, 0xff
	and	x4, x2, 4294967280
	mov	x3, 0
	.p2align 3,,7
.L195:
	ldr	q0, [x0, x3]
	ldr	q2, [x1, x3]
	uaddl	v1.8h, v0.8b, v2.8b
	uaddl2	v0.8h, v0.16b, v2.16b
	umin	v1.8h, v1.8h, v3.8h
	umin	v0.8h, v0.8h, v3.8h
	uzp1	v1.16b, v1.16b, v0.16b
	str	q1, [x0, x3]
	add	x3, x3, 16
	cmp	x3, x4
	bne	.L195
	and	w3, w2, -16
	mov	w5, w3
	cmp	w2, w3
	beq	.L191
	sub	w4, w2, w3
	sub	w6, w4, #1
	cmp	w6, 6
	bls	.L197
.L194:
	ldr	d0, [x1, w5, uxtw]
	and	w6, w4, -8
	ldr	d2, [x0, w5, uxtw]
	add	w3, w3, w6
	movi	v1.8h, 0xff
	uaddl	v0.8h, v0.8b, v2.8b
	umin	v0.8h, v0.8h, v1.8h
	xtn	v0.8b, v0.8h
	str	d0, [x0, w5, uxtw]
	tst	x4, 7
	beq	.L191
.L197:
	ldrb	w4, [x1, w3, sxtw]
	mov	w5, 255
	ldrb	w7, [x0, w3, sxtw]
	add	w6, w3, 1
	add	w4, w4, w7
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w3, sxtw]
	cmp	w2, w6
	ble	.L191
	ldrb	w4, [x1, w6, sxtw]
	add	w7, w3, 2
	ldrb	w8, [x0, w6, sxtw]
	add	w4, w4, w8
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w6, sxtw]
	cmp	w2, w7
	ble	.L191
	ldrb	w4, [x1, w7, sxtw]
	add	w6, w3, 3
	ldrb	w8, [x0, w7, sxtw]
	add	w4, w4, w8
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w7, sxtw]
	cmp	w2, w6
	ble	.L191
	ldrb	w4, [x1, w6, sxtw]
	add	w7, w3, 4
	ldrb	w8, [x0, w6, sxtw]
	add	w4, w4, w8
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w6, sxtw]
	cmp	w2, w7
	ble	.L191
	ldrb	w4, [x1, w7, sxtw]
	add	w6, w3, 5
	ldrb	w8, [x0, w7, sxtw]
	add	w4, w4, w8
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w7, sxtw]
	cmp	w2, w6
	ble	.L191
	ldrb	w4, [x1, w6, sxtw]
	add	w3, w3, 6
	ldrb	w7, [x0, w6, sxtw]
	add	w4, w4, w7
	cmp	w4, w5
	csel	w4, w4, w5, le
	strb	w4, [x0, w6, sxtw]
	cmp	w2, w3
	ble	.L191
	ldrb	w1, [x1, w3, sxtw]
	ldrb	w2, [x0, w3, sxtw]
	add	w1, w1, w2
	cmp	w1, w5
	csel	w1, w1, w5, le
	strb	w1, [x0, w3, sxtw]
	ret
.L201:
	mov	w5, 0
	mov	w3, 0
	b	.L194
.LFE24:
	.align	2
	.p2align 4,,11
	.global	hsum
hsum:
.LFB25:
	movi	v0.2s, #0
	add	x1, x0, 256
	.p2align 3,,7
.L209:
	ldr	s1, [x0], 4
	fadd	s0, s0, s1
	cmp	x1, x0
	bne	.L209
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
	ble	.L213
	sub	w3, w2, #1
	cmp	w3, 2
	bls	.L215
	add	x3, x1, 4
	sub	x3, x0, x3
	cmp	x3, 8
	bhi	.L222
.L215:
	sbfiz	x5, x2, 2, 32
	mov	x3, 0
	.p2align 3,,7
.L218:
	ldr	w2, [x0, x3]
	ldr	w4, [x1, x3]
	subs	w2, w2, w4
	csneg	w2, w2, w2, pl
	str	w2, [x0, x3]
	add	x3, x3, 4
	cmp	x3, x5
	bne	.L218
.L213:
	ret
	.p2align 2,,3
.L222:
	lsr	w4, w2, 2
	mov	x3, 0
	lsl	x4, x4, 4
	.p2align 3,,7
.L216:
	ldr	q0, [x0, x3]
	ldr	q1, [x1, x3]
	sub	v0.4s, v0.4s, v1.4s
	abs	v0.4s, v0.4s
	str	q0, [x0, x3]
	add	x3, x3, 16
	cmp	x3, x4
	bne	.L216
	and	w4, w2, -4
	tst	x2, 3
	beq	.L213
	uxtw	x6, w4
	add	w7, w4, 1
	lsl	x5, x6, 2
	ldr	w3, [x0, x6, lsl 2]
	ldr	w8, [x1, x6, lsl 2]
	subs	w3, w3, w8
	csneg	w3, w3, w3, pl
	str	w3, [x0, x6, lsl 2]
	cmp	w2, w7
	ble	.L213
	add	x6, x5, 4
	add	w4, w4, 2
	ldr	w3, [x0, x6]
	ldr	w7, [x1, x6]
	subs	w3, w3, w7
	csneg	w3, w3, w3, pl
	str	w3, [x0, x6]
	cmp	w2, w4
	ble	.L213
	add	x2, x5, 8
	ldr	w3, [x1, x2]
	ldr	w1, [x0, x2]
	subs	w1, w1, w3
	csneg	w1, w1, w1, pl
	str	w1, [x0, x2]
	ret
.LFE28:
	.align	2
	.p2align 4,,11
	.global	bits
bits:
.LFB29:
	mov	w4, w1
	cmp	w1, 0
	ble	.L223
	cmp	w1, 1
	beq	.L228
	lsr	w3, w1, 1
	mov	x2, x0
	add	x3, x0, w3, uxtw 4
	.p2align 3,,7
.L226:
	ldr	q0, [x2]
	ushr	v1.2d, v0.2d, 61
	shl	v0.2d, v0.2d, 3
	orr	v0.16b, v1.16b, v0.16b
	str	q0, [x2], 16
	cmp	x3, x2
	bne	.L226
	and	w1, w4, -2
	tbz	x4, 0, .L223
.L225:
	sxtw	x1, w1
	ldr	x2, [x0, x1, lsl 3]
	ror	x2, x2, 61
	str	x2, [x0, x1, lsl 3]
.L223:
	ret
.L228:
	mov	w1, 0
	b	.L225
.LFE29:

	.text
memset:	ret
memcpy:	ret
sqrt:	ret
lround:	ret
