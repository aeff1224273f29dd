package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Network is a sequence of layers with a cost function (§1.3): a^(0) is the
// input, each layer maps a^(l−1) to a^(l), and Cost compares a^(L) with the
// target ŷ.
type Network struct {
	Layers []Layer
	Cost   Cost

	out   *mat.Dense // a^(L) of the last forward pass
	da    *mat.Dense // ∂C/∂a^(L) scratch
	delta *mat.Dense // δ^(L) scratch for a DeltaCost
	ys    *mat.Dense // targets of a chunk for Evaluate

	// inputGrad asks Backward for ∂C/∂a^(0) too; dx is ∂C/∂a^(0) of
	// the last Backward that computed it (one column per sample, not
	// averaged, owned by the first layer); see InputGradient.
	inputGrad bool
	dx        *mat.Dense
}

// NewNetwork returns a network of the given layers and cost (nil means
// Quadratic). It names the parameters by layer: W1, b1, W2, ...
func NewNetwork(cost Cost, layers ...Layer) *Network {
	if len(layers) == 0 {
		panic("nn: NewNetwork: no layers")
	}
	if cost == nil {
		cost = Quadratic{}
	}
	n := &Network{Layers: layers, Cost: cost}
	for l, layer := range layers {
		for _, p := range layer.Params() {
			base := strings.TrimRight(p.Name, "0123456789")
			p.Name = fmt.Sprintf("%s%d", base, l+1)
		}
	}
	return n
}

// MLPConfig configures NewMLP. The zero value is Nielsen's chapter-1
// network: sigmoid everywhere, quadratic cost, InitScaled.
type MLPConfig struct {
	// Hidden is σ of the hidden layers; nil means Sigmoid.
	Hidden Activation
	// Output is σ of the output layer; nil means Hidden.
	Output Activation
	// Cost is the cost function; nil means Quadratic.
	Cost Cost
	// Init is the initialization scheme; the zero value is InitScaled.
	Init Init
}

// NewMLP returns a fully connected network with the given layer sizes
// n_0, n_1, ..., n_L (so len(sizes)−1 layers), initialized from rng.
func NewMLP(sizes []int, cfg MLPConfig, rng *rand.Rand) *Network {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("nn: NewMLP: need at least an input and an output size, got %v", sizes))
	}
	if rng == nil {
		panic("nn: NewMLP: nil *rand.Rand; pass rand.New(rand.NewPCG(seed, 0))")
	}
	hidden := cfg.Hidden
	if hidden == nil {
		hidden = Sigmoid{}
	}
	out := cfg.Output
	if out == nil {
		out = hidden
	}
	layers := make([]Layer, len(sizes)-1)
	for l := range layers {
		act := hidden
		if l == len(layers)-1 {
			act = out
		}
		layers[l] = NewDense(sizes[l], sizes[l+1], act, cfg.Init, rng)
	}
	return NewNetwork(cfg.Cost, layers...)
}

// Forward runs the batch x (one column per sample) through every layer and
// returns a^(L). The result belongs to the last layer: copy it to keep it.
func (n *Network) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	a := x
	for _, l := range n.Layers {
		a = l.Forward(a, mode)
	}
	n.out = a
	return a
}

// OutputLayer is a layer whose output is an activation of a weighted
// input it keeps, a = σ(z): Dense, Conv and ActLayer. When one ends a
// network, the network computes the output error δ^(L) = ∂C/∂z^(L) and
// the cost from z^(L) directly wherever the cost has an exact form for σ
// (DeltaCost, LogitCost), so the result does not depend on which layer
// carries the output activation.
type OutputLayer interface {
	Layer
	// Output returns the weighted input z, the activation a = σ(z) of the
	// last Forward and σ. z and a must not be modified.
	Output() (z, a *mat.Dense, act Activation)
	// BackwardDelta is Backward given δ = ∂C/∂z instead of ∂C/∂a: it sets
	// the gradients of the layer's parameters and returns ∂C/∂input.
	BackwardDelta(delta *mat.Dense) *mat.Dense
}

// Backward backpropagates the cost of the last Forward against the targets
// y and sets every parameter's gradient, averaged over the batch (§3.1).
//
// When the last layer is an OutputLayer and the cost a DeltaCost with a
// form for the layer's activation (cross-entropy after softmax, for
// example), δ^(L) comes from DeltaCost.Delta; otherwise it is ∂C/∂a^(L)
// from Cost.Grad backpropagated through the layers.
func (n *Network) Backward(y *mat.Dense) {
	L := len(n.Layers) - 1
	out := n.out
	if out == nil {
		panic("nn: Network.Backward before Forward")
	}
	checkTargets(out, y)
	if ol, ok := n.Layers[L].(OutputLayer); ok {
		if dc, ok := n.Cost.(DeltaCost); ok {
			z, a, act := ol.Output()
			r, c := z.Dims()
			n.delta = reuse(n.delta, r, c)
			if dc.Delta(n.delta, z, a, y, act) {
				g := ol.BackwardDelta(n.delta)
				if L > 0 {
					n.backwardLayers(L-1, g)
				} else {
					n.dx = g
				}
				return
			}
		}
	}
	r, c := out.Dims()
	n.da = reuse(n.da, r, c)
	n.Cost.Grad(n.da, out, y)
	n.backwardLayers(L, n.da)
}

// OutputCost returns the mean cost of the output a against the targets y,
// where a is the output of the last layer's last Forward (what Forward
// returned). When the last layer is an OutputLayer and the cost a
// LogitCost with a form for its activation, the cost is computed from
// z^(L) (log-sum-exp, log-sigmoid), which does not saturate as ln a does
// when a rounds to 0 or 1; otherwise it is Cost.Value(a, y).
func (n *Network) OutputCost(a, y *mat.Dense) float64 {
	if ol, ok := n.Layers[len(n.Layers)-1].(OutputLayer); ok {
		if lc, ok := n.Cost.(LogitCost); ok {
			if z, la, act := ol.Output(); la == a {
				checkTargets(a, y)
				if v, ok := lc.ValueFromZ(z, a, y, act); ok {
					return v
				}
			}
		}
	}
	return n.Cost.Value(a, y)
}

// backwardLayers backpropagates ∂C/∂a through layers l, l−1, ..., 0.
func (n *Network) backwardLayers(l int, g *mat.Dense) {
	for ; l > 0; l-- {
		g = n.Layers[l].Backward(g)
	}
	if pb, ok := n.Layers[0].(ParamBackwarder); ok && !n.inputGrad {
		pb.BackwardParams(g)
		return
	}
	n.dx = n.Layers[0].Backward(g)
}

func checkTargets(a, y *mat.Dense) {
	ar, ac := a.Dims()
	yr, yc := y.Dims()
	if ar != yr || ac != yc {
		panic(shapeError("Network: output a^(L) vs targets ŷ", ar, ac, yr, yc))
	}
}

// forwardRows is Forward for an input with one row per sample, the layout
// in which Train gathers a minibatch from Dataset.sampleRows: a first
// layer that is a rowsForwarder (Dense, Conv) takes it as it is, any other
// gets it transposed.
func (n *Network) forwardRows(xT *mat.Dense, mode Mode) *mat.Dense {
	var a *mat.Dense
	if rf, ok := n.Layers[0].(rowsForwarder); ok {
		a = rf.forwardRows(xT, mode)
	} else {
		a = n.Layers[0].Forward(transposed(xT), mode)
	}
	for _, l := range n.Layers[1:] {
		a = l.Forward(a, mode)
	}
	n.out = a
	return a
}

// gradientRows is Gradient for an input with one row per sample.
func (n *Network) gradientRows(xT, y *mat.Dense) float64 {
	c := n.OutputCost(n.forwardRows(xT, Training), y)
	n.Backward(y)
	return c
}

// Gradient runs a training forward pass and a backward pass on the batch
// (x, y), leaving ∂C/∂θ in every parameter's Grad, and returns the cost.
func (n *Network) Gradient(x, y *mat.Dense) float64 {
	c := n.OutputCost(n.Forward(x, Training), y)
	n.Backward(y)
	return c
}

// InputGradient runs a training forward pass and a backward pass on the
// batch (x, y), as Gradient does, and returns the gradient of the cost
// with respect to the input, ∂C/∂x (n_0 × m, shaped like x), and the
// cost. C is the mean cost over the m samples that Gradient returns, so
// for samples that do not interact (no batch normalization in training)
// column j of ∂C/∂x is 1/m times the gradient of sample j's own cost. It
// is the backpropagation of §3.1 carried one step further, to a^(0) = x:
// ∂C/∂x = (W^(1))ᵀ δ^(1) for a first Dense layer. Every parameter's Grad
// is left as Gradient leaves it. The result is a new matrix.
//
// For a derivation check, differentiate the Replay cost
// OutputCost(Forward(x, Replay), y) with respect to x numerically: it is
// the function this pass differentiates (the same dropout masks and batch
// statistics).
func (n *Network) InputGradient(x, y *mat.Dense) (dx *mat.Dense, cost float64) {
	cost = n.OutputCost(n.Forward(x, Training), y)
	n.inputGrad, n.dx = true, nil
	defer func() { n.inputGrad, n.dx = false, nil }()
	n.Backward(y)
	r, m := x.Dims()
	if n.dx == nil {
		panic(fmt.Sprintf("nn: Network.InputGradient: layer 1 (%v) returned no ∂C/∂input from Backward", n.Layers[0]))
	}
	if gr, gc := n.dx.Dims(); gr != r || gc != m {
		panic(shapeError(fmt.Sprintf("Network.InputGradient: ∂C/∂input of layer 1 (%v) vs input", n.Layers[0]), gr, gc, r, m))
	}
	dx = mat.NewDense(r, m, nil)
	dx.Scale(1/float64(m), n.dx)
	return dx, cost
}

// Loss returns the mean cost over the columns of (x, y) in inference mode.
func (n *Network) Loss(x, y *mat.Dense) float64 {
	return n.OutputCost(n.Forward(x, Inference), y)
}

// Params returns every trainable parameter, layer by layer.
func (n *Network) Params() []*Param {
	var ps []*Param
	for _, l := range n.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// NumParams returns the number of trainable scalars.
func (n *Network) NumParams() int {
	s := 0
	for _, p := range n.Params() {
		s += p.Len()
	}
	return s
}

// String lists the layers, such as "Dense(784→30, sigmoid) → Dense(30→10,
// sigmoid), cost quadratic".
func (n *Network) String() string {
	parts := make([]string, len(n.Layers))
	for i, l := range n.Layers {
		parts[i] = fmt.Sprint(l)
	}
	return strings.Join(parts, " → ") + ", cost " + n.Cost.String()
}

// evalChunk is the number of samples Evaluate runs at once.
const evalChunk = 1000

// Evaluate returns the mean cost over the dataset and, when it has labels,
// the fraction of samples whose arg-max output is the label (NaN without
// labels). It runs in inference mode, in chunks of samples.
func (n *Network) Evaluate(d *Dataset) (cost, accuracy float64) {
	total, correct := 0.0, 0
	n.eachChunk(d, func(start int, a, y *mat.Dense) {
		_, m := a.Dims()
		total += n.OutputCost(a, y) * float64(m)
		if d.Labels != nil {
			correct += countCorrect(a, d.Labels[start:start+m])
		}
	})
	N := float64(d.Len())
	if d.Labels == nil {
		return total / N, math.NaN()
	}
	return total / N, float64(correct) / N
}

// Predict returns the arg-max class of each sample's output.
func (n *Network) Predict(d *Dataset) []int {
	pred := make([]int, 0, d.Len())
	n.eachChunk(d, func(_ int, a, _ *mat.Dense) {
		pred = append(pred, ArgMax(nil, a)...)
	})
	return pred
}

// Confusion returns the k × k confusion matrix of a labelled dataset: entry
// (i, j) counts the samples of class i predicted as j.
func (n *Network) Confusion(d *Dataset) *mat.Dense {
	if d.Labels == nil {
		panic("nn: Network.Confusion: dataset has no labels")
	}
	k, _ := d.Y.Dims()
	c := mat.NewDense(k, k, nil)
	for i, p := range n.Predict(d) {
		c.Set(d.Labels[i], p, c.At(d.Labels[i], p)+1)
	}
	return c
}

// eachChunk runs inference on consecutive chunks of d and calls f with the
// index of the chunk's first sample, the outputs and the targets.
func (n *Network) eachChunk(d *Dataset, f func(start int, a, y *mat.Dense)) {
	if err := d.validateShape(); err != nil {
		panic(err.Error())
	}
	N := d.Len()
	rx, _ := d.X.Dims()
	ry, _ := d.Y.Dims()
	xT, _ := d.sampleRows()
	for start := 0; start < N; start += evalChunk {
		m := min(evalChunk, N-start)
		n.ys = reuse(n.ys, ry, m)
		n.ys.Copy(d.Y.Slice(0, ry, start, start+m))
		chunk := xT.Slice(start, start+m, 0, rx).(*mat.Dense)
		f(start, n.forwardRows(chunk, Inference), n.ys)
	}
}

// ArgMax sets dst[j] to the row of the largest entry in column j of a and
// returns dst (allocated when nil or of the wrong length).
func ArgMax(dst []int, a *mat.Dense) []int {
	_, c := a.Dims()
	if len(dst) != c {
		dst = make([]int, c)
	}
	for j := range c {
		dst[j] = argMaxOfColumn(a, j)
	}
	return dst
}

// argMaxOfColumn returns the row of the largest entry in column j of a
// (the first of equal ones; 0 when every entry is NaN).
func argMaxOfColumn(a *mat.Dense, j int) int {
	raw := a.RawMatrix()
	best, arg := math.Inf(-1), 0
	for i := range raw.Rows {
		if v := raw.Data[i*raw.Stride+j]; v > best {
			best, arg = v, i
		}
	}
	return arg
}

// countCorrect returns how many columns of a have their arg-max at the label.
func countCorrect(a *mat.Dense, labels []int) int {
	n := 0
	for j, label := range labels {
		if argMaxOfColumn(a, j) == label {
			n++
		}
	}
	return n
}
