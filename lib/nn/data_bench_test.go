package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkGatherMinibatch times what one minibatch of m random samples
// costs before the first layer's products, for an MNIST-sized training set
// (784 × 50,000): from the rows of Xᵀ (the data set's row cache, read in
// place by the first layer), and from the columns of X followed by the
// transposed copy the layer's products would then make (see
// sampleRowsCache). One operation is one minibatch.
func BenchmarkGatherMinibatch(b *testing.B) {
	const n0, N = 784, 50000
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(n0, N, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.Float64()
	}
	xT := transposed(x)
	perm := rng.Perm(N)
	for _, m := range []int{10, 64} {
		rows, cols, aT := mat.NewDense(m, n0, nil), mat.NewDense(n0, m, nil), mat.NewDense(m, n0, nil)
		b.Run(fmt.Sprintf("rows/mb%d", m), func(b *testing.B) {
			for i := range b.N {
				s := i % (N / m) * m
				gatherRows(rows, xT, perm[s:s+m])
			}
		})
		b.Run(fmt.Sprintf("columns/mb%d", m), func(b *testing.B) {
			for i := range b.N {
				s := i % (N / m) * m
				gatherColumns(cols, x, perm[s:s+m])
				transpose(aT, cols)
			}
		})
	}
}
