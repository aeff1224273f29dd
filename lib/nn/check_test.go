package nn

import (
	"fmt"
	"math"
	"testing"
)

func TestRelativeError(t *testing.T) {
	for _, tc := range []struct {
		a, n, want float64
	}{
		{0, 0, 0},
		{1, 1, 0},
		{1, 0, 1},
		{0, -2, 1},
		{2, 1, 0.5},
		{-2, -1, 0.5},
		{1, -1, 2},
		{1e-200, 2e-200, 0.5},
		{math.NaN(), 1, math.Inf(1)},
		{1, math.NaN(), math.Inf(1)},
	} {
		if got := RelativeError(tc.a, tc.n); got != tc.want {
			t.Errorf("RelativeError(%v, %v) = %v, want %v", tc.a, tc.n, got, tc.want)
		}
	}
}

func TestNumericDerivative(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f, df func(float64) float64
		x     float64
	}{
		{"sin", math.Sin, math.Cos, 0.7},
		{"exp", math.Exp, math.Exp, -1.3},
		{"cube", func(x float64) float64 { return x * x * x }, func(x float64) float64 { return 3 * x * x }, 2},
	} {
		n := NumericDerivative(tc.f, tc.x, 0)
		if re := RelativeError(tc.df(tc.x), n); re > 1e-8 {
			t.Errorf("%s'(%v): numeric %v, exact %v, relative error %v", tc.name, tc.x, n, tc.df(tc.x), re)
		}
	}
}

func TestNumericGradient(t *testing.T) {
	// f(x) = Σ i·x_i² has ∂f/∂x_i = 2i·x_i.
	f := func(x []float64) float64 {
		var s float64
		for i, v := range x {
			s += float64(i+1) * v * v
		}
		return s
	}
	x := []float64{0.5, -1, 2, 0}
	xCopy := append([]float64(nil), x...)
	g := NumericGradient(nil, f, x, 0)
	for i := range x {
		want := 2 * float64(i+1) * x[i]
		if math.Abs(g[i]-want) > 1e-8 {
			t.Errorf("∂f/∂x_%d = %v, want %v", i, g[i], want)
		}
		if x[i] != xCopy[i] {
			t.Errorf("x[%d] changed from %v to %v", i, xCopy[i], x[i])
		}
	}
}

func TestNumericGradientPanicsOnShape(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || fmt.Sprint(r) != "nn: NumericGradient: len(dst) != len(x)" {
			t.Errorf("want nn: shape panic, got %v", r)
		}
	}()
	NumericGradient(make([]float64, 2), func([]float64) float64 { return 0 }, []float64{1, 2, 3}, 0)
}
