//go:build !purego

#include "textflag.h"

// Constants of sigmoid8z: 1, −746 (below which e^t is 0 in float64), the
// sign bit, log2(e), ln 2 split in a high part with trailing zero bits and
// a low part (Cody and Waite; fdlibm's ln2HI/ln2LO), then 1/k! for
// k = 13, 12, …, 0 (Taylor's series of e^r).
DATA sigc<>+0(SB)/8, $0x3ff0000000000000 // one = 1.0
DATA sigc<>+8(SB)/8, $0xc087500000000000 // lo = -746.0
DATA sigc<>+16(SB)/8, $0x8000000000000000 // sign = -0.0
DATA sigc<>+24(SB)/8, $0x3ff71547652b82fe // log2e = 1.4426950408889634
DATA sigc<>+32(SB)/8, $0x3fe62e42fee00000 // ln2hi = 0.6931471803691238
DATA sigc<>+40(SB)/8, $0x3dea39ef35793c76 // ln2lo = 1.9082149292705877e-10
DATA sigc<>+48(SB)/8, $0x3de6124613a86d09 // c13 = 1.6059043836821613e-10
DATA sigc<>+56(SB)/8, $0x3e21eed8eff8d898 // c12 = 2.08767569878681e-09
DATA sigc<>+64(SB)/8, $0x3e5ae64567f544e4 // c11 = 2.505210838544172e-08
DATA sigc<>+72(SB)/8, $0x3e927e4fb7789f5c // c10 = 2.755731922398589e-07
DATA sigc<>+80(SB)/8, $0x3ec71de3a556c734 // c9 = 2.7557319223985893e-06
DATA sigc<>+88(SB)/8, $0x3efa01a01a01a01a // c8 = 2.48015873015873e-05
DATA sigc<>+96(SB)/8, $0x3f2a01a01a01a01a // c7 = 0.0001984126984126984
DATA sigc<>+104(SB)/8, $0x3f56c16c16c16c17 // c6 = 0.001388888888888889
DATA sigc<>+112(SB)/8, $0x3f81111111111111 // c5 = 0.008333333333333333
DATA sigc<>+120(SB)/8, $0x3fa5555555555555 // c4 = 0.041666666666666664
DATA sigc<>+128(SB)/8, $0x3fc5555555555555 // c3 = 0.16666666666666666
DATA sigc<>+136(SB)/8, $0x3fe0000000000000 // c2 = 0.5
DATA sigc<>+144(SB)/8, $0x3ff0000000000000 // c1 = 1.0
DATA sigc<>+152(SB)/8, $0x3ff0000000000000 // c0 = 1.0
GLOBL sigc<>(SB), RODATA|NOPTR, $160

// func sigmoid8z(n int, dst, src *float64)
//
// dst[i] = σ(x) for x = src[i], i < n, a positive multiple of 8 (AVX-512 F),
// in the form that never overflows: with e = e^(−|x|), σ(x) = 1/(1 + e)
// for x ≥ 0 and e/(1 + e) for x < 0. e^t (t ≤ 0) is 2^m·e^r with
// m = round(t·log2 e) and r = t − m·ln 2 in [−ln2/2, ln2/2], where the
// Taylor polynomial of degree 13 is within 1e-17 of e^r; VSCALEFPD
// multiplies by 2^m, down to subnormal numbers and 0. NaN stays NaN.
TEXT ·sigmoid8z(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	SHRQ $3, CX
	VBROADCASTSD sigc<>+0(SB), Z16
	VBROADCASTSD sigc<>+8(SB), Z17
	VBROADCASTSD sigc<>+16(SB), Z18
	VBROADCASTSD sigc<>+24(SB), Z19
	VBROADCASTSD sigc<>+32(SB), Z20
	VBROADCASTSD sigc<>+40(SB), Z21
	VBROADCASTSD sigc<>+48(SB), Z22
	VBROADCASTSD sigc<>+56(SB), Z23
	VBROADCASTSD sigc<>+64(SB), Z24
	VBROADCASTSD sigc<>+72(SB), Z25
	VBROADCASTSD sigc<>+80(SB), Z26
	VBROADCASTSD sigc<>+88(SB), Z27
	VBROADCASTSD sigc<>+96(SB), Z28
	VBROADCASTSD sigc<>+104(SB), Z29
	VBROADCASTSD sigc<>+112(SB), Z30
	VBROADCASTSD sigc<>+120(SB), Z31
	VPXORQ Z15, Z15, Z15

sigloop:
	VMOVUPD (SI), Z0
	VPORQ Z18, Z0, Z1 // t = −|x|
	VMAXPD Z1, Z17, Z1 // max(−746, t), NaN stays
	VMULPD Z19, Z1, Z2
	VRNDSCALEPD $0, Z2, Z2 // m = round(t·log2 e)
	VMOVAPD Z1, Z4
	VFNMADD231PD Z20, Z2, Z4 // r = t − m·ln2hi
	VFNMADD231PD Z21, Z2, Z4 // r −= m·ln2lo
	VMOVAPD Z22, Z3
	VFMADD213PD Z23, Z4, Z3 // p = p·r + 1/12!
	VFMADD213PD Z24, Z4, Z3 // p = p·r + 1/11!
	VFMADD213PD Z25, Z4, Z3 // p = p·r + 1/10!
	VFMADD213PD Z26, Z4, Z3 // p = p·r + 1/9!
	VFMADD213PD Z27, Z4, Z3 // p = p·r + 1/8!
	VFMADD213PD Z28, Z4, Z3 // p = p·r + 1/7!
	VFMADD213PD Z29, Z4, Z3 // p = p·r + 1/6!
	VFMADD213PD Z30, Z4, Z3 // p = p·r + 1/5!
	VFMADD213PD Z31, Z4, Z3 // p = p·r + 1/4!
	VFMADD213PD.BCST sigc<>+128(SB), Z4, Z3 // p = p·r + 1/3!
	VFMADD213PD.BCST sigc<>+136(SB), Z4, Z3 // p = p·r + 1/2!
	VFMADD213PD.BCST sigc<>+144(SB), Z4, Z3 // p = p·r + 1/1!
	VFMADD213PD.BCST sigc<>+152(SB), Z4, Z3 // p = p·r + 1/0!
	VSCALEFPD Z2, Z3, Z3 // e = p·2^m
	VCMPPD $1, Z15, Z0, K1 // x < 0
	VMOVAPD Z16, Z5
	VMOVAPD Z3, K1, Z5 // numerator: 1, or e where x < 0
	VADDPD Z16, Z3, Z3
	VDIVPD Z3, Z5, Z3
	VMOVUPD Z3, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  sigloop
	VZEROUPPER
	RET
