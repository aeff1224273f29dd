package nb

import (
	"math"
	"testing"

	"github.com/redesneuronales/course/lib/plotting"
)

func TestDescend(t *testing.T) {
	// On C = ½(θ₁² + 10 θ₂²) each coordinate is multiplied by (1 − ηλ) per step.
	s := Quadratic2D(1, 10, 0)
	for _, eta := range []float64{0.05, 0.19, 0.21} {
		p := Descend(s, 2, 1, eta, 30)
		if len(p.X) != 31 || len(p.C) != 31 {
			t.Fatalf("path of %d points, want 31", len(p.X))
		}
		want1, want2 := 2*math.Pow(1-eta, 30), math.Pow(1-10*eta, 30)
		if math.Abs(p.X[30]-want1) > 1e-12 || math.Abs(p.Y[30]-want2) > 1e-9*math.Max(1, math.Abs(want2)) {
			t.Errorf("η = %g: θ_30 = (%g, %g), want (%g, %g)", eta, p.X[30], p.Y[30], want1, want2)
		}
		if got := p.C[30]; math.Abs(got-s.C(p.X[30], p.Y[30])) > 1e-12*math.Max(1, got) {
			t.Errorf("η = %g: recorded cost %g, want C(θ_30)", eta, got)
		}
	}
	if st := (Path{C: make([]float64, 4)}).Steps(); len(st) != 4 || st[3] != 3 {
		t.Errorf("Steps = %v, want 0..3", st)
	}
}

func TestPathUntil(t *testing.T) {
	p := Path{X: []float64{0, 1, 3, 0, math.NaN()}, Y: []float64{0, 1, 1, 0, 0}, C: []float64{0, 1, 2, 3, 4}}
	xr, yr := plotting.Range{Min: -2, Max: 2}, plotting.Range{Min: -2, Max: 2}
	if got := p.Until(xr, yr); len(got.X) != 3 || got.X[2] != 3 || len(got.C) != 3 {
		t.Errorf("Until keeps %v, want the first 3 points (through the first one outside)", got.X)
	}
	in := Path{X: []float64{0, 1}, Y: []float64{0, 1}, C: []float64{0, 1}}
	if got := in.Until(xr, yr); len(got.X) != 2 {
		t.Errorf("a path inside the window was cut to %v", got.X)
	}
	nan := Path{X: []float64{0, math.NaN(), 0}, Y: []float64{0, 0, 0}, C: []float64{0, 0, 0}}
	if got := nan.Until(xr, yr); len(got.X) != 2 {
		t.Errorf("a NaN point counts as outside: kept %v", got.X)
	}
}

func TestLargestStableEta(t *testing.T) {
	for _, tc := range []struct{ l1, l2 float64 }{{1, 10}, {2, 0.5}, {7, 7}} {
		s := Quadratic2D(tc.l1, tc.l2, 0.4)
		got := LargestStableEta(s, 0, 0, 5)
		want := 2 / math.Max(tc.l1, tc.l2)
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("λ = %g, %g: largest stable η %v, want 2/λ_max = %v", tc.l1, tc.l2, got, want)
		}
	}
	// Near the global minimum of the double well the Hessian is about
	// [[12θ₁² − 3.5, −1], [−1, 2]]; 2/λ_max of it at θ₁ = −1.0360.
	s := DoubleWell()
	p := Descend(s, -1, -0.5, 0.05, 3000)
	m1, m2 := p.X[3000], p.Y[3000]
	a, d := 12*m1*m1-3.5, 2.0
	lmax := (a+d)/2 + math.Sqrt((a-d)*(a-d)/4+1)
	if got, want := LargestStableEta(s, m1, m2, 1), 2/lmax; math.Abs(got-want) > 1e-6*want {
		t.Errorf("double well: largest stable η %v, want 2/λ_max = %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("a stable hi did not panic")
		}
	}()
	LargestStableEta(Quadratic2D(1, 1, 0), 0, 0, 1)
}
