package kernel

import "math"

// MaxInto sets dst[s], arg[s] = src[s], r wherever src[s] > dst[s] or
// src[s] is NaN: one step of max pooling that also records where each
// maximum came from. The slices have the same length.
func MaxInto(dst []float64, arg []int32, src []float64, r int32) {
	n := 0
	if level == AVX512 {
		n = len(src) &^ 7
		if n > 0 {
			_, _ = dst[n-1], arg[n-1]
			maxInto8z(n, &dst[0], &arg[0], &src[0], r)
		}
	}
	maxInto(dst[n:len(src)], arg[n:len(src)], src[n:], r)
}

// maxInto is MaxInto in Go. It selects with bit masks instead of
// branches: which of two neurons is larger is a coin toss that a branch
// predictor loses half the time.
func maxInto(dst []float64, arg []int32, src []float64, r int32) {
	dst, arg = dst[:len(src)], arg[:len(src)]
	for s, val := range src {
		old := dst[s]
		mask := -(b2u(val > old) | b2u(val != val))
		ob, vb := math.Float64bits(old), math.Float64bits(val)
		dst[s] = math.Float64frombits(ob ^ (ob^vb)&mask)
		arg[s] ^= (arg[s] ^ r) & int32(mask)
	}
}

// b2u returns 1 for true and 0 for false, without a branch.
func b2u(b bool) uint64 {
	var u uint64
	if b {
		u = 1
	}
	return u
}
