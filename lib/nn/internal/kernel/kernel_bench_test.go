package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkProducts times the products of the bench CNN at minibatch 64
// and a large square product, in GFLOP/s, on every level.
func BenchmarkProducts(b *testing.B) {
	defer SetLevel(SetLevel(Best()))
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
		for _, lv := range levels() {
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
