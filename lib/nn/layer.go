package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// Mode tells a layer whether it runs for training or for inference. Layers
// such as dropout and batch normalization behave differently in the two.
type Mode int

const (
	// Inference is evaluation: no randomness, running statistics.
	Inference Mode = iota
	// Training is a forward pass that a backward pass will follow.
	Training
	// Replay is a Training pass that repeats the last one's randomness and
	// changes no state: dropout reuses the masks of the last Training pass
	// and batch normalization uses the statistics of the batch without
	// updating its running averages. Its cost, as a function of the
	// parameters, is the function whose gradient the last Training pass's
	// backward pass computes, so gradient checks (CheckGradients,
	// NumericGradients) differentiate it numerically. A layer that behaves
	// the same in all modes can ignore it; one that behaves differently in
	// training must treat Replay as Training without new draws or updates.
	Replay
)

// Layer is one stage of a network. Inputs and outputs hold one column per
// sample. A layer keeps what its backward pass needs from the last forward
// pass, and owns its output matrices: they are overwritten by the next call,
// so copy them to keep them.
type Layer interface {
	// Forward returns the layer's output for the batch x.
	Forward(x *mat.Dense, mode Mode) *mat.Dense
	// Backward takes ∂C/∂output for the batch of the last Forward, sets the
	// gradients of the layer's parameters (averaged over the batch) and
	// returns ∂C/∂input, one column per sample.
	Backward(dout *mat.Dense) *mat.Dense
	// Params returns the layer's trainable parameters (none for some).
	Params() []*Param
}

// ParamBackwarder is implemented by layers that can set their parameter
// gradients without computing ∂C/∂input. A network uses it for its first
// layer, whose input gradient nobody needs.
type ParamBackwarder interface {
	BackwardParams(dout *mat.Dense)
}

// Dense is a fully connected layer (§1.2): z = W a^(l−1) + b, a = σ(z),
// with W of shape n_out × n_in.
//
// Forward and Backward are the notes' formulas of §1.2 and §3.1 for a
// batch with one column per sample, one line each; the matrix products go
// to kernel.Products, which keeps the transposed copies its fast kernels
// need (see lib/nn/internal/kernel).
type Dense struct {
	W, B *Param
	Act  Activation

	// After Forward: X is the input a^(l−1) (not copied; nil when a
	// network fed the layer a training minibatch by rows, see
	// Network.forwardRows), Z the weighted input z^(l) and A the
	// activation a^(l). After Backward: Delta is the error
	// δ^(l) = ∂C/∂z^(l), one column per sample (not averaged).
	X, Z, A, Delta *mat.Dense

	dx   *mat.Dense      // ∂C/∂a^(l−1)
	prod kernel.Products // W a, δ aᵀ and Wᵀ δ
}

// rowsForwarder is implemented by layers that accept their input with one
// row per sample, the layout in which the training loop gathers
// minibatches from a data set's rows (Dataset.sampleRows). A network
// uses it for its first layer.
type rowsForwarder interface {
	// forwardRows is Forward for the input xᵀ, which the layer may read in
	// place: it must not change until Backward.
	forwardRows(xT *mat.Dense, mode Mode) *mat.Dense
}

// NewDense returns a layer with nIn inputs, nOut neurons and activation act
// (nil means Sigmoid), initialized by init with draws from rng.
func NewDense(nIn, nOut int, act Activation, init Init, rng *rand.Rand) *Dense {
	if nIn <= 0 || nOut <= 0 {
		panic(fmt.Sprintf("nn: NewDense: sizes must be positive, got %d inputs and %d outputs", nIn, nOut))
	}
	if act == nil {
		act = Sigmoid{}
	}
	d := &Dense{
		W:   newParam("W", Weight, nOut, nIn),
		B:   newParam("b", Bias, nOut, 1),
		Act: act,
	}
	init.Fill(d.W.Value, d.B.Value, rng)
	return d
}

// Dims returns the numbers of inputs and outputs.
func (d *Dense) Dims() (nIn, nOut int) {
	nOut, nIn = d.W.Value.Dims()
	return nIn, nOut
}

// Forward computes z = W a + b and a = σ(z) for the batch x = a^(l−1)
// (n_in × m, one column per sample).
func (d *Dense) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	nIn, _ := d.Dims()
	r, m := x.Dims()
	if r != nIn {
		panic(fmt.Sprintf("nn: Dense.Forward: input has %d rows, layer expects %d (one column per sample)", r, nIn))
	}
	d.X = x
	d.outputs(m)
	d.prod.Affine(d.Z, d.W.Value, x, d.B.Value) // z = W a + b
	apply(d.Act, d.A, d.Z)                      // a = σ(z)
	return d.A
}

// forwardRows is Forward for the input given as xᵀ (m × n_in, one row
// per sample), which the products read in place; X is nil afterwards.
func (d *Dense) forwardRows(xT *mat.Dense, mode Mode) *mat.Dense {
	nIn, _ := d.Dims()
	m, c := xT.Dims()
	if c != nIn {
		panic(fmt.Sprintf("nn: Dense.forwardRows: input has %d columns, layer expects %d (one row per sample)", c, nIn))
	}
	d.X = nil
	d.outputs(m)
	d.prod.AffineRows(d.Z, d.W.Value, xT, d.B.Value) // z = W a + b
	apply(d.Act, d.A, d.Z)                           // a = σ(z)
	return d.A
}

// outputs sizes Z and A for a batch of m samples.
func (d *Dense) outputs(m int) {
	_, nOut := d.Dims()
	d.Z = reuse(d.Z, nOut, m)
	d.A = reuse(d.A, nOut, m)
}

// Backward takes ∂C/∂a^(l), computes δ^(l) = ∂C/∂a ⊙ σ'(z) (through the
// activation's Backprop), the gradients ∂C/∂W = δ aᵀ/m and ∂C/∂b = mean of
// δ over the m samples, and returns ∂C/∂a^(l−1) = Wᵀ δ. In a network the
// layer below multiplies that by its own σ'(z^(l−1)), which makes the
// notes' δ^(l−1) = (W^(l))ᵀ δ^(l) ⊙ σ'(z^(l−1)).
func (d *Dense) Backward(dout *mat.Dense) *mat.Dense {
	d.BackwardParams(dout)
	return d.inputGrad()
}

// BackwardParams is Backward without the input gradient.
func (d *Dense) BackwardParams(dout *mat.Dense) {
	r, m := checkGrad("Dense.Backward", d.Z, dout)
	d.Delta = reuse(d.Delta, r, m)
	d.Act.Backprop(d.Delta, dout, d.Z, d.A) // δ = ∂C/∂a ⊙ σ'(z)
	d.paramGrads()
}

// Output returns the weighted input z, the activation a = σ(z) of the
// last Forward and σ (see OutputLayer).
func (d *Dense) Output() (z, a *mat.Dense, act Activation) { return d.Z, d.A, d.Act }

// BackwardDelta is Backward given δ = ∂C/∂z instead of ∂C/∂a: it copies
// delta into Delta, sets the gradients and returns ∂C/∂a^(l−1) = Wᵀ δ.
func (d *Dense) BackwardDelta(delta *mat.Dense) *mat.Dense {
	r, m := checkGrad("Dense.BackwardDelta", d.Z, delta)
	d.Delta = reuse(d.Delta, r, m)
	d.Delta.Copy(delta)
	d.paramGrads()
	return d.inputGrad()
}

// paramGrads sets ∂C/∂W = δ aᵀ and ∂C/∂b = δ, both averaged over the m
// samples of the batch (the notes' per-sample gradients, summed over the
// columns and divided by m).
func (d *Dense) paramGrads() {
	_, m := d.Delta.Dims()
	d.prod.Outer(d.W.Grad, 1/float64(m), d.Delta) // ∂C/∂W = δ aᵀ
	meanOfColumns(d.B.Grad, d.Delta)              // ∂C/∂b = δ
}

// meanOfColumns sets the column vector dst to the mean of the columns of
// m: entry i is the mean of row i.
func meanOfColumns(dst, m *mat.Dense) {
	_, c := m.Dims()
	inv := 1 / float64(c)
	for i := range dst.RawMatrix().Rows {
		s := 0.0
		for _, v := range m.RawRowView(i) {
			s += v
		}
		dst.Set(i, 0, s*inv)
	}
}

// inputGrad returns ∂C/∂a^(l−1) = Wᵀ δ.
func (d *Dense) inputGrad() *mat.Dense {
	nIn, _ := d.Dims()
	_, m := d.Delta.Dims()
	d.dx = reuse(d.dx, nIn, m)
	d.prod.MulT(d.dx, d.W.Value, d.Delta) // ∂C/∂a^(l−1) = Wᵀ δ
	return d.dx
}

// Params returns W and b.
func (d *Dense) Params() []*Param { return []*Param{d.W, d.B} }

func (d *Dense) String() string {
	nIn, nOut := d.Dims()
	return fmt.Sprintf("Dense(%d→%d, %v)", nIn, nOut, d.Act)
}

// reuse returns m if it is r × c and a new r × c matrix otherwise.
func reuse(m *mat.Dense, r, c int) *mat.Dense {
	if m != nil {
		if mr, mc := m.Dims(); mr == r && mc == c {
			return m
		}
	}
	return mat.NewDense(r, c, nil)
}
