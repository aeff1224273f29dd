package kernel

import "math"

// sigmoidSerial is Sigmoid on the calling goroutine.
func sigmoidSerial(dst, src []float64) {
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
