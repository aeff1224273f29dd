package nn

import "gonum.org/v1/gonum/mat"

// ParamKind tells weights from biases and from the scales γ of batch
// normalization. Regularizers (§4.1) act on weights only, so every
// parameter says which kind it is.
type ParamKind int

const (
	// Weight marks a weight matrix W^(l).
	Weight ParamKind = iota
	// Bias marks a bias vector b^(l), or the shift β^(l) of batch
	// normalization.
	Bias
	// Scale marks the scale γ^(l) of batch normalization (§4.2), which
	// regularizers leave alone like the biases.
	Scale
)

func (k ParamKind) String() string {
	switch k {
	case Weight:
		return "weight"
	case Bias:
		return "bias"
	case Scale:
		return "scale"
	}
	return "unknown"
}

// Param is one trainable tensor of a network with its gradient. The list of
// a network's Params is the single view of θ that optimizers, derivation
// checks and saving share.
type Param struct {
	// Name identifies the parameter, such as "W1" or "b2" (layers counted
	// from 1, as in the notes).
	Name string
	Kind ParamKind
	// Value holds the parameter; Grad holds ∂C/∂Value averaged over the
	// last minibatch, with the same shape.
	Value, Grad *mat.Dense
}

// newParam returns a parameter of the given shape with a zero gradient.
func newParam(name string, kind ParamKind, r, c int) *Param {
	return &Param{Name: name, Kind: kind, Value: mat.NewDense(r, c, nil), Grad: mat.NewDense(r, c, nil)}
}

// Len returns the number of scalars in p.
func (p *Param) Len() int {
	r, c := p.Value.Dims()
	return r * c
}
