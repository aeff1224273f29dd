package nn

import (
	"fmt"
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
	// ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂, GradientNoiseFloor) (0 when both vanish);
	// MaxAbsErr is the largest |a_i − n_i|.
	RelErr, MaxAbsErr float64
}

// GradientNoiseFloor is the gradient norm below which CheckGradients
// compares the two sides absolutely. A central difference of a cost of
// order 1 in float64 resolves a derivative only to about ε_mach·C/h ≈
// 1e-11 (with the DefaultStep h = 1e-5), so a gradient that is zero in
// exact arithmetic (the bias before a batch normalization, which the batch
// mean cancels) comes out as rounding noise of up to about 1e-11 on one
// side and 0 or 1e-17 on the other: a relative error of 1 between two
// zeros. Against the floor, that noise gives at most about 1e-7, the
// usual threshold of a passing check, while a gradient wrong by 1e-6 or
// more still gives 1e-2 or more.
const GradientNoiseFloor = 1e-4

// CheckGradients computes ∂C/∂θ for the batch (x, y) by backpropagation
// after a Training forward pass, and by central differences (with the
// given step, 0 meaning DefaultStep) of the cost of the same pass: a
// Replay pass, with the dropout masks and the batch statistics of that
// Training pass (see Replay). Both sides thus differentiate one function
// of the parameters, also through Dropout and BatchNorm. It leaves the
// parameter values and the state of Stateful layers (running statistics)
// as it found them; dropout layers draw one mask from their sources.
//
// It panics, naming the layer, if a layer's Replay output differs from
// its Training output on the same input: such a layer would make the two
// sides compare different functions.
//
// Central differences cost two forward passes per scalar: keep networks
// and batches small.
func CheckGradients(net *Network, x, y *mat.Dense, step float64) []ParamCheck {
	_, state := net.state()
	saved := copyAll(nil, state)
	defer func() {
		for i, m := range state {
			m.Copy(saved[i])
		}
	}()
	a := x
	for l, layer := range net.Layers {
		in := a
		t := mat.DenseCopyOf(layer.Forward(in, Training))
		a = layer.Forward(in, Replay)
		if !sameValues(a, t) {
			panic(fmt.Sprintf("nn: CheckGradients: layer %d (%v) gives another output in Replay mode than in the Training pass before it on the same input, "+
				"so central differences would not differentiate the function backpropagation does; "+
				"its Forward must treat Replay as Training with the last pass's randomness and no state update (see Replay; Dropout and BatchNorm do)", l+1, layer))
		}
	}
	net.out = a
	net.Backward(y)
	var analytic [][]float64
	for _, p := range net.Params() {
		analytic = append(analytic, append([]float64(nil), contiguous(p.Grad, "CheckGradients")...))
	}
	numeric := NumericGradients(net, x, y, step)
	var out []ParamCheck
	for i, p := range net.Params() {
		num := numeric[i].RawMatrix().Data
		out = append(out, ParamCheck{
			Param: p, Analytic: analytic[i], Numeric: num,
			RelErr: flooredRelativeError(analytic[i], num), MaxAbsErr: floats.Distance(analytic[i], num, math.Inf(1)),
		})
	}
	return out
}

// sameValues reports whether a and b have the same shape and entries
// (NaN matching NaN).
func sameValues(a, b *mat.Dense) bool {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		return false
	}
	for i := range ar {
		for j := range ac {
			u, v := a.At(i, j), b.At(i, j)
			if u != v && !(math.IsNaN(u) && math.IsNaN(v)) {
				return false
			}
		}
	}
	return true
}

// NumericGradients returns ∂C/∂θ for the batch (x, y) by central
// differences, with the given step (0 means DefaultStep), of the cost of a
// Replay forward pass: the training-mode cost, with the dropout masks of
// the network's last Training pass and the statistics of the batch in
// BatchNorm, which is the function whose gradient Network.Gradient
// computes. Run Network.Gradient on the same batch first when the network
// has dropout (Dropout panics otherwise); for a network without layers
// that behave differently in training, this is the plain cost. It returns
// one matrix per parameter, shaped like its Value, in the order of
// Params, perturbs one scalar at a time, and leaves the parameter values
// and the layers' state as it found them. For the inference-mode cost use
// NumericGradientsOf with Network.Loss.
func NumericGradients(net *Network, x, y *mat.Dense, step float64) []*mat.Dense {
	return NumericGradientsOf(net.Params(), func() float64 {
		return net.OutputCost(net.Forward(x, Replay), y)
	}, step)
}

// NumericGradientsOf returns the derivatives of cost with respect to every
// scalar of params by central differences with the given step (0 means
// DefaultStep), one matrix per parameter shaped like its Value. cost reads
// the parameters' current values. Use it for a cost other than the one
// NumericGradients differentiates, such as the inference-mode Network.Loss
// or a regularizer's penalty. The values are left as they were found.
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

// flooredRelativeError is VectorRelativeError with GradientNoiseFloor in
// the denominator.
func flooredRelativeError(a, n []float64) float64 {
	d := floats.Distance(a, n, 2)
	if d == 0 {
		return 0
	}
	return d / math.Max(math.Max(floats.Norm(a, 2), floats.Norm(n, 2)), GradientNoiseFloor)
}
