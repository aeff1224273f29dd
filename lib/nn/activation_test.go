package nn

import (
	"math"
	"testing"
)

func TestSigmoid(t *testing.T) {
	for _, tc := range []struct {
		z, want float64
	}{
		{0, 0.5},
		{math.Log(3), 0.75}, // 1/(1+1/3)
		{-math.Log(3), 0.25},
		{1000, 1},
		{-1000, 0},
		{math.Inf(1), 1},
		{math.Inf(-1), 0},
	} {
		got := Sigmoid{}.F(tc.z)
		if math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Sigmoid{}.F(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
}

func TestSigmoidSymmetry(t *testing.T) {
	// σ(−z) = 1 − σ(z) for every z.
	for z := -30.0; z <= 30; z += 0.37 {
		if d := math.Abs(Sigmoid{}.F(-z) - (1 - Sigmoid{}.F(z))); d > 1e-15 {
			t.Errorf("σ(−%v) − (1 − σ(%v)) = %v", z, z, d)
		}
	}
}

func TestSigmoidPrimeMatchesCentralDifferences(t *testing.T) {
	for z := -8.0; z <= 8; z += 0.25 {
		a := Sigmoid{}.Prime(z)
		n := NumericDerivative(Sigmoid{}.F, z, 0)
		if re := RelativeError(a, n); re > 1e-7 {
			t.Errorf("z=%v: σ'=%v, numeric=%v, relative error %v", z, a, n, re)
		}
	}
}
