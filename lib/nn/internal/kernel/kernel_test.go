package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// levels returns every level this machine and build can run, for a test
// or benchmark that sets each in turn; the level in use comes back when
// tb ends.
func levels(tb testing.TB) []Level {
	old := Current()
	tb.Cleanup(func() { SetLevel(old) })
	var ls []Level
	for l := Generic; l <= Best(); l++ {
		ls = append(ls, l)
	}
	return ls
}

func random(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// maxDiff returns the largest |x_i − y_i|, +Inf where one is NaN.
func maxDiff(x, y []float64) float64 {
	d := 0.0
	for i := range x {
		e := math.Abs(x[i] - y[i])
		if math.IsNaN(e) {
			e = math.Inf(1)
		}
		d = max(d, e)
	}
	return d
}

// pad returns the r × c matrix m stored with row stride c+3, the extra
// entries NaN so that reading them spoils the result.
func pad(m []float64, r, c int) []float64 {
	p := make([]float64, r*(c+3))
	for i := range r {
		copy(p[i*(c+3):], m[i*c:(i+1)*c])
		for j := c; j < c+3; j++ {
			p[i*(c+3)+j] = math.NaN()
		}
	}
	return p
}

// unpad is the inverse of pad.
func unpad(p []float64, r, c int) []float64 {
	m := make([]float64, r*c)
	for i := range r {
		copy(m[i*c:(i+1)*c], p[i*(c+3):])
	}
	return m
}

// Sizes with and without remainders of every kernel's tile (4 rows; 32, 8
// columns; 4, 2, 1 dot columns; multiples of 8 and 4 along the sum), below
// and above the parallel threshold, and the layers' shapes.
var sizes = [][3]int{
	{1, 1, 1}, {4, 1, 8}, {4, 1, 32}, {3, 2, 7}, {5, 7, 13}, {4, 8, 40}, {8, 16, 4},
	{20, 25, 5760}, {8, 500, 640}, {13, 33, 1031}, {40, 500, 2049}, {100, 64, 784},
	{10, 100, 64}, {64, 100, 2880}, {7, 1025, 9}, {4, 2051, 5},
}

// Every level's Gemm and GemmABT match plain triple loops, when setting
// and when adding to dst.
func TestProductsMatchLoops(t *testing.T) {
	lvs := levels(t)
	rng := rand.New(rand.NewPCG(11, 11))
	for _, sz := range sizes {
		r, k, c := sz[0], sz[1], sz[2]
		a, b := random(rng, r*k), random(rng, k*c)
		bT := make([]float64, c*k)
		for l := range k {
			for j := range c {
				bT[j*k+l] = b[l*c+j]
			}
		}
		init := random(rng, r*c)
		for _, add := range []bool{false, true} {
			want := make([]float64, r*c)
			for i := range r {
				for j := range c {
					s := 0.0
					for l := range k {
						s += a[i*k+l] * b[l*c+j]
					}
					if add {
						s += init[i*c+j]
					}
					want[i*c+j] = s
				}
			}
			for _, lv := range lvs {
				t.Run(fmt.Sprintf("%v/%dx%dx%d/add=%v", lv, r, k, c, add), func(t *testing.T) {
					SetLevel(lv)
					tol := 1e-12 * float64(k+1)
					got := append([]float64(nil), init...)
					Gemm(got, a, b, r, k, c, add)
					if d := maxDiff(got, want); d > tol {
						t.Errorf("Gemm differs from the loops by %g", d)
					}
					got = append([]float64(nil), init...)
					GemmABT(got, a, bT, r, k, c, add)
					if d := maxDiff(got, want); d > tol {
						t.Errorf("GemmABT differs from the loops by %g", d)
					}
					// The same matrices inside wider ones (strides + 3).
					pa, pb, pbT := pad(a, r, k), pad(b, k, c), pad(bT, c, k)
					pd := pad(init, r, c)
					GemmStrided(pd, c+3, pa, k+3, pb, c+3, r, k, c, add)
					if d := maxDiff(unpad(pd, r, c), want); d > tol {
						t.Errorf("GemmStrided differs from the loops by %g", d)
					}
					pd = pad(init, r, c)
					GemmABTStrided(pd, c+3, pa, k+3, pbT, k+3, r, k, c, add)
					if d := maxDiff(unpad(pd, r, c), want); d > tol {
						t.Errorf("GemmABTStrided differs from the loops by %g", d)
					}
				})
			}
		}
	}
}

// Parallel covers [0, n) exactly once, in and out of the parallel regime.
func TestParallelCovers(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 100} {
		for _, work := range []int{1, ParallelWork} {
			seen := make([]int32, n)
			Parallel(n, work, func(i0, i1 int) {
				for i := i0; i < i1; i++ {
					seen[i]++ // ranges are disjoint: no race
				}
			})
			for i, s := range seen {
				if s != 1 {
					t.Errorf("n=%d work=%d: index %d covered %d times", n, work, i, s)
				}
			}
		}
	}
}

// The build on this machine selects the level its processor supports.
func TestLevelNames(t *testing.T) {
	t.Logf("best kernel level here: %v", Best())
	for l, want := range map[Level]string{Generic: "pure Go", AVX2: "AVX2+FMA", AVX512: "AVX-512"} {
		if l.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(l), l.String(), want)
		}
	}
}

// Every level's Sigmoid is within a few units in the last place of
// σ(x) = 1/(1 + e^(−x)) computed with math.Exp, across the range where σ
// is neither 0 nor 1, at the limits, for ±Inf and NaN, and on lengths
// with and without a remainder of the vector width.
func TestSigmoid(t *testing.T) {
	lvs := levels(t)
	rng := rand.New(rand.NewPCG(5, 5))
	x := []float64{0, 1, -1, 1e-300, -1e-300, 36, -36, 40, -40, 700, -700, 709.8, -709.8,
		745, -745, 746, -746, 800, -800, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 1000 {
		x = append(x, 30*rng.NormFloat64())
	}
	for i := range 37 { // 1037 + 37: lengths 1061 to 1061+36 below
		x = append(x, float64(i)/8-2)
	}
	for _, lv := range lvs {
		SetLevel(lv)
		for _, n := range []int{len(x), len(x) - 3, 7, 8, 1} {
			got := make([]float64, n)
			Sigmoid(got, x[:n])
			for i, v := range x[:n] {
				var want float64
				if v >= 0 {
					want = 1 / (1 + math.Exp(-v))
				} else {
					want = math.Exp(v) / (1 + math.Exp(v))
				}
				switch {
				case math.IsNaN(want):
					if !math.IsNaN(got[i]) {
						t.Errorf("%v: σ(%g) = %g, want NaN", lv, v, got[i])
					}
				case math.Abs(got[i]-want) > 4e-16*want:
					t.Errorf("%v: σ(%g) = %.17g, want %.17g", lv, v, got[i], want)
				}
			}
		}
		in := append([]float64(nil), x...) // in place
		Sigmoid(in, in)
		want := make([]float64, len(x))
		Sigmoid(want, x)
		for i := range in {
			if math.Float64bits(in[i]) != math.Float64bits(want[i]) {
				t.Errorf("%v: in place, σ(%g) = %g, not %g", lv, x[i], in[i], want[i])
			}
		}
	}
}

// Every level's MaxInto takes exactly the entries that are larger or NaN,
// keeps ties and an earlier NaN, on lengths with and without a remainder
// of the vector width.
func TestMaxInto(t *testing.T) {
	lvs := levels(t)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{1, 7, 8, 64, 67} {
		dst0, src := make([]float64, n), make([]float64, n)
		arg0 := make([]int32, n)
		for s := range n {
			dst0[s], src[s], arg0[s] = float64(rng.IntN(3)), float64(rng.IntN(3)), int32(rng.IntN(100))
			switch rng.IntN(8) {
			case 0:
				src[s] = math.NaN()
			case 1:
				dst0[s] = math.NaN()
			}
		}
		for _, lv := range lvs {
			SetLevel(lv)
			dst, arg := append([]float64(nil), dst0...), append([]int32(nil), arg0...)
			MaxInto(dst, arg, src, 1000)
			for s := range n {
				wantD, wantA := dst0[s], arg0[s]
				if src[s] > dst0[s] || math.IsNaN(src[s]) {
					wantD, wantA = src[s], 1000
				}
				if math.Float64bits(dst[s]) != math.Float64bits(wantD) || arg[s] != wantA {
					t.Errorf("%v n=%d: entry %d (dst %g, src %g): got %g from %d, want %g from %d",
						lv, n, s, dst0[s], src[s], dst[s], arg[s], wantD, wantA)
				}
			}
		}
	}
}

// Calls nest: a range that itself calls Parallel finishes (no goroutine
// is left waiting for a busy one), and covers its part exactly once.
func TestParallelNests(t *testing.T) {
	var seen [8][8]int32
	Parallel(8, ParallelWork, func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			Parallel(8, ParallelWork, func(j0, j1 int) {
				for j := j0; j < j1; j++ {
					seen[i][j]++
				}
			})
		}
	})
	for i := range seen {
		for j, s := range seen[i] {
			if s != 1 {
				t.Errorf("(%d, %d) covered %d times", i, j, s)
			}
		}
	}
}
