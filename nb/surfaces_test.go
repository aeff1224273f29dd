package nb

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
)

// surfaces are the test surfaces with the points where their gradients
// are checked.
var surfaces = []Surface2D{
	Quadratic2D(1, 10, math.Pi/6), Quadratic2D(3, 0.5, -1), Quadratic2D(1, 20, 0.4),
	DoubleWell(), Rosenbrock(), Saddle(),
}

func TestSurfaceGradients(t *testing.T) {
	for _, s := range surfaces {
		for _, p := range [][2]float64{{0.3, -0.7}, {-1.2, 0.4}, {1.5, 1.1}, {-1.2, 0.8}, {1.5, 2}, {0, 0}, {1, 1}} {
			g1, g2 := s.Grad(p[0], p[1])
			want := fd.Gradient(nil, func(v []float64) float64 { return s.C(v[0], v[1]) }, p[:],
				&fd.Settings{Formula: fd.Central, Step: 1e-5})
			// The error of the central difference is about h²f‴/6 (4e-8 for
			// Rosenbrock at its minimum): relative to the gradient, or to 1
			// where the gradient vanishes.
			got := []float64{g1, g2}
			if e := floats.Distance(got, want, 2) / math.Max(1, math.Max(floats.Norm(got, 2), floats.Norm(want, 2))); e > 1e-7 {
				t.Errorf("%s at %v: gradient (%g, %g), central differences %v, relative error %.1e", s.Name, p, g1, g2, want, e)
			}
		}
	}
}

func TestSurfaceMinima(t *testing.T) {
	for _, tc := range []struct {
		s         Surface2D
		at        [2]float64
		min       float64
		isMinimum bool // a minimum, not a saddle point
	}{
		{Quadratic2D(1, 10, 0.3), [2]float64{0, 0}, 0, true},
		{Rosenbrock(), [2]float64{1, 1}, 0, true},
		{Saddle(), [2]float64{0, 1}, -0.25, true},
		{Saddle(), [2]float64{0, -1}, -0.25, true},
		{Saddle(), [2]float64{0, 0}, 0, false},
	} {
		if c := tc.s.C(tc.at[0], tc.at[1]); c != tc.min {
			t.Errorf("%s: C%v = %g, want %g", tc.s.Name, tc.at, c, tc.min)
		}
		if g1, g2 := tc.s.Grad(tc.at[0], tc.at[1]); g1 != 0 || g2 != 0 {
			t.Errorf("%s: gradient (%g, %g) at %v, want 0", tc.s.Name, g1, g2, tc.at)
		}
		// A step of 0.01 in any of eight directions goes up from a minimum;
		// from the saddle some go down.
		up := true
		for k := range 8 {
			a := float64(k) * math.Pi / 4
			if tc.s.C(tc.at[0]+0.01*math.Cos(a), tc.at[1]+0.01*math.Sin(a)) <= tc.min {
				up = false
			}
		}
		if up != tc.isMinimum {
			t.Errorf("%s at %v: every direction goes up = %v, want %v", tc.s.Name, tc.at, up, tc.isMinimum)
		}
	}
}

func TestQuadratic2DEigenvalues(t *testing.T) {
	// Along the eigenvector of l1 (angle a), C(r·u) = ½ l1 r².
	for _, tc := range []struct{ l1, l2, angle float64 }{{1, 10, math.Pi / 6}, {4, 0.5, 2}} {
		s := Quadratic2D(tc.l1, tc.l2, tc.angle)
		u1, u2 := math.Cos(tc.angle), math.Sin(tc.angle)
		if got, want := s.C(2*u1, 2*u2), 0.5*tc.l1*4; math.Abs(got-want) > 1e-12 {
			t.Errorf("C along the first eigenvector = %v, want %v", got, want)
		}
		if got, want := s.C(-2*u2, 2*u1), 0.5*tc.l2*4; math.Abs(got-want) > 1e-12 {
			t.Errorf("C along the second eigenvector = %v, want %v", got, want)
		}
	}
}

func TestDoubleWellMinima(t *testing.T) {
	s := DoubleWell()
	for _, tc := range []struct {
		start [2]float64
		want  [3]float64 // θ₁, θ₂, C at the minimum reached
	}{
		{[2]float64{1.5, 1}, [3]float64{0.960, 0.480, 0.294}},
		{[2]float64{-1.5, 0}, [3]float64{-1.036, -0.518, -0.305}},
	} {
		p := Descend(s, tc.start[0], tc.start[1], 0.05, 2000)
		n := len(p.C) - 1
		g1, g2 := s.Grad(p.X[n], p.Y[n])
		if math.Hypot(g1, g2) > 1e-10 {
			t.Errorf("from %v: gradient (%g, %g) at the end, want a minimum", tc.start, g1, g2)
		}
		got := [3]float64{p.X[n], p.Y[n], p.C[n]}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 5e-4 {
				t.Errorf("from %v: minimum %v, want %v (as documented)", tc.start, got, tc.want)
				break
			}
		}
	}
}
