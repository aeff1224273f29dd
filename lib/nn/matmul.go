package nn

import (
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// The products of a dense layer are small and skinny (a minibatch of 10
// against 784 inputs). For them gonum's general matrix multiply spends
// much of its time allocating and synchronizing workers. These kernels
// call gonum's vectorized dot and axpy routines directly, on contiguous
// rows, and split the rows of the result between at most GOMAXPROCS
// goroutines only when the product is big enough to pay for it.

// parallelFlops is the least number of multiply-adds for which a product
// is split between goroutines.
const parallelFlops = kernel.ParallelWork

// mulABTAdd adds a · bᵀ to dst, where a is r × k and b is c × k, both
// with contiguous rows: every entry is one dot product of two rows.
func mulABTAdd(dst, a, b *mat.Dense) {
	ar, k := a.Dims()
	br, bk := b.Dims()
	dr, dc := dst.Dims()
	if bk != k || dr != ar || dc != br {
		panic(shapeError("mulABTAdd", ar, k, br, bk))
	}
	if mulABTAddKernel(dst, a, b) {
		return
	}
	A, B, D := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	rows(ar, ar*br*k, func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			ai := A.Data[i*A.Stride : i*A.Stride+k]
			di := D.Data[i*D.Stride : i*D.Stride+br]
			for j := range di {
				di[j] += floats.Dot(ai, B.Data[j*B.Stride:j*B.Stride+k])
			}
		}
	})
}

// mulAB sets dst = alpha · a · b, where a is r × k and b is k × c: row i
// of dst is a sum of rows of b, accumulated with axpy.
func mulAB(dst, a, b *mat.Dense, alpha float64) {
	ar, k := a.Dims()
	bk, c := b.Dims()
	dr, dc := dst.Dims()
	if bk != k || dr != ar || dc != c {
		panic(shapeError("mulAB", ar, k, bk, c))
	}
	if mulABKernel(dst, a, b, alpha) {
		return
	}
	A, B, D := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	rows(ar, ar*k*c, func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			di := D.Data[i*D.Stride : i*D.Stride+c]
			ai := A.Data[i*A.Stride : i*A.Stride+k]
			for l, v := range ai {
				bl := B.Data[l*B.Stride : l*B.Stride+c]
				if l == 0 {
					floats.ScaleTo(di, alpha*v, bl)
					continue
				}
				floats.AddScaled(di, alpha*v, bl)
			}
		}
	})
}

// rows calls f on ranges of [0, n) that cover it, in parallel when the
// work (in multiply-adds) is large, on the kernels' waiting goroutines.
func rows(n, work int, f func(i0, i1 int)) { kernel.Parallel(n, work, f) }
