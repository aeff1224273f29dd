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
	numeric := NumericGradients(net, x, y, step)
	net.Gradient(x, y)
	var out []ParamCheck
	for i, p := range net.Params() {
		analytic := append([]float64(nil), contiguous(p.Grad, "CheckGradients")...)
		num := numeric[i].RawMatrix().Data
		out = append(out, ParamCheck{
			Param: p, Analytic: analytic, Numeric: num,
			RelErr: VectorRelativeError(analytic, num), MaxAbsErr: floats.Distance(analytic, num, math.Inf(1)),
		})
	}
	return out
}

// NumericGradients returns ∂C/∂θ for the batch (x, y) by central
// differences of the cost (Network.Loss, inference mode) with the given
// step (0 means DefaultStep): one matrix per parameter, shaped like its
// Value, in the order of Params. It perturbs one scalar at a time and
// leaves the parameter values as it found them.
func NumericGradients(net *Network, x, y *mat.Dense, step float64) []*mat.Dense {
	return NumericGradientsOf(net.Params(), func() float64 { return net.Loss(x, y) }, step)
}

// NumericGradientsOf returns the derivatives of cost with respect to every
// scalar of params by central differences with the given step (0 means
// DefaultStep), one matrix per parameter shaped like its Value. cost reads
// the parameters' current values. Use it where the cost is not the
// inference-mode loss: a training-mode forward pass, whose batch
// statistics (BatchNorm) must be recomputed at every perturbation, or one
// with a fixed dropout mask. The values are left as they were found.
func NumericGradientsOf(params []*Param, cost func() float64, step float64) []*mat.Dense {
	var out []*mat.Dense
	for _, p := range params {
		v := contiguous(p.Value, "NumericGradientsOf")
		r, c := p.Value.Dims()
		g := mat.NewDense(r, c, nil)
		gd := g.RawMatrix().Data
		for i, orig := range v {
			gd[i] = NumericDerivative(func(t float64) float64 {
				v[i] = t
				return cost()
			}, orig, step)
			v[i] = orig
		}
		out = append(out, g)
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
