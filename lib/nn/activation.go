package nn

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Activation is the function σ of a layer (§1.1, Appendix B.1), applied to
// a batch of weighted inputs z, one column per sample.
//
// Most activations act element by element; softmax does not (its output
// for one neuron depends on the whole column), which is why backpropagation
// goes through Backprop instead of a bare σ'.
type Activation interface {
	// Apply sets a = σ(z). a and z have the same shape; a may be z.
	Apply(a, z *mat.Dense)
	// Backprop sets dz = ∂C/∂z from da = ∂C/∂a, given z and a = σ(z).
	// For an element-wise σ it computes da ⊙ σ'(z); for softmax it
	// multiplies each column of da by the transposed Jacobian of σ.
	// dz may be da.
	Backprop(dz, da, z, a *mat.Dense)
	// String returns the name used in plots and tables, such as "sigmoid".
	String() string
}

// Scalar is an element-wise activation: σ and σ' as functions of one
// number, for plots and derivative checks.
type Scalar interface {
	Activation
	// F returns σ(x).
	F(x float64) float64
	// Prime returns σ'(x).
	Prime(x float64) float64
}

// Sigmoid is the logistic function σ(z) = 1 / (1 + e^(−z)) of §1.1 and
// Appendix B.1, with σ'(z) = σ(z)(1 − σ(z)).
type Sigmoid struct{}

// F returns σ(x). It is evaluated in a form that never overflows: for
// negative x it uses e^x / (1 + e^x), so F(−1000) is 0 rather than NaN.
func (Sigmoid) F(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Prime returns σ'(x) = σ(x)(1 − σ(x)).
func (s Sigmoid) Prime(x float64) float64 {
	v := s.F(x)
	return v * (1 - v)
}

// Apply sets a = σ(z).
func (s Sigmoid) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Sigmoid.Apply")
	for i, v := range zd {
		ad[i] = s.F(v)
	}
}

// Backprop sets dz = da ⊙ σ'(z), computing σ' as a(1 − a).
func (Sigmoid) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad := rawSame(dz, da, "Sigmoid.Backprop")
	_, ad := rawSame(dz, a, "Sigmoid.Backprop")
	for i, g := range dad {
		v := ad[i]
		dzd[i] = g * v * (1 - v)
	}
}

func (Sigmoid) String() string { return "sigmoid" }

// rawSame returns the backing slices of two matrices after checking that
// they have the same shape and are contiguous (not views with a stride).
// It panics with an "nn: " message naming the caller otherwise.
func rawSame(a, b *mat.Dense, who string) ([]float64, []float64) {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if ar != br || ac != bc {
		panic(shapeError(who, ar, ac, br, bc))
	}
	return contiguous(a, who), contiguous(b, who)
}

// contiguous returns m's data as one slice of length rows×cols.
func contiguous(m *mat.Dense, who string) []float64 {
	raw := m.RawMatrix()
	if raw.Stride != raw.Cols && raw.Rows > 1 {
		panic("nn: " + who + ": matrix view with a stride is not supported; copy it with mat.DenseCopyOf")
	}
	return raw.Data[:raw.Rows*raw.Cols]
}
