package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomDense returns an r × c matrix of normal draws. With strided, it is
// a view into a wider matrix whose extra columns hold NaN, so a product
// that reads past a row spoils its result.
func randomDense(rng *rand.Rand, r, c int, strided bool) *mat.Dense {
	if !strided {
		return mat.NewDense(r, c, random(rng, r*c))
	}
	wide := mat.NewDense(r, c+3, nil)
	for i := range r {
		for j := range c + 3 {
			v := math.NaN()
			if j < c {
				v = rng.NormFloat64()
			}
			wide.Set(i, j, v)
		}
	}
	return wide.Slice(0, r, 0, c).(*mat.Dense)
}

// nanDense returns an r × c matrix (a strided view with strided) full of
// NaN: old contents of a destination must not leak into a result.
func nanDense(r, c int, strided bool) *mat.Dense {
	w := c
	if strided {
		w = c + 3
	}
	m := mat.NewDense(r, w, nil)
	for i := range r {
		for j := range w {
			m.Set(i, j, math.NaN())
		}
	}
	return m.Slice(0, r, 0, c).(*mat.Dense)
}

// maxDiffDense returns the largest |x_ij − y_ij|, +Inf where one is NaN.
func maxDiffDense(x, y *mat.Dense) float64 {
	r, c := x.Dims()
	d := 0.0
	for i := range r {
		for j := range c {
			e := math.Abs(x.At(i, j) - y.At(i, j))
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			d = max(d, e)
		}
	}
	return d
}

// The layer's shapes (n_out, n_in, m) of the bench networks at minibatch
// 10, 64 and an evaluation chunk, and small ones with remainders of every
// tile.
var layerSizes = [][3]int{
	{1, 1, 1}, {3, 5, 2}, {5, 13, 3}, {7, 1, 9}, {4, 8, 4},
	{30, 784, 10}, {10, 30, 10}, {100, 784, 64}, {10, 100, 64}, {100, 2880, 10}, {30, 784, 1000},
}

// Every level's Products matches plain loops of the notes' formulas
// z_ij = Σ_k W_ik a_kj + b_i, (δ aᵀ)_ik = α Σ_j δ_ij a_kj and
// (Wᵀ δ)_kj = Σ_i W_ik δ_ij, with contiguous matrices and with strided
// views, for the input given by columns (Affine) and by rows (AffineRows).
func TestProductsOfLayerMatchLoops(t *testing.T) {
	lvs := levels(t)
	rng := rand.New(rand.NewPCG(12, 12))
	for _, sz := range layerSizes {
		nOut, nIn, m := sz[0], sz[1], sz[2]
		for _, strided := range []bool{false, true} {
			w := randomDense(rng, nOut, nIn, strided)
			a := randomDense(rng, nIn, m, strided)
			b := randomDense(rng, nOut, 1, false)
			delta := randomDense(rng, nOut, m, strided)
			aT := mat.DenseCopyOf(a.T())
			const alpha = 0.37

			wantZ := mat.NewDense(nOut, m, nil)
			wantDW := mat.NewDense(nOut, nIn, nil)
			wantDA := mat.NewDense(nIn, m, nil)
			for i := range nOut {
				for j := range m {
					s := b.At(i, 0)
					for k := range nIn {
						s += w.At(i, k) * a.At(k, j)
					}
					wantZ.Set(i, j, s)
				}
				for k := range nIn {
					s := 0.0
					for j := range m {
						s += delta.At(i, j) * a.At(k, j)
					}
					wantDW.Set(i, k, alpha*s)
				}
			}
			for k := range nIn {
				for j := range m {
					s := 0.0
					for i := range nOut {
						s += w.At(i, k) * delta.At(i, j)
					}
					wantDA.Set(k, j, s)
				}
			}

			for _, lv := range lvs {
				t.Run(fmt.Sprintf("%v/%dx%dx%d/strided=%v", lv, nOut, nIn, m, strided), func(t *testing.T) {
					SetLevel(lv)
					tol := 1e-12 * float64(max(nIn, m, nOut)+1)
					var p Products
					for _, rows := range []bool{false, true} {
						z := nanDense(nOut, m, strided)
						if rows {
							p.AffineRows(z, w, aT, b)
						} else {
							p.Affine(z, w, a, b)
						}
						if d := maxDiffDense(z, wantZ); d > tol {
							t.Errorf("rows=%v: z = W a + b differs from the loops by %g", rows, d)
						}
						dw := nanDense(nOut, nIn, strided)
						p.Outer(dw, alpha, delta)
						if d := maxDiffDense(dw, wantDW); d > tol {
							t.Errorf("rows=%v: α δ aᵀ differs from the loops by %g", rows, d)
						}
					}
					da := nanDense(nIn, m, strided)
					p.MulT(da, w, delta)
					if d := maxDiffDense(da, wantDA); d > tol {
						t.Errorf("Wᵀ δ differs from the loops by %g", d)
					}
				})
			}
		}
	}
}

// Outer uses the input of the last Affine, not of an earlier one, and the
// shape checks name the shapes.
func TestProductsUseTheLastInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	w, b := randomDense(rng, 3, 4, false), randomDense(rng, 3, 1, false)
	a1, a2 := randomDense(rng, 4, 2, false), randomDense(rng, 4, 2, false)
	delta := randomDense(rng, 3, 2, false)
	z := mat.NewDense(3, 2, nil)
	var p Products
	p.Affine(z, w, a1, b)
	p.Affine(z, w, a2, b)
	got := mat.NewDense(3, 4, nil)
	p.Outer(got, 1, delta)
	var want mat.Dense
	want.Mul(delta, a2.T())
	if d := maxDiffDense(got, &want); d > 1e-14 {
		t.Errorf("δ aᵀ differs from δ a2ᵀ by %g", d)
	}

	for name, f := range map[string]func(){
		"Outer before Affine": func() { var q Products; q.Outer(got, 1, delta) },
		"Affine, a of 3 rows": func() { p.Affine(z, w, mat.NewDense(3, 2, nil), b) },
		"Outer, dst 4×3":      func() { p.Outer(mat.NewDense(4, 3, nil), 1, delta) },
		"MulT, dst 3×2":       func() { p.MulT(mat.NewDense(3, 2, nil), w, delta) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Once its buffers are sized, a training step of a layer (the three
// products) allocates nothing.
func TestProductsAllocateNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	w, b := randomDense(rng, 30, 784, false), randomDense(rng, 30, 1, false)
	a, delta := randomDense(rng, 784, 10, false), randomDense(rng, 30, 10, false)
	aT := mat.DenseCopyOf(a.T())
	z, dw, da := mat.NewDense(30, 10, nil), mat.NewDense(30, 784, nil), mat.NewDense(784, 10, nil)
	var p Products
	step := func() {
		p.Affine(z, w, a, b)
		p.Outer(dw, 0.1, delta)
		p.MulT(da, w, delta)
		p.AffineRows(z, w, aT, b)
		p.Outer(dw, 0.1, delta)
	}
	step()
	if n := testing.AllocsPerRun(5, step); n != 0 {
		t.Errorf("a step allocates %v times", n)
	}
}
