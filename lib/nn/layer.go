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
type Dense struct {
	W, B *Param
	Act  Activation

	// After Forward: X is the input a^(l−1) (not copied; nil after
	// ForwardRows), Z the weighted
	// input z^(l) and A the activation a^(l). After Backward: Delta is the
	// error δ^(l) = ∂C/∂z^(l), one column per sample (not averaged).
	X, Z, A, Delta *mat.Dense

	dx, deltaT, dxT *mat.Dense
	// xT is the input with one row per sample: own (a transposed copy made
	// by Forward) or borrowed from ForwardRows. Products with it read
	// contiguous rows of length n_in, which is several times faster than
	// strided columns for small minibatches.
	xT, ownXT *mat.Dense
}

// RowsForwarder is implemented by layers that accept their input with one
// row per sample, the layout in which a training loop gathers minibatches
// from memory. Networks use it for their first layer.
type RowsForwarder interface {
	// ForwardRows is Forward for the input xᵀ.
	ForwardRows(xT *mat.Dense, mode Mode) *mat.Dense
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

// Forward computes z = W x + b and a = σ(z).
func (d *Dense) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	nIn, _ := d.Dims()
	r, m := x.Dims()
	if r != nIn {
		panic(fmt.Sprintf("nn: Dense.Forward: input has %d rows, layer expects %d (one column per sample)", r, nIn))
	}
	d.X = x
	d.ownXT = reuse(d.ownXT, m, nIn)
	transpose(d.ownXT, x)
	return d.forward(d.ownXT)
}

// ForwardRows is Forward for an input given with one row per sample
// (m × n_in). It does not copy xT, which must stay unchanged until
// Backward; X is nil afterwards.
func (d *Dense) ForwardRows(xT *mat.Dense, mode Mode) *mat.Dense {
	nIn, _ := d.Dims()
	if _, c := xT.Dims(); c != nIn {
		panic(fmt.Sprintf("nn: Dense.ForwardRows: input has %d columns, layer expects %d (one row per sample)", c, nIn))
	}
	d.X = nil
	return d.forward(xT)
}

// forward computes z = W x + b and a = σ(z) from xT.
func (d *Dense) forward(xT *mat.Dense) *mat.Dense {
	_, nOut := d.Dims()
	m, _ := xT.Dims()
	d.xT = xT
	d.Z = reuse(d.Z, nOut, m)
	// z = b + W x: the biases first, then the product added to them.
	zd := d.Z.RawMatrix().Data
	for i, b := range d.B.Value.RawMatrix().Data {
		kernel.Fill(zd[i*m:(i+1)*m], b)
	}
	mulABTAdd(d.Z, d.W.Value, xT)
	d.A = reuse(d.A, nOut, m)
	apply(d.Act, d.A, d.Z)
	return d.A
}

// Backward takes ∂C/∂a^(l), computes δ^(l) = ∂C/∂a ⊙ σ'(z) (through the
// activation's Backprop), the gradients ∂C/∂W = δ aᵀ/m and ∂C/∂b = mean of
// δ over the m samples, and returns ∂C/∂a^(l−1) = Wᵀ δ.
func (d *Dense) Backward(dout *mat.Dense) *mat.Dense {
	d.BackwardParams(dout)
	return d.inputGrad()
}

// BackwardParams is Backward without the input gradient.
func (d *Dense) BackwardParams(dout *mat.Dense) {
	d.checkBackward(dout, "Dense.Backward")
	r, m := d.Z.Dims()
	d.Delta = reuse(d.Delta, r, m)
	d.Act.Backprop(d.Delta, dout, d.Z, d.A)
	d.paramGrads()
}

// Output returns the weighted input z, the activation a = σ(z) of the
// last Forward and σ (see OutputLayer).
func (d *Dense) Output() (z, a *mat.Dense, act Activation) { return d.Z, d.A, d.Act }

// BackwardDelta is Backward given δ = ∂C/∂z instead of ∂C/∂a: it copies
// delta into Delta, sets the gradients and returns ∂C/∂a^(l−1) = Wᵀ δ.
func (d *Dense) BackwardDelta(delta *mat.Dense) *mat.Dense {
	d.checkBackward(delta, "Dense.BackwardDelta")
	r, m := d.Z.Dims()
	d.Delta = reuse(d.Delta, r, m)
	d.Delta.Copy(delta)
	d.paramGrads()
	return d.inputGrad()
}

func (d *Dense) checkBackward(g *mat.Dense, who string) {
	if d.Z == nil {
		panic("nn: " + who + " before Forward")
	}
	zr, zc := d.Z.Dims()
	gr, gc := g.Dims()
	if zr != gr || zc != gc {
		panic(shapeError(who+": gradient vs layer output", gr, gc, zr, zc))
	}
}

// paramGrads sets ∂C/∂W = δ xᵀ / m and ∂C/∂b = row means of δ.
func (d *Dense) paramGrads() {
	_, m := d.Delta.Dims()
	inv := 1 / float64(m)
	// ∂C/∂W = (1/m) δ xᵀ in one BLAS call: the factor 1/m rides along as
	// alpha, and beta = 0 overwrites the old gradient without clearing it.
	mulAB(d.W.Grad, d.Delta, d.xT, inv)
	dd := d.Delta.RawMatrix().Data
	db := d.B.Grad.RawMatrix().Data
	for i := range db {
		s := 0.0
		for _, v := range dd[i*m : (i+1)*m] {
			s += v
		}
		db[i] = s * inv
	}
}

func (d *Dense) inputGrad() *mat.Dense {
	nIn, _ := d.Dims()
	_, m := d.Delta.Dims()
	// ∂C/∂a^(l−1) = Wᵀ δ, computed as its transpose δᵀ W: row j of δᵀ W
	// is a sum of rows of W, which reads W contiguously.
	_, nOut := d.Dims()
	d.deltaT = reuse(d.deltaT, m, nOut)
	transpose(d.deltaT, d.Delta)
	d.dxT = reuse(d.dxT, m, nIn)
	mulAB(d.dxT, d.deltaT, d.W.Value, 1)
	d.dx = reuse(d.dx, nIn, m)
	transpose(d.dx, d.dxT)
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

// transpose sets dst = srcᵀ (kernel.Transpose: tiled, and shared between
// the cores when large).
func transpose(dst, src *mat.Dense) {
	s, d := src.RawMatrix(), dst.RawMatrix()
	if d.Rows != s.Cols || d.Cols != s.Rows {
		panic(shapeError("transpose", s.Rows, s.Cols, d.Cols, d.Rows))
	}
	kernel.Transpose(d.Data, d.Stride, s.Data, s.Stride, s.Rows, s.Cols)
}
