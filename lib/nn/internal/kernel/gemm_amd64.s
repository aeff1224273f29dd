//go:build !purego

#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// The kernels share their registers: SI walks the rows of a and DI those
// of b; R8, R9 and R10 hold the strides lda, ldb and ldc in bytes, and R11
// = 3·lda and R12 = 3·ldc (3·ldb in dot4x4z), so that the four rows of a
// start at (SI), (SI)(R8*1), (SI)(R8*2) and (SI)(R11*1), and those of c
// likewise from DX; CX counts the steps of the loop. One step multiplies
// vectors of b, held in Y8–Y9 (AVX2) or Z16–Z19 (AVX-512), by the four
// rows of a and adds the products to the accumulators.

// BYTE_STRIDES turns lda, ldb and ldc from elements into bytes and sets
// R11 = 3·lda and R12 = 3·ldc.
#define BYTE_STRIDES \
	SHLQ $3, R8; \
	SHLQ $3, R9; \
	SHLQ $3, R10; \
	LEAQ (R8)(R8*2), R11; \
	LEAQ (R10)(R10*2), R12

// LOAD2Y and STORE2Y move the eight doubles at addr to and from two
// YMM registers.
#define LOAD2Y(addr, y0, y1) \
	VMOVUPD addr, y0; \
	VMOVUPD 32 addr, y1

#define STORE2Y(y0, y1, addr) \
	VMOVUPD y0, addr; \
	VMOVUPD y1, 32 addr

// ROW2Y reads a row of a into t with op (VBROADCASTSD: one element in
// every lane; VMOVUPD: four elements) and adds t times b's vectors Y8 and
// Y9 to the accumulators c0 and c1.
#define ROW2Y(op, addr, t, c0, c1) \
	op addr, t; \
	VFMADD231PD Y8, t, c0; \
	VFMADD231PD Y9, t, c1

// SUM2Y adds up the lanes of y0 and of y1 and adds the two sums to the
// doubles at addr (using Y8–Y10).
#define SUM2Y(y0, y1, addr) \
	VHADDPD y1, y0, Y8; \
	VEXTRACTF128 $1, Y8, X9; \
	VADDPD X9, X8, X8; \
	VMOVUPD addr, X10; \
	VADDPD X10, X8, X8; \
	VMOVUPD X8, addr

// ZERO4Z sets four ZMM registers to zero.
#define ZERO4Z(z0, z1, z2, z3) \
	VPXORQ z0, z0, z0; \
	VPXORQ z1, z1, z1; \
	VPXORQ z2, z2, z2; \
	VPXORQ z3, z3, z3

// LOAD4Z and STORE4Z move the 32 doubles at addr to and from four ZMM
// registers.
#define LOAD4Z(addr, z0, z1, z2, z3) \
	VMOVUPD addr, z0; \
	VMOVUPD 64 addr, z1; \
	VMOVUPD 128 addr, z2; \
	VMOVUPD 192 addr, z3

#define STORE4Z(z0, z1, z2, z3, addr) \
	VMOVUPD z0, addr; \
	VMOVUPD z1, 64 addr; \
	VMOVUPD z2, 128 addr; \
	VMOVUPD z3, 192 addr

// ROW4Z reads a row of a into t with op (VBROADCASTSD: one element in
// every lane; VMOVUPD: eight elements) and adds t times b's vectors
// Z16–Z19 to the accumulators c0–c3.
#define ROW4Z(op, addr, t, c0, c1, c2, c3) \
	op addr, t; \
	VFMADD231PD Z16, t, c0; \
	VFMADD231PD Z17, t, c1; \
	VFMADD231PD Z18, t, c2; \
	VFMADD231PD Z19, t, c3

// ROWS4Z reads the four rows of a with op into Z20–Z23 and adds each
// times b's vector Z16 to the accumulators c0–c3.
#define ROWS4Z(op, c0, c1, c2, c3) \
	op (SI), Z20; \
	VFMADD231PD Z16, Z20, c0; \
	op (SI)(R8*1), Z21; \
	VFMADD231PD Z16, Z21, c1; \
	op (SI)(R8*2), Z22; \
	VFMADD231PD Z16, Z22, c2; \
	op (SI)(R11*1), Z23; \
	VFMADD231PD Z16, Z23, c3

// HALVE4 adds the upper four doubles of each of z0–z3 to its lower four,
// y0–y3 (the same registers, by their YMM names), using Y16.
#define HALVE4(z0, z1, z2, z3, y0, y1, y2, y3) \
	VEXTRACTF64X4 $1, z0, Y16; \
	VADDPD Y16, y0, y0; \
	VEXTRACTF64X4 $1, z1, Y16; \
	VADDPD Y16, y1, y1; \
	VEXTRACTF64X4 $1, z2, Y16; \
	VADDPD Y16, y2, y2; \
	VEXTRACTF64X4 $1, z3, Y16; \
	VADDPD Y16, y3, y3

// SUM4Y stores at addr the sums of the four lanes of each of y0–y3, in
// that order (overwriting the four registers).
#define SUM4Y(y0, y1, y2, y3, addr) \
	VHADDPD y1, y0, y0; \
	VHADDPD y3, y2, y2; \
	VPERM2F128 $0x20, y2, y0, y1; \
	VPERM2F128 $0x31, y2, y0, y3; \
	VADDPD y3, y1, y1; \
	VMOVUPD y1, addr

// func gemm4x8(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)
//
// c[i·ldc+j] += Σ_{l<k} a[i·lda+l]·b[l·ldb+j] for i < 4, j < 8; k > 0.
// Eight accumulators of four doubles hold the 4×8 block of c; each step
// loads eight doubles of a row of b, broadcasts one element of each of the
// four rows of a and does eight fused multiply-adds.
TEXT ·gemm4x8(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	BYTE_STRIDES
	LOAD2Y((DX), Y0, Y1)
	LOAD2Y((DX)(R10*1), Y2, Y3)
	LOAD2Y((DX)(R10*2), Y4, Y5)
	LOAD2Y((DX)(R12*1), Y6, Y7)

gemmloop:
	LOAD2Y((DI), Y8, Y9)
	ROW2Y(VBROADCASTSD, (SI), Y10, Y0, Y1)
	ROW2Y(VBROADCASTSD, (SI)(R8*1), Y11, Y2, Y3)
	ROW2Y(VBROADCASTSD, (SI)(R8*2), Y12, Y4, Y5)
	ROW2Y(VBROADCASTSD, (SI)(R11*1), Y13, Y6, Y7)
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  gemmloop

	STORE2Y(Y0, Y1, (DX))
	STORE2Y(Y2, Y3, (DX)(R10*1))
	STORE2Y(Y4, Y5, (DX)(R10*2))
	STORE2Y(Y6, Y7, (DX)(R12*1))
	VZEROUPPER
	RET

// func dot4x2(n int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)
//
// c[i·ldc+j] += Σ_{l<n} a[i·lda+l]·b[j·ldb+l] for i < 4, j < 2; n > 0 is a
// multiple of 4. Eight accumulators hold four partial sums of each of the
// eight dot products, added up at the end.
TEXT ·dot4x2(SB), NOSPLIT, $0-56
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	BYTE_STRIDES
	SHRQ $2, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

dotloop:
	VMOVUPD (DI), Y8
	VMOVUPD (DI)(R9*1), Y9
	ROW2Y(VMOVUPD, (SI), Y10, Y0, Y1)
	ROW2Y(VMOVUPD, (SI)(R8*1), Y11, Y2, Y3)
	ROW2Y(VMOVUPD, (SI)(R8*2), Y12, Y4, Y5)
	ROW2Y(VMOVUPD, (SI)(R11*1), Y13, Y6, Y7)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  dotloop

	// Row i: [Σ Y(2i), Σ Y(2i+1)] added to c[i·ldc], c[i·ldc+1].
	SUM2Y(Y0, Y1, (DX))
	SUM2Y(Y2, Y3, (DX)(R10*1))
	SUM2Y(Y4, Y5, (DX)(R10*2))
	SUM2Y(Y6, Y7, (DX)(R12*1))
	VZEROUPPER
	RET

// func gemm4x32z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int)
//
// c[i·ldc+j] = add·c[i·ldc+j] + Σ_{l<k} a[i·lda+l]·b[l·ldb+j] for i < 4,
// j < 32; k > 0, add 0 or 1. 16 accumulators of eight doubles hold the
// 4×32 block of c; each step loads 32 doubles of a row of b, broadcasts
// one element of each of the four rows of a and does 16 fused
// multiply-adds (AVX-512 F).
TEXT ·gemm4x32z(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	MOVQ add+56(FP), AX
	BYTE_STRIDES
	TESTQ AX, AX
	JZ    zero
	LOAD4Z((DX), Z0, Z1, Z2, Z3)
	LOAD4Z((DX)(R10*1), Z4, Z5, Z6, Z7)
	LOAD4Z((DX)(R10*2), Z8, Z9, Z10, Z11)
	LOAD4Z((DX)(R12*1), Z12, Z13, Z14, Z15)
	JMP loop

zero:
	ZERO4Z(Z0, Z1, Z2, Z3)
	ZERO4Z(Z4, Z5, Z6, Z7)
	ZERO4Z(Z8, Z9, Z10, Z11)
	ZERO4Z(Z12, Z13, Z14, Z15)

loop:
	LOAD4Z((DI), Z16, Z17, Z18, Z19)
	ROW4Z(VBROADCASTSD, (SI), Z20, Z0, Z1, Z2, Z3)
	ROW4Z(VBROADCASTSD, (SI)(R8*1), Z21, Z4, Z5, Z6, Z7)
	ROW4Z(VBROADCASTSD, (SI)(R8*2), Z22, Z8, Z9, Z10, Z11)
	ROW4Z(VBROADCASTSD, (SI)(R11*1), Z23, Z12, Z13, Z14, Z15)
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  loop

	STORE4Z(Z0, Z1, Z2, Z3, (DX))
	STORE4Z(Z4, Z5, Z6, Z7, (DX)(R10*1))
	STORE4Z(Z8, Z9, Z10, Z11, (DX)(R10*2))
	STORE4Z(Z12, Z13, Z14, Z15, (DX)(R12*1))
	VZEROUPPER
	RET

// func gemm4x8z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int)
//
// c[i·ldc+j] = add·c[i·ldc+j] + Σ_{l<k} a[i·lda+l]·b[l·ldb+j] for i < 4,
// j < 8; k > 0, add 0 or 1. 4 accumulators of eight doubles hold the
// 4×8 block of c; each step loads 8 doubles of a row of b, broadcasts
// one element of each of the four rows of a and does 4 fused
// multiply-adds (AVX-512 F).
TEXT ·gemm4x8z(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	MOVQ add+56(FP), AX
	BYTE_STRIDES
	TESTQ AX, AX
	JZ    zero
	VMOVUPD (DX), Z0
	VMOVUPD (DX)(R10*1), Z1
	VMOVUPD (DX)(R10*2), Z2
	VMOVUPD (DX)(R12*1), Z3
	JMP loop

zero:
	ZERO4Z(Z0, Z1, Z2, Z3)

loop:
	VMOVUPD (DI), Z16
	ROWS4Z(VBROADCASTSD, Z0, Z1, Z2, Z3)
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  loop

	VMOVUPD Z0, (DX)
	VMOVUPD Z1, (DX)(R10*1)
	VMOVUPD Z2, (DX)(R10*2)
	VMOVUPD Z3, (DX)(R12*1)
	VZEROUPPER
	RET

// func dot4x4z(n int, a *float64, lda int, b *float64, ldb int, out *float64)
//
// out[4i+j] = Σ_{l<n} a[i·lda+l]·b[j·ldb+l] for i, j < 4; n > 0 is a
// multiple of 8. Sixteen accumulators hold eight partial sums of each of
// the sixteen dot products, added up at the end (AVX-512 F).
TEXT ·dot4x4z(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R9
	MOVQ out+40(FP), DX
	SHLQ $3, R8
	SHLQ $3, R9
	LEAQ (R8)(R8*2), R11
	LEAQ (R9)(R9*2), R12
	SHRQ $3, CX
	ZERO4Z(Z0, Z1, Z2, Z3)
	ZERO4Z(Z4, Z5, Z6, Z7)
	ZERO4Z(Z8, Z9, Z10, Z11)
	ZERO4Z(Z12, Z13, Z14, Z15)

dotloop:
	VMOVUPD (DI), Z16
	VMOVUPD (DI)(R9*1), Z17
	VMOVUPD (DI)(R9*2), Z18
	VMOVUPD (DI)(R12*1), Z19
	ROW4Z(VMOVUPD, (SI), Z20, Z0, Z1, Z2, Z3)
	ROW4Z(VMOVUPD, (SI)(R8*1), Z21, Z4, Z5, Z6, Z7)
	ROW4Z(VMOVUPD, (SI)(R8*2), Z22, Z8, Z9, Z10, Z11)
	ROW4Z(VMOVUPD, (SI)(R11*1), Z23, Z12, Z13, Z14, Z15)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  dotloop

	// Halve each accumulator to four doubles, then add up each row's four.
	HALVE4(Z0, Z1, Z2, Z3, Y0, Y1, Y2, Y3)
	HALVE4(Z4, Z5, Z6, Z7, Y4, Y5, Y6, Y7)
	HALVE4(Z8, Z9, Z10, Z11, Y8, Y9, Y10, Y11)
	HALVE4(Z12, Z13, Z14, Z15, Y12, Y13, Y14, Y15)
	SUM4Y(Y0, Y1, Y2, Y3, (DX))
	SUM4Y(Y4, Y5, Y6, Y7, 32(DX))
	SUM4Y(Y8, Y9, Y10, Y11, 64(DX))
	SUM4Y(Y12, Y13, Y14, Y15, 96(DX))
	VZEROUPPER
	RET

// func dot4x1z(n int, a *float64, lda int, b *float64, out *float64)
//
// out[i] = Σ_{l<n} a[i·lda+l]·b[l] for i < 4; n > 0 is a multiple of 8
// (AVX-512 F).
TEXT ·dot4x1z(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), DI
	MOVQ out+32(FP), DX
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R11
	SHRQ $3, CX
	ZERO4Z(Z0, Z1, Z2, Z3)

dot1loop:
	VMOVUPD (DI), Z16
	ROWS4Z(VMOVUPD, Z0, Z1, Z2, Z3)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  dot1loop

	HALVE4(Z0, Z1, Z2, Z3, Y0, Y1, Y2, Y3)
	SUM4Y(Y0, Y1, Y2, Y3, (DX))
	VZEROUPPER
	RET

// func gemm1x32z(k int, a *float64, b *float64, ldb int, c *float64, add int)
//
// c[j] = add·c[j] + Σ_{l<k} a[l]·b[l·ldb+j] for j < 32; k > 0, add 0 or 1:
// one row of gemm4x32z, for the rows left over (AVX-512 F).
TEXT ·gemm1x32z(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R9
	MOVQ c+32(FP), DX
	MOVQ add+40(FP), AX
	SHLQ $3, R9
	TESTQ AX, AX
	JZ    zero
	LOAD4Z((DX), Z0, Z1, Z2, Z3)
	JMP loop

zero:
	ZERO4Z(Z0, Z1, Z2, Z3)

loop:
	VBROADCASTSD (SI), Z20
	VFMADD231PD (DI), Z20, Z0
	VFMADD231PD 64(DI), Z20, Z1
	VFMADD231PD 128(DI), Z20, Z2
	VFMADD231PD 192(DI), Z20, Z3
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  loop

	STORE4Z(Z0, Z1, Z2, Z3, (DX))
	VZEROUPPER
	RET

// func gemm1x8z(k int, a *float64, b *float64, ldb int, c *float64, add int)
//
// c[j] = add·c[j] + Σ_{l<k} a[l]·b[l·ldb+j] for j < 8; k > 0, add 0 or 1:
// one row of gemm4x8z, for the rows left over (AVX-512 F).
TEXT ·gemm1x8z(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R9
	MOVQ c+32(FP), DX
	MOVQ add+40(FP), AX
	SHLQ $3, R9
	TESTQ AX, AX
	JZ    zero
	VMOVUPD (DX), Z0
	JMP loop

zero:
	VPXORQ Z0, Z0, Z0

loop:
	VBROADCASTSD (SI), Z20
	VFMADD231PD (DI), Z20, Z0
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  loop

	VMOVUPD Z0, (DX)
	VZEROUPPER
	RET

// func maxInto8z(n int, dst *float64, arg *int32, src *float64, r int32)
//
// Where src[s] > dst[s] or src[s] is NaN: dst[s] = src[s] and arg[s] = r,
// for s < n, a positive multiple of 8 (AVX-512 F): two comparisons give the
// mask of the lanes to take, and masked stores write those lanes only.
TEXT ·maxInto8z(SB), NOSPLIT, $0-36
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ arg+16(FP), BX
	MOVQ src+24(FP), SI
	MOVL r+32(FP), AX
	VPBROADCASTD AX, Z2
	SHRQ $3, CX

maxloop:
	VMOVUPD (SI), Z0
	VMOVUPD (DI), Z1
	VCMPPD $0x1e, Z1, Z0, K1 // src > dst
	VCMPPD $3, Z0, Z0, K2    // src is NaN
	KORW K2, K1, K1
	VMOVUPD Z0, K1, (DI)
	VMOVDQU32 Z2, K1, (BX)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $32, BX
	DECQ CX
	JNZ  maxloop
	VZEROUPPER
	RET
