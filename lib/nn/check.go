package nn

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
)

// DefaultStep is the step h of the central differences used by
// NumericDerivative and NumericGradient when the step given is zero.
// For float64 and functions of order one, h ≈ 1e-5 balances the O(h²)
// truncation error of the central formula against the O(ε/h) rounding error.
const DefaultStep = 1e-5

// RelativeError returns |a − n| / max(|a|, |n|), the relative error between
// an analytic value a and a numeric value n used in CS231n's gradient checks.
// It returns 0 when both values are zero and +Inf when either is NaN.
//
// As a rule of thumb for float64 central differences: below 1e-7 the
// analytic formula is right; between 1e-7 and 1e-2 look closer (kinks such as
// ReLU's at 0 give values there); above 1e-2 the formula is wrong.
func RelativeError(a, n float64) float64 {
	if math.IsNaN(a) || math.IsNaN(n) {
		return math.Inf(1)
	}
	d := math.Abs(a - n)
	if d == 0 {
		return 0
	}
	// d > 0 implies max(|a|, |n|) ≥ d/2 > 0: the division is safe.
	return d / math.Max(math.Abs(a), math.Abs(n))
}

// NumericDerivative returns the central-difference approximation
// (f(x+h) − f(x−h)) / 2h of f'(x). A zero step means DefaultStep.
func NumericDerivative(f func(float64) float64, x, step float64) float64 {
	if step == 0 {
		step = DefaultStep
	}
	return fd.Derivative(f, x, &fd.Settings{Formula: fd.Central, Step: step})
}

// NumericGradient stores in dst the central-difference approximation of the
// gradient of f at x, and returns dst. If dst is nil a new slice is
// allocated; otherwise it must have the length of x. A zero step means
// DefaultStep. x is not modified.
func NumericGradient(dst []float64, f func([]float64) float64, x []float64, step float64) []float64 {
	if dst != nil && len(dst) != len(x) {
		panic("nn: NumericGradient: len(dst) != len(x)")
	}
	if step == 0 {
		step = DefaultStep
	}
	return fd.Gradient(dst, f, x, &fd.Settings{Formula: fd.Central, Step: step})
}
