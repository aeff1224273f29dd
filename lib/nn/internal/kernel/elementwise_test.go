package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Long slices, shared between the cores, give bit for bit what the same
// operation gives entry by entry on one goroutine, on every level; lengths
// straddle the parallel threshold and the spans.
func TestElementwiseSplitsExactly(t *testing.T) {
	lvs := levels(t)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, lv := range lvs {
		SetLevel(lv)
		for _, n := range []int{1, 9, spanLen + 3, ParallelWork/16 - 1, ParallelWork / 16, ParallelWork + 5, 3*ParallelWork + 77} {
			t.Run(fmt.Sprintf("%v/n=%d", lv, n), func(t *testing.T) {
				x := random(rng, n)
				for i := range x {
					x[i] *= 20
				}
				got := make([]float64, n)
				Sigmoid(got, x)
				for i, v := range x {
					want := make([]float64, 1)
					sigmoidSerial(want, []float64{v})
					if math.Float64bits(got[i]) != math.Float64bits(want[0]) && lv != AVX512 {
						t.Fatalf("σ(%g) = %.17g at %d, want %.17g", v, got[i], i, want[0])
					}
					// AVX-512 runs the vector kernel on whole groups of 8:
					// compare with the function within its tolerance.
					if w := sigmoid(v); math.Abs(got[i]-w) > 4e-16*w {
						t.Fatalf("σ(%g) = %.17g at %d, want %.17g", v, got[i], i, w)
					}
				}

				y := random(rng, n)
				want := append([]float64(nil), y...)
				for i := range want {
					want[i] += -0.37 * x[i]
				}
				AddScaled(y, -0.37, x)
				for i := range y {
					if math.Float64bits(y[i]) != math.Float64bits(want[i]) {
						t.Fatalf("y[%d] = %.17g, want %.17g", i, y[i], want[i])
					}
				}
			})
		}
	}
}

// Transpose moves every entry, of matrices with and without remainders of
// the tile, below and above the parallel threshold, with row strides that
// leave gaps (whose NaN must not be read) and keeps dst's gaps.
func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, s := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {16, 16}, {17, 33}, {64, 2880}, {2880, 64}, {513, 300}} {
		r, c := s[0], s[1]
		src := pad(random(rng, r*c), r, c) // stride c+3
		dst := make([]float64, c*(r+3))
		for i := range dst {
			dst[i] = -1
		}
		Transpose(dst, r+3, src, c+3, r, c)
		for i := range r {
			for j := range c {
				if got, want := dst[j*(r+3)+i], src[i*(c+3)+j]; got != want {
					t.Fatalf("%d×%d: dst[%d][%d] = %g, want %g", r, c, j, i, got, want)
				}
			}
		}
		for j := range c {
			for g := r; g < r+3; g++ {
				if dst[j*(r+3)+g] != -1 {
					t.Fatalf("%d×%d: gap entry dst[%d][%d] written", r, c, j, g)
				}
			}
		}
	}
}

func TestElementwisePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Sigmoid":   func() { Sigmoid(make([]float64, 3), make([]float64, 4)) },
		"AddScaled": func() { AddScaled(make([]float64, 3), 1, make([]float64, 4)) },
		"Transpose": func() { Transpose(make([]float64, 5), 2, make([]float64, 6), 3, 2, 3) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with mismatched lengths did not panic", name)
				}
			}()
			f()
		}()
	}
}
