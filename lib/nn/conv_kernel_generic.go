//go:build !amd64 || purego

package nn

// useKernels is false: gemm and gemmABT use their portable loops only.
var useKernels = false

func gemm4x8(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int) {
	panic("nn: gemm4x8 without assembly")
}

func dot4x2(n int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int) {
	panic("nn: dot4x2 without assembly")
}
