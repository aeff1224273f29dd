package nn

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
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

// apply sets a = σ(z) with act.Apply. An element-wise activation (a Scalar)
// on a large matrix is applied to blocks of rows in parallel, as the
// matrix products are; others, such as Softmax, which needs whole columns,
// run as they are.
func apply(act Activation, a, z *mat.Dense) {
	r, c := z.Dims()
	// An exponential costs about as much as 16 multiply-adds. Below the
	// kernels' threshold the call stays on this goroutine, without the
	// closure and the row views that a split needs (and would allocate).
	work := 16 * r * c
	if _, ok := act.(Sigmoid); ok { // kernel.Sigmoid shares the work itself
		act.Apply(a, z)
		return
	}
	if _, ok := act.(Scalar); !ok || r < 2 || work < kernel.ParallelWork {
		act.Apply(a, z)
		return
	}
	kernel.Parallel(r, work, func(i0, i1 int) {
		act.Apply(a.Slice(i0, i1, 0, c).(*mat.Dense), z.Slice(i0, i1, 0, c).(*mat.Dense))
	})
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

// Apply sets a = σ(z), vectorized where the processor allows
// (internal/kernel.Sigmoid: within a few units in the last place of F).
func (s Sigmoid) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Sigmoid.Apply")
	kernel.Sigmoid(ad, zd)
}

// Backprop sets dz = da ⊙ σ'(z), computing σ' as a(1 − a).
func (Sigmoid) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, _, ad := backpropData(dz, da, z, a, "Sigmoid.Backprop")
	for i, g := range dad {
		v := ad[i]
		dzd[i] = g * v * (1 - v)
	}
}

func (Sigmoid) String() string { return "sigmoid" }

// Linear is the identity f(x) = x of Appendix B.1, with f'(x) = 1. It is
// the usual output activation for regression; in a hidden layer it makes
// the network collapse to a single affine map.
type Linear struct{}

// F returns x.
func (Linear) F(x float64) float64 { return x }

// Prime returns 1.
func (Linear) Prime(float64) float64 { return 1 }

// Apply sets a = z.
func (Linear) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Linear.Apply")
	copy(ad, zd)
}

// Backprop sets dz = da.
func (Linear) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, _, _ := backpropData(dz, da, z, a, "Linear.Backprop")
	copy(dzd, dad)
}

func (Linear) String() string { return "linear" }

// Step is the Heaviside function of Appendix B.1,
//
//	H(x) = 0 if x < 0,  H(x) = 1 if x ≥ 0.
//
// H'(x) = 0 for x ≠ 0 and H'(0) does not exist. Prime returns 0 everywhere,
// so backpropagation through a step gives no signal at all: dz = 0 whatever
// da is. This is why the notes call it unfit for backpropagation; it is here
// for plots and for the perceptron.
type Step struct{}

// F returns H(x).
func (Step) F(x float64) float64 {
	if x >= 0 {
		return 1
	}
	return 0
}

// Prime returns 0, also at x = 0 where H' does not exist.
func (Step) Prime(float64) float64 { return 0 }

// Apply sets a = H(z).
func (s Step) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Step.Apply")
	for i, v := range zd {
		ad[i] = s.F(v)
	}
}

// Backprop sets dz = 0.
func (Step) Backprop(dz, da, z, a *mat.Dense) {
	dzd, _, _, _ := backpropData(dz, da, z, a, "Step.Backprop")
	for i := range dzd {
		dzd[i] = 0
	}
}

func (Step) String() string { return "step" }

// Tanh is the hyperbolic tangent of Appendix B.1,
//
//	tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)),  tanh'(x) = 1 − tanh²(x).
//
// It is evaluated with math.Tanh, which does not overflow for large |x|
// (the quotient as written gives Inf/Inf = NaN for x > 710).
type Tanh struct{}

// F returns tanh(x).
func (Tanh) F(x float64) float64 { return math.Tanh(x) }

// Prime returns 1 − tanh²(x).
func (Tanh) Prime(x float64) float64 {
	t := math.Tanh(x)
	return 1 - t*t
}

// Apply sets a = tanh(z).
func (Tanh) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Tanh.Apply")
	for i, v := range zd {
		ad[i] = math.Tanh(v)
	}
}

// Backprop sets dz = da ⊙ (1 − a²).
func (Tanh) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, _, ad := backpropData(dz, da, z, a, "Tanh.Backprop")
	for i, g := range dad {
		v := ad[i]
		dzd[i] = g * (1 - v*v)
	}
}

func (Tanh) String() string { return "tanh" }

// ReLU is the rectified linear unit ReLU(x) = max(0, x) of Appendix B.1.
// Its derivative is 0 for x < 0 and 1 for x > 0; at the kink x = 0 it does
// not exist and Prime returns 0 (the usual choice, also PyTorch's), so a
// neuron with z = 0 passes no gradient.
type ReLU struct{}

// F returns max(0, x).
func (ReLU) F(x float64) float64 {
	if x > 0 {
		return x
	}
	return 0
}

// Prime returns 1 for x > 0 and 0 otherwise (also at x = 0).
func (ReLU) Prime(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// Apply sets a = max(0, z).
func (r ReLU) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "ReLU.Apply")
	for i, v := range zd {
		ad[i] = r.F(v)
	}
}

// Backprop sets dz = da where z > 0 and dz = 0 elsewhere.
func (ReLU) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, zd, _ := backpropData(dz, da, z, a, "ReLU.Backprop")
	for i, g := range dad {
		if zd[i] > 0 {
			dzd[i] = g
		} else {
			dzd[i] = 0
		}
	}
}

func (ReLU) String() string { return "relu" }

// DefaultPReLUSlope is the slope of the notes' leaky ReLU, a = 0.1:
// PReLU{A: DefaultPReLUSlope}.
const DefaultPReLUSlope = 0.1

// PReLU is the parametric ReLU of Appendix B.1 with a fixed slope a for
// negative inputs:
//
//	f(x) = x if x ≥ 0,  f(x) = a·x if x < 0;  f'(x) = 1 if x > 0, a if x < 0.
//
// For 0 ≤ a ≤ 1 this is the notes' max(ax, x). (For a > 1, max(ax, x) would
// be a different function, a·x for x > 0; PReLU keeps the piecewise form.)
// At the kink x = 0 Prime returns a, the left derivative.
//
// A means what it holds: the zero value, a = 0, is the ReLU; the notes'
// leaky ReLU is PReLU{A: DefaultPReLUSlope}.
type PReLU struct {
	// A is the slope a for x < 0.
	A float64
}

// Slope returns the slope a = A.
func (p PReLU) Slope() float64 { return p.A }

// F returns x for x ≥ 0 and a·x for x < 0.
func (p PReLU) F(x float64) float64 {
	if x >= 0 {
		return x
	}
	return p.Slope() * x
}

// Prime returns 1 for x > 0 and a for x ≤ 0.
func (p PReLU) Prime(x float64) float64 {
	if x > 0 {
		return 1
	}
	return p.Slope()
}

// Apply sets a = f(z).
func (p PReLU) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "PReLU.Apply")
	s := p.Slope()
	for i, v := range zd {
		if v >= 0 {
			ad[i] = v
		} else {
			ad[i] = s * v
		}
	}
}

// Backprop sets dz = da where z > 0 and dz = a·da elsewhere.
func (p PReLU) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, zd, _ := backpropData(dz, da, z, a, "PReLU.Backprop")
	s := p.Slope()
	for i, g := range dad {
		if zd[i] > 0 {
			dzd[i] = g
		} else {
			dzd[i] = s * g
		}
	}
}

// String returns "prelu(a=…)" with the effective slope.
func (p PReLU) String() string {
	return "prelu(a=" + strconv.FormatFloat(p.Slope(), 'g', -1, 64) + ")"
}

// Swish is Swish(x) = x·σ(x) of Appendix B.1, with σ the sigmoid and
//
//	Swish'(x) = σ(x) + x·σ(x)(1 − σ(x)).
//
// It tends to 0 as x → −∞ and grows like x as x → +∞; its minimum is about
// −0.278, at x ≈ −1.278.
type Swish struct{}

// F returns x·σ(x).
func (Swish) F(x float64) float64 { return x * Sigmoid{}.F(x) }

// Prime returns σ(x) + x·σ(x)(1 − σ(x)).
func (Swish) Prime(x float64) float64 {
	s := Sigmoid{}.F(x)
	return s + x*s*(1-s)
}

// Apply sets a = z ⊙ σ(z).
func (Swish) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Swish.Apply")
	for i, v := range zd {
		ad[i] = v * Sigmoid{}.F(v)
	}
}

// Backprop sets dz = da ⊙ Swish'(z), recomputing σ(z).
func (w Swish) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, zd, _ := backpropData(dz, da, z, a, "Swish.Backprop")
	for i, g := range dad {
		dzd[i] = g * w.Prime(zd[i])
	}
}

func (Swish) String() string { return "swish" }

// Softmax is the generalized softmax of Appendix B.1, applied to each
// column z of a batch:
//
//	f_c(z)_j = e^(c·z_j) / Σ_k e^(c·z_k),
//
// where c = 1/τ and τ is the temperature; c = 1 is the ordinary softmax.
// Each output column is a probability distribution (positive entries that
// sum to 1). A larger c (lower τ) sharpens it: as c → ∞ it tends to 1/m on
// each of the m entries that tie for the maximum and to 0 elsewhere. A
// smaller c flattens it towards the uniform 1/n. A negative c gives the
// softmin.
//
// Softmax is not element-wise (the notes call this non-locality), so it is
// an Activation but not a Scalar. Its Jacobian is
//
//	∂a_i/∂z_j = c·a_i(δ_ij − a_j),
//
// and Backprop multiplies each column of ∂C/∂a by it.
//
// The zero value Softmax{} is the ordinary softmax, c = 1; NewSoftmax gives
// any other c, zero included (f_0 is the uniform distribution 1/n).
type Softmax struct {
	c    float64 // the factor c = 1/τ, when set
	cSet bool    // whether c was set by NewSoftmax
}

// NewSoftmax returns the generalized softmax f_c with factor c = 1/τ
// (c = 0 included). It panics if c is NaN or infinite.
func NewSoftmax(c float64) Softmax {
	if math.IsNaN(c) || math.IsInf(c, 0) {
		panic(fmt.Sprintf("nn: NewSoftmax: c must be finite, got %v", c))
	}
	return Softmax{c: c, cSet: true}
}

// Sharpness returns the factor c: 1 for Softmax{}, the c given to
// NewSoftmax otherwise. The temperature is τ = 1/c.
func (s Softmax) Sharpness() float64 {
	if !s.cSet {
		return 1
	}
	return s.c
}

// F stores f_c(z) in dst and returns dst, for one vector z. If dst is nil a
// new slice is allocated; otherwise it must have the length of z and may be z.
//
// It subtracts the maximum of c·z before exponentiating, computed as
// c·(z_j − z_max), so no exponential overflows even when c·z does: the
// result has no NaN for finite z and any finite c.
func (s Softmax) F(dst, z []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(z))
	}
	if len(dst) != len(z) {
		panic("nn: Softmax.F: len(dst) != len(z)")
	}
	softmaxInto(dst, z, 0, 1, len(z), s.Sharpness())
	return dst
}

// softmaxInto sets a[off+i·stride] = f_c(z)_i for i < n, reading z with the
// same offset and stride. a may be z.
func softmaxInto(a, z []float64, off, stride, n int, c float64) {
	if n == 0 {
		return
	}
	// The reference entry maximizes c·z: the largest z for c > 0, the
	// smallest for c < 0.
	ref := z[off]
	for i := 1; i < n; i++ {
		v := z[off+i*stride]
		if (c > 0 && v > ref) || (c < 0 && v < ref) {
			ref = v
		}
	}
	sum := 0.0
	for i := range n {
		k := off + i*stride
		e := math.Exp(c * (z[k] - ref)) // exponent ≤ 0; exactly 0 at ref
		a[k] = e
		sum += e
	}
	// sum ≥ 1 because the reference entry contributes e^0 = 1.
	for i := range n {
		a[off+i*stride] /= sum
	}
}

// Apply sets each column of a to f_c of the same column of z.
func (s Softmax) Apply(a, z *mat.Dense) {
	ad, zd := rawSame(a, z, "Softmax.Apply")
	r, m := z.Dims()
	c := s.Sharpness()
	for j := range m {
		softmaxInto(ad, zd, j, m, r, c)
	}
}

// Backprop sets, for each column, dz = Jᵀ da with J the Jacobian of f_c:
//
//	dz_i = c·a_i (da_i − Σ_j a_j da_j).
//
// It uses a and not z. dz may be da.
func (s Softmax) Backprop(dz, da, z, a *mat.Dense) {
	dzd, dad, _, ad := backpropData(dz, da, z, a, "Softmax.Backprop")
	r, m := a.Dims()
	c := s.Sharpness()
	for j := range m {
		dot := 0.0
		for i := range r {
			k := i*m + j
			dot += ad[k] * dad[k]
		}
		for i := range r {
			k := i*m + j
			dzd[k] = c * ad[k] * (dad[k] - dot)
		}
	}
}

// Jacobian stores in dst the n×n Jacobian J_ij = ∂a_i/∂z_j = c·a_i(δ_ij − a_j)
// of a = f_c(z) for one vector z of length n, and returns dst. If dst is nil
// a new matrix is allocated; otherwise it must be n×n. J is symmetric.
func (s Softmax) Jacobian(dst *mat.Dense, z []float64) *mat.Dense {
	n := len(z)
	if n == 0 {
		panic("nn: Softmax.Jacobian: empty z")
	}
	if dst == nil {
		dst = mat.NewDense(n, n, nil)
	} else if r, c := dst.Dims(); r != n || c != n {
		panic(shapeError("Softmax.Jacobian", r, c, n, n))
	}
	a := s.F(nil, z)
	c := s.Sharpness()
	for i := range n {
		for j := range n {
			v := -c * a[i] * a[j]
			if i == j {
				v += c * a[i]
			}
			dst.Set(i, j, v)
		}
	}
	return dst
}

// String returns "softmax", or "softmax(c=…)" when c ≠ 1.
func (s Softmax) String() string {
	c := s.Sharpness()
	if c == 1 {
		return "softmax"
	}
	return "softmax(c=" + strconv.FormatFloat(c, 'g', -1, 64) + ")"
}

// backpropData returns the backing slices of the four matrices of
// Activation.Backprop after checking that they have one shape and are
// contiguous; who names the caller in the panic otherwise.
func backpropData(dz, da, z, a *mat.Dense, who string) (dzd, dad, zd, ad []float64) {
	dzd, dad = rawSame(dz, da, who)
	_, zd = rawSame(dz, z, who)
	_, ad = rawSame(dz, a, who)
	return dzd, dad, zd, ad
}

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
