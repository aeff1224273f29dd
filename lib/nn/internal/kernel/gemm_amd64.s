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
	SHLQ $3, R8
	SHLQ $3, R9
	SHLQ $3, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (R10)(R10*2), R12
	VMOVUPD (DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD (DX)(R10*1), Y2
	VMOVUPD 32(DX)(R10*1), Y3
	VMOVUPD (DX)(R10*2), Y4
	VMOVUPD 32(DX)(R10*2), Y5
	VMOVUPD (DX)(R12*1), Y6
	VMOVUPD 32(DX)(R12*1), Y7

gemmloop:
	VMOVUPD (DI), Y8
	VMOVUPD 32(DI), Y9
	VBROADCASTSD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (SI)(R8*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (SI)(R8*2), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VBROADCASTSD (SI)(R11*1), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  gemmloop

	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, (DX)(R10*1)
	VMOVUPD Y3, 32(DX)(R10*1)
	VMOVUPD Y4, (DX)(R10*2)
	VMOVUPD Y5, 32(DX)(R10*2)
	VMOVUPD Y6, (DX)(R12*1)
	VMOVUPD Y7, 32(DX)(R12*1)
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
	SHLQ $3, R8
	SHLQ $3, R9
	SHLQ $3, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (R10)(R10*2), R12
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
	VMOVUPD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VMOVUPD (SI)(R8*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VMOVUPD (SI)(R8*2), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VMOVUPD (SI)(R11*1), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  dotloop

	// Row 0: [Σ Y0, Σ Y1] added to c[0], c[1].
	VHADDPD Y1, Y0, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8
	VMOVUPD (DX), X10
	VADDPD X10, X8, X8
	VMOVUPD X8, (DX)
	VHADDPD Y3, Y2, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8
	VMOVUPD (DX)(R10*1), X10
	VADDPD X10, X8, X8
	VMOVUPD X8, (DX)(R10*1)
	VHADDPD Y5, Y4, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8
	VMOVUPD (DX)(R10*2), X10
	VADDPD X10, X8, X8
	VMOVUPD X8, (DX)(R10*2)
	VHADDPD Y7, Y6, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8
	VMOVUPD (DX)(R12*1), X10
	VADDPD X10, X8, X8
	VMOVUPD X8, (DX)(R12*1)
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
	SHLQ $3, R8
	SHLQ $3, R9
	SHLQ $3, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (R10)(R10*2), R12
	TESTQ AX, AX
	JZ    zero
	VMOVUPD (DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	VMOVUPD (DX)(R10*1), Z4
	VMOVUPD 64(DX)(R10*1), Z5
	VMOVUPD 128(DX)(R10*1), Z6
	VMOVUPD 192(DX)(R10*1), Z7
	VMOVUPD (DX)(R10*2), Z8
	VMOVUPD 64(DX)(R10*2), Z9
	VMOVUPD 128(DX)(R10*2), Z10
	VMOVUPD 192(DX)(R10*2), Z11
	VMOVUPD (DX)(R12*1), Z12
	VMOVUPD 64(DX)(R12*1), Z13
	VMOVUPD 128(DX)(R12*1), Z14
	VMOVUPD 192(DX)(R12*1), Z15
	JMP loop

zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15

loop:
	VMOVUPD (DI), Z16
	VMOVUPD 64(DI), Z17
	VMOVUPD 128(DI), Z18
	VMOVUPD 192(DI), Z19
	VBROADCASTSD (SI), Z20
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VFMADD231PD Z18, Z20, Z2
	VFMADD231PD Z19, Z20, Z3
	VBROADCASTSD (SI)(R8*1), Z21
	VFMADD231PD Z16, Z21, Z4
	VFMADD231PD Z17, Z21, Z5
	VFMADD231PD Z18, Z21, Z6
	VFMADD231PD Z19, Z21, Z7
	VBROADCASTSD (SI)(R8*2), Z22
	VFMADD231PD Z16, Z22, Z8
	VFMADD231PD Z17, Z22, Z9
	VFMADD231PD Z18, Z22, Z10
	VFMADD231PD Z19, Z22, Z11
	VBROADCASTSD (SI)(R11*1), Z23
	VFMADD231PD Z16, Z23, Z12
	VFMADD231PD Z17, Z23, Z13
	VFMADD231PD Z18, Z23, Z14
	VFMADD231PD Z19, Z23, Z15
	ADDQ $8, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  loop

	VMOVUPD Z0, (DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
	VMOVUPD Z4, (DX)(R10*1)
	VMOVUPD Z5, 64(DX)(R10*1)
	VMOVUPD Z6, 128(DX)(R10*1)
	VMOVUPD Z7, 192(DX)(R10*1)
	VMOVUPD Z8, (DX)(R10*2)
	VMOVUPD Z9, 64(DX)(R10*2)
	VMOVUPD Z10, 128(DX)(R10*2)
	VMOVUPD Z11, 192(DX)(R10*2)
	VMOVUPD Z12, (DX)(R12*1)
	VMOVUPD Z13, 64(DX)(R12*1)
	VMOVUPD Z14, 128(DX)(R12*1)
	VMOVUPD Z15, 192(DX)(R12*1)
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
	SHLQ $3, R8
	SHLQ $3, R9
	SHLQ $3, R10
	LEAQ (R8)(R8*2), R11
	LEAQ (R10)(R10*2), R12
	TESTQ AX, AX
	JZ    zero
	VMOVUPD (DX), Z0
	VMOVUPD (DX)(R10*1), Z1
	VMOVUPD (DX)(R10*2), Z2
	VMOVUPD (DX)(R12*1), Z3
	JMP loop

zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3

loop:
	VMOVUPD (DI), Z16
	VBROADCASTSD (SI), Z20
	VFMADD231PD Z16, Z20, Z0
	VBROADCASTSD (SI)(R8*1), Z21
	VFMADD231PD Z16, Z21, Z1
	VBROADCASTSD (SI)(R8*2), Z22
	VFMADD231PD Z16, Z22, Z2
	VBROADCASTSD (SI)(R11*1), Z23
	VFMADD231PD Z16, Z23, Z3
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
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15

dotloop:
	VMOVUPD (DI), Z20
	VMOVUPD (DI)(R9*1), Z21
	VMOVUPD (DI)(R9*2), Z22
	VMOVUPD (DI)(R12*1), Z23
	VMOVUPD (SI), Z16
	VFMADD231PD Z20, Z16, Z0
	VFMADD231PD Z21, Z16, Z1
	VFMADD231PD Z22, Z16, Z2
	VFMADD231PD Z23, Z16, Z3
	VMOVUPD (SI)(R8*1), Z17
	VFMADD231PD Z20, Z17, Z4
	VFMADD231PD Z21, Z17, Z5
	VFMADD231PD Z22, Z17, Z6
	VFMADD231PD Z23, Z17, Z7
	VMOVUPD (SI)(R8*2), Z18
	VFMADD231PD Z20, Z18, Z8
	VFMADD231PD Z21, Z18, Z9
	VFMADD231PD Z22, Z18, Z10
	VFMADD231PD Z23, Z18, Z11
	VMOVUPD (SI)(R11*1), Z19
	VFMADD231PD Z20, Z19, Z12
	VFMADD231PD Z21, Z19, Z13
	VFMADD231PD Z22, Z19, Z14
	VFMADD231PD Z23, Z19, Z15
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  dotloop

	// Halve each accumulator to four doubles, then add up each row's four.
	VEXTRACTF64X4 $1, Z0, Y16
	VADDPD Y16, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y16
	VADDPD Y16, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y16
	VADDPD Y16, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y16
	VADDPD Y16, Y3, Y3
	VEXTRACTF64X4 $1, Z4, Y16
	VADDPD Y16, Y4, Y4
	VEXTRACTF64X4 $1, Z5, Y16
	VADDPD Y16, Y5, Y5
	VEXTRACTF64X4 $1, Z6, Y16
	VADDPD Y16, Y6, Y6
	VEXTRACTF64X4 $1, Z7, Y16
	VADDPD Y16, Y7, Y7
	VEXTRACTF64X4 $1, Z8, Y16
	VADDPD Y16, Y8, Y8
	VEXTRACTF64X4 $1, Z9, Y16
	VADDPD Y16, Y9, Y9
	VEXTRACTF64X4 $1, Z10, Y16
	VADDPD Y16, Y10, Y10
	VEXTRACTF64X4 $1, Z11, Y16
	VADDPD Y16, Y11, Y11
	VEXTRACTF64X4 $1, Z12, Y16
	VADDPD Y16, Y12, Y12
	VEXTRACTF64X4 $1, Z13, Y16
	VADDPD Y16, Y13, Y13
	VEXTRACTF64X4 $1, Z14, Y16
	VADDPD Y16, Y14, Y14
	VEXTRACTF64X4 $1, Z15, Y16
	VADDPD Y16, Y15, Y15
	VHADDPD Y1, Y0, Y0
	VHADDPD Y3, Y2, Y2
	VPERM2F128 $0x20, Y2, Y0, Y1
	VPERM2F128 $0x31, Y2, Y0, Y3
	VADDPD Y3, Y1, Y1
	VMOVUPD Y1, (DX)
	VHADDPD Y5, Y4, Y4
	VHADDPD Y7, Y6, Y6
	VPERM2F128 $0x20, Y6, Y4, Y5
	VPERM2F128 $0x31, Y6, Y4, Y7
	VADDPD Y7, Y5, Y5
	VMOVUPD Y5, 32(DX)
	VHADDPD Y9, Y8, Y8
	VHADDPD Y11, Y10, Y10
	VPERM2F128 $0x20, Y10, Y8, Y9
	VPERM2F128 $0x31, Y10, Y8, Y11
	VADDPD Y11, Y9, Y9
	VMOVUPD Y9, 64(DX)
	VHADDPD Y13, Y12, Y12
	VHADDPD Y15, Y14, Y14
	VPERM2F128 $0x20, Y14, Y12, Y13
	VPERM2F128 $0x31, Y14, Y12, Y15
	VADDPD Y15, Y13, Y13
	VMOVUPD Y13, 96(DX)
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
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3

dot1loop:
	VMOVUPD (DI), Z20
	VMOVUPD (SI), Z16
	VFMADD231PD Z20, Z16, Z0
	VMOVUPD (SI)(R8*1), Z17
	VFMADD231PD Z20, Z17, Z1
	VMOVUPD (SI)(R8*2), Z18
	VFMADD231PD Z20, Z18, Z2
	VMOVUPD (SI)(R11*1), Z19
	VFMADD231PD Z20, Z19, Z3
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  dot1loop

	VEXTRACTF64X4 $1, Z0, Y16
	VADDPD Y16, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y16
	VADDPD Y16, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y16
	VADDPD Y16, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y16
	VADDPD Y16, Y3, Y3
	VHADDPD Y1, Y0, Y0
	VHADDPD Y3, Y2, Y2
	VPERM2F128 $0x20, Y2, Y0, Y1
	VPERM2F128 $0x31, Y2, Y0, Y3
	VADDPD Y3, Y1, Y1
	VMOVUPD Y1, (DX)
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
	VMOVUPD (DX), Z0
	VMOVUPD 64(DX), Z1
	VMOVUPD 128(DX), Z2
	VMOVUPD 192(DX), Z3
	JMP loop

zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3

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

	VMOVUPD Z0, (DX)
	VMOVUPD Z1, 64(DX)
	VMOVUPD Z2, 128(DX)
	VMOVUPD Z3, 192(DX)
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
