//go:build !amd64 || purego

package kernel

// Without assembly (another architecture or the purego build tag) only the
// portable loops run; the kernels below are never called.

func detect() Level { return Generic }

func gemm4x32z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int) {
	panic("nn: gemm4x32z without assembly")
}

func gemm4x8z(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int, add int) {
	panic("nn: gemm4x8z without assembly")
}

func dot4x4z(n int, a *float64, lda int, b *float64, ldb int, out *float64) {
	panic("nn: dot4x4z without assembly")
}

func dot4x1z(n int, a *float64, lda int, b *float64, out *float64) {
	panic("nn: dot4x1z without assembly")
}

func gemm4x8(k int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int) {
	panic("nn: gemm4x8 without assembly")
}

func dot4x2(n int, a *float64, lda int, b *float64, ldb int, c *float64, ldc int) {
	panic("nn: dot4x2 without assembly")
}

func sigmoid8z(n int, dst, src *float64) { panic("nn: sigmoid8z without assembly") }

func gemm1x32z(k int, a *float64, b *float64, ldb int, c *float64, add int) {
	panic("nn: gemm1x32z without assembly")
}

func gemm1x8z(k int, a *float64, b *float64, ldb int, c *float64, add int) {
	panic("nn: gemm1x8z without assembly")
}

func maxInto8z(n int, dst *float64, arg *int32, src *float64, r int32) {
	panic("nn: maxInto8z without assembly")
}
