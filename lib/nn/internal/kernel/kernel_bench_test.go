package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkProducts times the products of the bench CNN at minibatch 64
// and a large square product, in GFLOP/s, on every level.
func BenchmarkProducts(b *testing.B) {
	lvs := levels(b)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range []struct {
		name    string
		abt     bool
		r, k, c int
	}{
		{"conv-forward", false, 20, 25, 36864},
		{"conv-dW", true, 20, 36864, 25},
		{"fc-forward", true, 100, 2880, 64},
		{"fc-dW", false, 100, 64, 2880},
		{"fc-dx", false, 64, 100, 2880},
		{"square-1000", false, 1000, 1000, 1000},
	} {
		a, bm, dst := random(rng, p.r*p.k), random(rng, p.k*p.c), make([]float64, p.r*p.c)
		for _, lv := range lvs {
			b.Run(fmt.Sprintf("%s/%v", p.name, lv), func(b *testing.B) {
				SetLevel(lv)
				for range b.N {
					if p.abt {
						GemmABT(dst, a, bm, p.r, p.k, p.c, false)
					} else {
						Gemm(dst, a, bm, p.r, p.k, p.c, false)
					}
				}
				b.ReportMetric(2*float64(p.r*p.k*p.c)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkLayerProducts times the products of one training step of a
// fully connected layer (n_out × n_in at minibatch m) through Products:
// z = W a + b with a given by columns (Affine, which transposes it) and by
// rows (AffineRows, as a network's first layer gets it), δ aᵀ and Wᵀ δ.
func BenchmarkLayerProducts(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, s := range [][3]int{{30, 784, 10}, {100, 784, 10}, {100, 784, 64}, {100, 2880, 64}} {
		nOut, nIn, m := s[0], s[1], s[2]
		w, bias := randomDense(rng, nOut, nIn, false), randomDense(rng, nOut, 1, false)
		a, delta := randomDense(rng, nIn, m, false), randomDense(rng, nOut, m, false)
		aT := mat.DenseCopyOf(a.T())
		z, dw, da := mat.NewDense(nOut, m, nil), mat.NewDense(nOut, nIn, nil), mat.NewDense(nIn, m, nil)
		var p Products
		for _, op := range []struct {
			name string
			f    func()
		}{
			{"Affine", func() { p.Affine(z, w, a, bias) }},
			{"AffineRows", func() { p.AffineRows(z, w, aT, bias) }},
			{"Outer", func() { p.Outer(dw, 0.1, delta) }},
			{"MulT", func() { p.MulT(da, w, delta) }},
		} {
			b.Run(fmt.Sprintf("%dx%d/mb%d/%s/%v", nOut, nIn, m, op.name, Current()), func(b *testing.B) {
				p.Affine(z, w, a, bias)
				for range b.N {
					op.f()
				}
			})
		}
	}
}
