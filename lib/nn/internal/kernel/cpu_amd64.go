//go:build !purego

package kernel

// The assembly micro-kernels of gemm_amd64.s. Each reads its operands in
// place (strides in elements) and handles one tile; the Go code around them
// handles the edges.

// gemm4x32z sets (add = 0) or adds to (add = 1) the 4 × 32 block at c the
// product of the 4 × k block at a and the k × 32 block at b (AVX-512).
//
//go:noescape
func gemm4x32z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int)

// gemm4x8z is gemm4x32z for a 4 × 8 block (AVX-512).
//
//go:noescape
func gemm4x8z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int)

// dot4x4z sets out[4i+j] to the dot product of rows i of a and j of b,
// i, j < 4, of length n, a positive multiple of 8 (AVX-512).
//
//go:noescape
func dot4x4z(n int, a *float64, lda int, b *float64, ldb int, out *float64)

// dot4x1z sets out[i] to the dot product of row i < 4 of a with b, of
// length n, a positive multiple of 8 (AVX-512).
//
//go:noescape
func dot4x1z(n int, a *float64, lda int, b *float64, out *float64)

// gemm4x8 adds to the 4 × 8 block at c the product of the 4 × k block at a
// and the k × 8 block at b; k > 0 (AVX2 and FMA).
//
//go:noescape
func gemm4x8(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)

// dot4x2 adds to the 4 × 2 block at c the dot products of rows i < 4 of a
// and j < 2 of b, of length n, a positive multiple of 4 (AVX2 and FMA).
//
//go:noescape
func dot4x2(n int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// detect returns the highest level that the processor supports and the
// operating system enables (it saves the vector registers on context
// switches, as XCR0 tells).
func detect() Level {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return Generic
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return Generic
	}
	xcr0, _ := xgetbv()
	if xcr0&6 != 6 { // SSE and AVX state
		return Generic
	}
	_, b7, _, _ := cpuid(7, 0)
	const avx2, avx512f = 1 << 5, 1 << 16
	if b7&avx2 == 0 {
		return Generic
	}
	// Opmask, upper halves of ZMM0–15 and ZMM16–31.
	if b7&avx512f != 0 && xcr0&0xe0 == 0xe0 {
		return AVX512
	}
	return AVX2
}

// sigmoid8z sets dst[i] = 1/(1 + e^(−src[i])) for i < n, a positive
// multiple of 8 (AVX-512).
//
//go:noescape
func sigmoid8z(n int, dst, src *float64)

// gemm1x32z is one row of gemm4x32z: c[j] = add·c[j] + Σ a[l]·b[l·ldb+j],
// j < 32 (AVX-512).
//
//go:noescape
func gemm1x32z(k int, a *float64, b *float64, ldb int, c *float64, add int)

// gemm1x8z is gemm1x32z for 8 columns (AVX-512).
//
//go:noescape
func gemm1x8z(k int, a *float64, b *float64, ldb int, c *float64, add int)

// maxInto8z sets dst[s], arg[s] = src[s], r where src[s] > dst[s] or
// src[s] is NaN, for s < n, a positive multiple of 8 (AVX-512).
//
//go:noescape
func maxInto8z(n int, dst *float64, arg *int32, src *float64, r int32)
