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
