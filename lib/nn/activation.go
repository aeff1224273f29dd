package nn

import "math"

// Sigmoid returns the logistic function σ(z) = 1 / (1 + e^(−z)) of §1.1 and
// Appendix B.1.
//
// It is evaluated in a form that never overflows: for negative z it uses
// e^z / (1 + e^z), so Sigmoid(−1000) is 0 rather than NaN.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// SigmoidPrime returns the derivative σ'(z) = σ(z)(1 − σ(z)).
func SigmoidPrime(z float64) float64 {
	s := Sigmoid(z)
	return s * (1 - s)
}
