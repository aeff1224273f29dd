//go:build !purego

package nn

// The convolution's products run on two small AVX2/FMA kernels written in
// assembly (conv_kernel_amd64.s) when the processor has them; elsewhere,
// and with the purego build tag, the portable loops of conv.go do the work.

//go:noescape
func gemm4x8(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)

//go:noescape
func dot4x2(n int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX2FMA reports whether the processor and the operating system support
// AVX2 and FMA (the YMM registers are saved on context switches).
func hasAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0
}

// useKernels tells gemm and gemmABT to call the assembly kernels.
var useKernels = hasAVX2FMA()
