package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// TestKernelsMatchGonum compares the layer's kernels with mat.Dense.Mul on
// shapes below and above the parallel threshold.
func TestKernelsMatchGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range []struct{ r, k, c int }{{1, 1, 1}, {3, 5, 2}, {30, 784, 10}, {100, 784, 64}, {7, 1, 9}} {
		t.Run(fmt.Sprintf("%dx%dx%d", s.r, s.k, s.c), func(t *testing.T) {
			a := randDense(rng, s.r, s.k)
			bT := randDense(rng, s.c, s.k)
			b := randDense(rng, s.k, s.c)
			var want mat.Dense

			got := randDense(rng, s.r, s.c) // added to
			want.Mul(a, bT.T())
			want.Add(&want, got)
			mulABTAdd(got, a, bT)
			if !mat.EqualApprox(got, &want, 1e-12) {
				t.Errorf("mulABTAdd differs from gonum")
			}
			// The same through the Go loops (rows not contiguous).
			wide := mat.NewDense(s.r, s.c+1, nil)
			view := wide.Slice(0, s.r, 0, s.c).(*mat.Dense)
			view.Copy(got)
			want.Mul(a, bT.T())
			want.Add(&want, got)
			mulABTAdd(view, a, bT)
			if !mat.EqualApprox(view, &want, 1e-12) {
				t.Errorf("mulABTAdd (strided) differs from gonum")
			}

			got.Apply(func(_, _ int, _ float64) float64 { return 99 }, got) // old contents must not leak in
			mulAB(got, a, b, 0.25)
			want.Mul(a, b)
			want.Scale(0.25, &want)
			if !mat.EqualApprox(got, &want, 1e-12) {
				t.Errorf("mulAB differs from gonum")
			}
		})
	}
}
