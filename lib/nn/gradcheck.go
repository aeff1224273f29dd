package nn

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// ParamCheck compares the backpropagated gradient of one parameter with a
// numeric one.
type ParamCheck struct {
	Param             *Param
	Analytic, Numeric []float64
	// RelErr is the relative error of the whole gradient,
	// ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂) (0 when both vanish); MaxAbsErr is the
	// largest |a_i − n_i|.
	RelErr, MaxAbsErr float64
}

// CheckGradients computes ∂C/∂θ for the batch (x, y) by backpropagation and
// by central differences of the cost (Network.Loss, inference mode) with
// the given step (0 means DefaultStep), parameter by parameter. It leaves
// the parameter values as it found them.
//
// Central differences cost two forward passes per scalar: keep networks
// and batches small.
func CheckGradients(net *Network, x, y *mat.Dense, step float64) []ParamCheck {
	net.Gradient(x, y)
	var out []ParamCheck
	for _, p := range net.Params() {
		analytic := append([]float64(nil), contiguous(p.Grad, "CheckGradients")...)
		v := contiguous(p.Value, "CheckGradients")
		numeric := make([]float64, len(v))
		for i, orig := range v {
			// One scalar at a time, so that each cost evaluation changes a
			// single entry instead of copying the whole parameter.
			numeric[i] = NumericDerivative(func(t float64) float64 {
				v[i] = t
				return net.Loss(x, y)
			}, orig, step)
			v[i] = orig
		}
		out = append(out, ParamCheck{
			Param: p, Analytic: analytic, Numeric: numeric,
			RelErr: VectorRelativeError(analytic, numeric), MaxAbsErr: floats.Distance(analytic, numeric, math.Inf(1)),
		})
	}
	return out
}

// VectorRelativeError returns ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂), or 0 when a and
// n are both zero. Unlike an element-wise maximum of RelativeError, it is
// not dominated by entries where both gradients are almost zero.
func VectorRelativeError(a, n []float64) float64 {
	d := floats.Distance(a, n, 2)
	if d == 0 {
		return 0
	}
	return d / math.Max(floats.Norm(a, 2), floats.Norm(n, 2))
}
