package kernel

import (
	"fmt"
	"math"
)

// Sigmoid sets dst[i] = σ(src[i]) = 1/(1 + e^(−src[i])) for every i; dst
// and src have the same length and may be the same slice. On AVX-512 the
// exponential is vectorized (within a few units in the last place of
// math.Exp); elsewhere it is math.Exp in the form that never overflows.
func Sigmoid(dst, src []float64) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("nn: kernel.Sigmoid: %d outputs for %d inputs", len(dst), len(src)))
	}
	n := 0
	if level == AVX512 {
		n = len(src) &^ 7
		if n > 0 {
			sigmoid8z(n, &dst[0], &src[0])
		}
	}
	for i, x := range src[n:] {
		dst[n+i] = sigmoid(x)
	}
}

// sigmoid returns σ(x), using e^x/(1 + e^x) for negative x so that
// σ(−1000) is 0 rather than NaN.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
