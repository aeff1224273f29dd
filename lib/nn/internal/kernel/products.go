package kernel

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Products computes the three matrix products of a fully connected layer
// (the notes' §1.2 and §3.1) for a batch of m samples held one per column,
// the layout in which the notes write them:
//
//	z = W a + b        (Affine, AffineRows)
//	∂C/∂W = α δ aᵀ     (Outer; α = 1/m averages over the batch)
//	∂C/∂a = Wᵀ δ       (MulT)
//
// with W of n_out × n_in, b of n_out × 1, a of n_in × m and z, δ of
// n_out × m.
//
// For the small batches of training (m = 10 against n_in = 784), a
// product that runs along the columns of a or δ would be mostly the edges
// of the micro-kernels, so Products works on their transposes: it keeps
// aᵀ, one row per sample, made by Affine and read again by Outer, and
// computes Wᵀ δ as (δᵀ W)ᵀ. Those copies are its own and reused, so once
// the sizes settle a call allocates nothing.
//
// The zero value is ready to use. A Products belongs to one layer: it is
// not safe for concurrent use.
type Products struct {
	aT     *mat.Dense // aᵀ of the last Affine: ownAT, or the rows given to AffineRows
	ownAT  *mat.Dense
	deltaT *mat.Dense // δᵀ, for MulT
	outT   *mat.Dense // δᵀ W = (Wᵀ δ)ᵀ, for MulT
}

// Affine sets z = W a + b, with b added to every column, and keeps aᵀ
// for Outer. It panics if the shapes do not match.
func (p *Products) Affine(z, w, a, b *mat.Dense) {
	nIn, m := a.Dims()
	p.ownAT = reuse(p.ownAT, m, nIn)
	transposeDense(p.ownAT, a)
	p.aT = p.ownAT
	p.affine("Affine", z, w, b)
}

// AffineRows is Affine for the input given as aᵀ (m × n_in, one row per
// sample), the layout in which a training loop gathers a minibatch from
// the rows of a data set. It reads aT in place: aT must not change until
// the Outer that follows.
func (p *Products) AffineRows(z, w, aT, b *mat.Dense) {
	p.aT = aT
	p.affine("AffineRows", z, w, b)
}

// affine sets z = b + W (p.aT)ᵀ: the biases first, then the product
// added to them (one pass over z instead of two).
func (p *Products) affine(who string, z, w, b *mat.Dense) {
	nOut, nIn := w.Dims()
	m, aIn := p.aT.Dims()
	zr, zc := z.Dims()
	br, bc := b.Dims()
	if aIn != nIn || zr != nOut || zc != m || br != nOut || bc != 1 {
		panic(fmt.Sprintf("nn: kernel.Products.%s: W is %d×%d, a is %d×%d, b is %d×%d and z is %d×%d", who, nOut, nIn, aIn, m, br, bc, zr, zc))
	}
	Z := z.RawMatrix()
	for i := range nOut {
		Fill(Z.Data[i*Z.Stride:i*Z.Stride+m], b.At(i, 0))
	}
	mulABT(z, w, p.aT)
}

// Outer sets dst = alpha · δ aᵀ, for the a of the last Affine or
// AffineRows: the sum over the batch of the outer products of the columns
// of δ and a. It panics before any Affine or if the shapes do not match.
func (p *Products) Outer(dst *mat.Dense, alpha float64, delta *mat.Dense) {
	if p.aT == nil {
		panic("nn: kernel.Products.Outer before Affine")
	}
	nOut, m := delta.Dims()
	am, nIn := p.aT.Dims()
	dr, dc := dst.Dims()
	if am != m || dr != nOut || dc != nIn {
		panic(fmt.Sprintf("nn: kernel.Products.Outer: δ is %d×%d, a is %d×%d and dst is %d×%d", nOut, m, nIn, am, dr, dc))
	}
	mulAB(dst, delta, p.aT)
	if alpha == 1 {
		return
	}
	if D := dst.RawMatrix(); contiguous(D) {
		floats.Scale(alpha, D.Data[:D.Rows*D.Cols])
	} else {
		for i := range D.Rows {
			floats.Scale(alpha, D.Data[i*D.Stride:i*D.Stride+D.Cols])
		}
	}
}

// MulT sets dst = Wᵀ δ. It panics if the shapes do not match.
func (p *Products) MulT(dst, w, delta *mat.Dense) {
	nOut, nIn := w.Dims()
	dOut, m := delta.Dims()
	dr, dc := dst.Dims()
	if dOut != nOut || dr != nIn || dc != m {
		panic(fmt.Sprintf("nn: kernel.Products.MulT: W is %d×%d, δ is %d×%d and dst is %d×%d", nOut, nIn, dOut, m, dr, dc))
	}
	// Row j of δᵀ W is a sum of rows of W, which reads W contiguously.
	p.deltaT = reuse(p.deltaT, m, nOut)
	transposeDense(p.deltaT, delta)
	p.outT = reuse(p.outT, m, nIn)
	mulAB(p.outT, p.deltaT, w)
	transposeDense(dst, p.outT)
}

// mulABT adds a·bᵀ to dst: GemmABT, shared between the cores, when every
// matrix is contiguous, GemmABTStrided otherwise.
func mulABT(dst, a, b *mat.Dense) {
	A, B, D := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	if contiguous(A) && contiguous(B) && contiguous(D) {
		GemmABT(D.Data, A.Data, B.Data, A.Rows, A.Cols, B.Rows, true)
		return
	}
	GemmABTStrided(D.Data, D.Stride, A.Data, A.Stride, B.Data, B.Stride, A.Rows, A.Cols, B.Rows, true)
}

// mulAB sets dst = a·b: Gemm, shared between the cores, when every matrix
// is contiguous, GemmStrided otherwise.
func mulAB(dst, a, b *mat.Dense) {
	A, B, D := a.RawMatrix(), b.RawMatrix(), dst.RawMatrix()
	if contiguous(A) && contiguous(B) && contiguous(D) {
		Gemm(D.Data, A.Data, B.Data, A.Rows, A.Cols, B.Cols, false)
		return
	}
	GemmStrided(D.Data, D.Stride, A.Data, A.Stride, B.Data, B.Stride, A.Rows, A.Cols, B.Cols, false)
}

// contiguous reports whether the rows of m follow each other in memory.
func contiguous(m blas64.General) bool { return m.Stride == m.Cols }

// transposeDense sets dst = srcᵀ with Transpose.
func transposeDense(dst, src *mat.Dense) {
	s, d := src.RawMatrix(), dst.RawMatrix()
	if d.Rows != s.Cols || d.Cols != s.Rows {
		panic(fmt.Sprintf("nn: kernel: transpose of %d×%d into %d×%d", s.Rows, s.Cols, d.Rows, d.Cols))
	}
	Transpose(d.Data, d.Stride, s.Data, s.Stride, s.Rows, s.Cols)
}

// reuse returns m if it is r × c and a new r × c matrix otherwise.
func reuse(m *mat.Dense, r, c int) *mat.Dense {
	if m != nil {
		if mr, mc := m.Dims(); mr == r && mc == c {
			return m
		}
	}
	return mat.NewDense(r, c, nil)
}
