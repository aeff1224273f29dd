package nn

import (
	"math"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Cost is a cost function C of Appendix B.2. It is defined for one sample
// (one column of a, the network's output a^(L), against the target ŷ); the
// cost of a batch is the mean over its columns.
type Cost interface {
	// Value returns the mean over columns of the per-sample cost C_x(a, y).
	Value(a, y *mat.Dense) float64
	// Grad sets da to ∂C_x/∂a, column by column: the gradient of each
	// sample's own cost, not divided by the number of samples.
	Grad(da, a, y *mat.Dense)
	// String returns the name used in plots and tables, such as "quadratic".
	String() string
}

// DeltaCost is a Cost with a simplified output error δ^(L) = ∂C/∂z^(L) for
// some output activations, such as δ^(L) = a − ŷ for cross-entropy after
// softmax. The simplified form is cheaper and, unlike Grad followed by the
// activation's Backprop, never divides by a^(L) or clamps it at
// CostEpsilon, so it is exact where a rounds to 0 or 1. A Network uses it
// whatever layer ends it, as long as that layer is an OutputLayer.
type DeltaCost interface {
	Cost
	// Delta sets dz = δ^(L) per sample and reports true when the cost has a
	// simplified form for act; otherwise it leaves dz alone and reports
	// false, and the network uses Grad and act.Backprop. z is the weighted
	// input and a = act(z); implementations may read either.
	Delta(dz, z, a, y *mat.Dense, act Activation) bool
}

// LogitCost is a DeltaCost that can compute its value from the weighted
// input z^(L) for some output activations, in a form that does not go
// through ln a: for softmax, ln a_i = c z_i − ln Σ_k e^(c z_k) (log-sum-exp,
// with the largest term factored out); for the sigmoid, ln σ(z) = −s(−z)
// and ln(1 − σ(z)) = −s(z) with the softplus s(x) = ln(1 + e^x). ln a with
// a clamped at CostEpsilon saturates near −ln ε ≈ 27.6 as soon as a rounds
// to 0; these forms stay exact for every finite z. Network uses them for
// the cost of its last layer (Network.OutputCost).
type LogitCost interface {
	DeltaCost
	// ValueFromZ returns the mean over columns of the per-sample cost,
	// computed from z for the output a = act(z), and true when the cost has
	// such a form for act; otherwise it returns 0 and false.
	ValueFromZ(z, a, y *mat.Dense, act Activation) (float64, bool)
}

// CostEpsilon is the ε that keeps the logarithms and divisions of the
// probability costs finite: where a cost takes ln a or divides by a, it uses
// max(a, ε) (and min(a, 1−ε) for 1 − a). With ε = 1e-12, −ln ε ≈ 27.6 is the
// largest a single term can get, so an output of exactly 0 or 1 gives a large
// but finite cost instead of +Inf or NaN. Inputs inside [ε, 1−ε] are not
// changed, so for them Value and Grad are the exact formulas. A Network
// whose output activation is softmax or sigmoid does not meet the clamp:
// it computes δ^(L) with Delta and the cost with ValueFromZ (LogitCost),
// from z^(L).
const CostEpsilon = 1e-12

// costRaw checks that a and y have the same shape and returns their data.
func costRaw(a, y *mat.Dense, who string) (ad, yd []float64, cols int) {
	ad, yd = rawSame(a, y, who)
	_, cols = a.Dims()
	return ad, yd, cols
}

// costGradRaw checks da, a and y for Grad and returns their data.
func costGradRaw(da, a, y *mat.Dense, who string) (dad, ad, yd []float64) {
	dad, ad = rawSame(da, a, who)
	_, yd = rawSame(da, y, who)
	return dad, ad, yd
}

// atLeastEps returns max(v, CostEpsilon).
func atLeastEps(v float64) float64 { return math.Max(v, CostEpsilon) }

// Quadratic is the quadratic cost (MSE) of §1.3 and Appendix B.2.1 for one
// sample,
//
//	C_x = ½ ‖a − ŷ‖₂² = ½ Σ_j (a_j − ŷ_j)²,  ∂C_x/∂a = a − ŷ.
//
// As in the notes it drops the 1/n_L of the mean squared error and adds the ½.
type Quadratic struct{}

// Value returns the mean over columns of ½ ‖a − ŷ‖².
func (Quadratic) Value(a, y *mat.Dense) float64 {
	ad, yd, m := costRaw(a, y, "Quadratic.Value")
	s := 0.0
	for i, v := range ad {
		d := v - yd[i]
		s += d * d
	}
	return 0.5 * s / float64(m)
}

// Grad sets da = a − ŷ.
func (Quadratic) Grad(da, a, y *mat.Dense) {
	dad, ad, yd := costGradRaw(da, a, y, "Quadratic.Grad")
	for i, v := range ad {
		dad[i] = v - yd[i]
	}
}

// Delta sets dz = a − ŷ when act is Linear, where ∂C/∂z = ∂C/∂a.
func (q Quadratic) Delta(dz, z, a, y *mat.Dense, act Activation) bool {
	switch act.(type) {
	case Linear, *Linear:
		q.Grad(dz, a, y)
		return true
	}
	return false
}

func (Quadratic) String() string { return "quadratic" }

// MAE is the absolute-error cost of Appendix B.2.1 for one sample,
//
//	C_x = ‖a − ŷ‖₁ = Σ_j |a_j − ŷ_j|,  ∂C_x/∂a = sgn(a − ŷ),
//
// without the 1/n_L of the mean absolute error, as in the notes. |·| has no
// derivative at 0; Grad uses sgn(0) = 0, so an exact output gets no push.
type MAE struct{}

// Value returns the mean over columns of ‖a − ŷ‖₁.
func (MAE) Value(a, y *mat.Dense) float64 {
	ad, yd, m := costRaw(a, y, "MAE.Value")
	s := 0.0
	for i, v := range ad {
		s += math.Abs(v - yd[i])
	}
	return s / float64(m)
}

// Grad sets da = sgn(a − ŷ), with sgn(0) = 0.
func (MAE) Grad(da, a, y *mat.Dense) {
	dad, ad, yd := costGradRaw(da, a, y, "MAE.Grad")
	for i, v := range ad {
		dad[i] = sign(v - yd[i])
	}
}

func (MAE) String() string { return "mae" }

// sign returns −1, 0 or 1 as x is negative, zero or positive (the sign
// used by MAE, Huber and the L1 and Lm regularizers).
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Huber is the Huber loss of Appendix B.2.1, summed over the output neurons:
// with r_j = a_j − ŷ_j,
//
//	L_δ(r) = ½ r²            if |r| ≤ δ,
//	L_δ(r) = δ (|r| − ½ δ)   otherwise,
//
// and ∂L_δ/∂a_j = r_j if |r_j| ≤ δ and δ·sgn(r_j) otherwise. It is quadratic
// like Quadratic near the target and linear like MAE beyond δ, and both it
// and its derivative are continuous at |r| = δ.
//
// The zero value uses δ = 1.
type Huber struct {
	// Delta is the threshold δ > 0 between the quadratic and the linear
	// part. Zero means 1.
	Delta float64
}

// Threshold returns the effective δ: Delta, or 1 if Delta is zero. It
// panics if Delta is negative.
func (h Huber) Threshold() float64 {
	switch {
	case h.Delta == 0:
		return 1
	case h.Delta < 0 || math.IsNaN(h.Delta):
		panic("nn: Huber: Delta must be positive")
	}
	return h.Delta
}

// Value returns the mean over columns of Σ_j L_δ(a_j − ŷ_j).
func (h Huber) Value(a, y *mat.Dense) float64 {
	ad, yd, m := costRaw(a, y, "Huber.Value")
	d := h.Threshold()
	s := 0.0
	for i, v := range ad {
		r := math.Abs(v - yd[i])
		if r <= d {
			s += 0.5 * r * r
		} else {
			s += d * (r - 0.5*d)
		}
	}
	return s / float64(m)
}

// Grad sets da_j = r_j if |r_j| ≤ δ and δ·sgn(r_j) otherwise, r = a − ŷ.
func (h Huber) Grad(da, a, y *mat.Dense) {
	dad, ad, yd := costGradRaw(da, a, y, "Huber.Grad")
	d := h.Threshold()
	for i, v := range ad {
		r := v - yd[i]
		if math.Abs(r) <= d {
			dad[i] = r
		} else {
			dad[i] = d * sign(r)
		}
	}
}

// String returns "huber(δ=…)" with the effective δ.
func (h Huber) String() string {
	return "huber(δ=" + strconv.FormatFloat(h.Threshold(), 'g', -1, 64) + ")"
}

// KL is the Kullback–Leibler divergence of Appendix B.2.2 as a cost,
//
//	C_x = D_KL(ŷ ‖ a) = Σ_j ŷ_j ln(ŷ_j / a_j),  ∂C_x/∂a = −ŷ / a,
//
// with 0·ln 0 = 0: neurons with ŷ_j = 0 add nothing. a and ŷ should be
// probability distributions (each column non-negative and summing to 1); a
// is read as max(a, CostEpsilon) so a = 0 gives a finite cost. KL differs
// from CrossEntropy by the entropy of ŷ, a constant, so both have the same
// gradient; KL is 0 exactly when a = ŷ.
type KL struct{}

// Value returns the mean over columns of D_KL(ŷ ‖ a).
func (KL) Value(a, y *mat.Dense) float64 { return logProbValue(a, y, "KL.Value", klTerm) }

// Grad sets da = −ŷ / max(a, ε).
func (KL) Grad(da, a, y *mat.Dense) { crossEntropyGrad(da, a, y, "KL.Grad") }

// Delta sets dz = δ^(L) for Softmax and Sigmoid outputs, as
// CrossEntropy.Delta does (the gradients are the same).
func (KL) Delta(dz, z, a, y *mat.Dense, act Activation) bool {
	return crossEntropyDelta(dz, z, a, y, act, "KL.Delta")
}

// ValueFromZ returns the mean over columns of Σ_j ŷ_j (ln ŷ_j − ln a_j)
// with ln a from z (see LogitCost), for Softmax and Sigmoid outputs.
func (KL) ValueFromZ(z, a, y *mat.Dense, act Activation) (float64, bool) {
	return logProbCost(z, y, act, "KL.ValueFromZ", klTerm)
}

// klTerm is the term ŷ_j (ln ŷ_j − ln a_j) of D_KL(ŷ ‖ a), for ŷ_j ≠ 0.
func klTerm(p, logA float64) float64 { return p * (math.Log(p) - logA) }

func (KL) String() string { return "kl" }

// CrossEntropy is the cross-entropy cost of Appendix B.2.2,
//
//	C_x = H(ŷ, a) = −Σ_j ŷ_j ln a_j,  ∂C_x/∂a = −ŷ / a,
//
// meant for a softmax output layer and a target distribution ŷ (often
// one-hot). a is read as max(a, CostEpsilon), so a = 0 gives a finite cost.
// For per-neuron sigmoid outputs see BinaryCrossEntropy.
//
// Delta gives the simplified output error:
//
//	NewSoftmax(c): δ^(L) = c (a − ŷ)  (for columns of ŷ that sum to 1),
//	Sigmoid:    δ^(L) = −ŷ ⊙ (1 − a).
type CrossEntropy struct{}

// Value returns the mean over columns of −Σ_j ŷ_j ln a_j.
func (CrossEntropy) Value(a, y *mat.Dense) float64 {
	return logProbValue(a, y, "CrossEntropy.Value", crossEntropyTerm)
}

// Grad sets da = −ŷ / max(a, ε).
func (CrossEntropy) Grad(da, a, y *mat.Dense) { crossEntropyGrad(da, a, y, "CrossEntropy.Grad") }

// Delta sets dz = δ^(L) and reports true when act is Softmax or Sigmoid.
//
// For Softmax with factor c, Backprop of −ŷ/a gives, per column,
// δ_i = c·a_i(−ŷ_i/a_i + Σ_j ŷ_j) = c (a_i Σ_j ŷ_j − ŷ_i); Delta computes
// this, which is c (a − ŷ) when the column of ŷ sums to 1, as a target
// distribution does. For Sigmoid, δ = −ŷ/a ⊙ a(1 − a) = −ŷ ⊙ (1 − a).
// Neither divides by a. Where a is within 1e-6 of 1, so that 1 − a
// computed from the rounded a would lose its accuracy, both take 1 − a
// from z (1 − σ(z) = σ(−z), and 1 − a_i of softmax as the sum of the other
// entries over their total), so they stay exact where a rounds to 0 or 1.
func (CrossEntropy) Delta(dz, z, a, y *mat.Dense, act Activation) bool {
	return crossEntropyDelta(dz, z, a, y, act, "CrossEntropy.Delta")
}

// ValueFromZ returns the mean over columns of −Σ_j ŷ_j ln a_j with ln a
// from z (see LogitCost), for Softmax and Sigmoid outputs.
func (CrossEntropy) ValueFromZ(z, a, y *mat.Dense, act Activation) (float64, bool) {
	return logProbCost(z, y, act, "CrossEntropy.ValueFromZ", crossEntropyTerm)
}

// crossEntropyTerm is the term −ŷ_j ln a_j of H(ŷ, a).
func crossEntropyTerm(p, logA float64) float64 { return -p * logA }

func (CrossEntropy) String() string { return "cross-entropy" }

func crossEntropyGrad(da, a, y *mat.Dense, who string) {
	dad, ad, yd := costGradRaw(da, a, y, who)
	for i, p := range yd {
		if p == 0 {
			dad[i] = 0 // not −0, which prints as "-0.0000"
			continue
		}
		dad[i] = -p / atLeastEps(ad[i])
	}
}

// nearOne is the distance from 1 below which 1 − a, computed from a
// rounded output a, has lost more than 1e-10 of its relative accuracy
// (the rounding of a is about 1.1e-16). There the output errors take
// 1 − a from z instead; elsewhere they use a as the layer computed it.
const nearOne = 1e-6

// oneMinusSigmoid returns 1 − a for a = σ(z): 1 − a, or σ(−z) where a is
// within nearOne of 1.
func oneMinusSigmoid(a, z float64) float64 {
	if q := 1 - a; q >= nearOne {
		return q
	}
	return Sigmoid{}.F(-z)
}

func crossEntropyDelta(dz, z, a, y *mat.Dense, act Activation, who string) bool {
	switch s := act.(type) {
	case Softmax:
		softmaxCrossEntropyDelta(dz, z, a, y, s.Sharpness(), who)
	case *Softmax:
		softmaxCrossEntropyDelta(dz, z, a, y, s.Sharpness(), who)
	case Sigmoid, *Sigmoid:
		dzd, ad, yd := costGradRaw(dz, a, y, who)
		_, zd := rawSame(dz, z, who)
		for i, p := range yd {
			dzd[i] = -p * oneMinusSigmoid(ad[i], zd[i])
		}
	default:
		return false
	}
	return true
}

// softmaxCrossEntropyDelta sets dz_i = c (a_i Σ_j ŷ_j − ŷ_i) per column.
// Where a_i is within nearOne of 1 and ŷ_i ≠ 0 the difference would
// cancel, and it computes c (a_i Σ_{j≠i} ŷ_j − ŷ_i (1 − a_i)) with 1 − a_i
// from z (softmaxColumn) instead.
func softmaxCrossEntropyDelta(dz, z, a, y *mat.Dense, c float64, who string) {
	dzd, ad, yd := costGradRaw(dz, a, y, who)
	_, zd := rawSame(dz, z, who)
	r, m := a.Dims()
	sc := softmaxColumns.Get().(*softmaxColumn)
	defer softmaxColumns.Put(sc)
	for j := range m {
		sum := 0.0
		for i := range r {
			sum += yd[i*m+j]
		}
		loaded := false
		for i := range r {
			k := i*m + j
			p := yd[k]
			if p == 0 || 1-ad[k] >= nearOne {
				dzd[k] = c * (ad[k]*sum - p)
				continue
			}
			if !loaded {
				sc.set(zd, j, m, r, c)
				loaded = true
			}
			dzd[k] = c * (ad[k]*(sum-p) - p*sc.oneMinusA(i))
		}
	}
}

// softmaxColumn holds, for one column z of length n, the terms of
// f_c(z) = e / S with e_i = e^(c (z_i − z_ref)) ≤ 1, z_ref the entry
// that maximizes c·z (as softmaxInto), and S = Σ e ≥ 1. From them it gives
// a_i, ln a_i and 1 − a_i without cancellation.
type softmaxColumn struct {
	z    []float64 // the column's entries
	e    []float64
	c    float64
	ref  int
	rest float64 // S − 1 = Σ_{k≠ref} e_k
}

// softmaxColumns keeps the scratch of softmaxColumn between calls, so that
// the cost of a minibatch allocates nothing.
var softmaxColumns = sync.Pool{New: func() any { return new(softmaxColumn) }}

// set loads column j of an n-row matrix stored with stride m in zd.
func (s *softmaxColumn) set(zd []float64, j, m, n int, c float64) {
	s.c = c
	s.z = grow(s.z, n)
	s.e = grow(s.e, n)
	s.ref = 0
	for i := range n {
		s.z[i] = zd[i*m+j]
		if v, r := s.z[i], s.z[s.ref]; (c > 0 && v > r) || (c < 0 && v < r) {
			s.ref = i
		}
	}
	s.rest = 0
	for i := range n {
		s.e[i] = math.Exp(c * (s.z[i] - s.z[s.ref]))
		if i != s.ref {
			s.rest += s.e[i]
		}
	}
	s.e[s.ref] = 1
}

// a returns a_i = e_i / S.
func (s *softmaxColumn) a(i int) float64 { return s.e[i] / (1 + s.rest) }

// logA returns ln a_i = c (z_i − z_ref) − ln(1 + Σ_{k≠ref} e_k).
func (s *softmaxColumn) logA(i int) float64 {
	return s.c*(s.z[i]-s.z[s.ref]) - math.Log1p(s.rest)
}

// oneMinusA returns 1 − a_i: directly where a_i ≤ ½ (no cancellation
// there), and as Σ_{k≠i} e_k / S where a_i is near 1.
func (s *softmaxColumn) oneMinusA(i int) float64 {
	if a := s.a(i); a <= 0.5 {
		return 1 - a
	}
	if i == s.ref {
		return s.rest / (1 + s.rest)
	}
	// Σ_{k≠i} e_k = 1 + (rest − e_i), with rest ≥ e_i: no cancellation
	// beyond a rounding of the order of ε·rest against a sum ≥ 1.
	return (1 + (s.rest - s.e[i])) / (1 + s.rest)
}

// softplus returns ln(1 + e^x) without overflow or loss for large |x|.
func softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// logProbValue returns the mean over columns of Σ_j term(ŷ_j, ln a_j)
// over the entries with ŷ_j ≠ 0, with a read as max(a, CostEpsilon).
func logProbValue(a, y *mat.Dense, who string, term func(p, logA float64) float64) float64 {
	ad, yd, m := costRaw(a, y, who)
	s := 0.0
	for i, p := range yd {
		if p != 0 {
			s += term(p, math.Log(atLeastEps(ad[i])))
		}
	}
	return s / float64(m)
}

// logProbCost returns the mean over columns of Σ_j term(ŷ_j, ln a_j) over
// the entries with ŷ_j ≠ 0, with ln a from z for Softmax and Sigmoid
// outputs, and false for other activations.
func logProbCost(z, y *mat.Dense, act Activation, who string, term func(p, logA float64) float64) (float64, bool) {
	c, sigmoid := 0.0, false // c: the softmax's factor, which may be 0
	switch s := act.(type) {
	case Softmax:
		c = s.Sharpness()
	case *Softmax:
		c = s.Sharpness()
	case Sigmoid, *Sigmoid:
		sigmoid = true
	default:
		return 0, false
	}
	zd, yd, m := costRaw(z, y, who)
	sum := 0.0
	if sigmoid { // ln σ(z) = −softplus(−z)
		for i, p := range yd {
			if p != 0 {
				sum += term(p, -softplus(-zd[i]))
			}
		}
		return sum / float64(m), true
	}
	r, _ := z.Dims()
	sc := softmaxColumns.Get().(*softmaxColumn)
	defer softmaxColumns.Put(sc)
	for j := range m {
		sc.set(zd, j, m, r, c)
		for i := range r {
			if p := yd[i*m+j]; p != 0 {
				sum += term(p, sc.logA(i))
			}
		}
	}
	return sum / float64(m), true
}

// BinaryCrossEntropy is the notes' "Cross Entropy Cost Variation"
// (Appendix B.2.2): each output neuron is a two-outcome distribution
// (a_j, 1 − a_j) with target (ŷ_j, 1 − ŷ_j), and
//
//	C_x = −Σ_j [ŷ_j ln a_j + (1 − ŷ_j) ln(1 − a_j)],
//	∂C_x/∂a = (a − ŷ) / (a (1 − a)).
//
// It is Nielsen's cross-entropy for sigmoid outputs: with Sigmoid, Delta
// gives δ^(L) = a − ŷ, free of the σ' that slows learning when the output
// saturates. a and ŷ should lie in [0, 1]. Terms with a zero coefficient
// are skipped (0·ln 0 = 0), and a is clamped into [ε, 1 − ε] (CostEpsilon)
// inside logarithms and divisions, so a = 0 or 1 gives a finite cost and
// gradient, and a = ŷ ∈ {0, 1} gives exactly 0.
type BinaryCrossEntropy struct{}

// Value returns the mean over columns of −Σ_j [ŷ_j ln a_j + (1−ŷ_j) ln(1−a_j)].
func (BinaryCrossEntropy) Value(a, y *mat.Dense) float64 {
	ad, yd, m := costRaw(a, y, "BinaryCrossEntropy.Value")
	s := 0.0
	for i, p := range yd {
		v := ad[i]
		if p != 0 {
			s -= p * math.Log(atLeastEps(v))
		}
		if q := 1 - p; q != 0 {
			s -= q * math.Log1p(-math.Min(v, 1-CostEpsilon))
		}
	}
	return s / float64(m)
}

// Grad sets da = (a − ŷ) / (a′(1 − a′)), with a′ = a clamped into [ε, 1−ε].
func (BinaryCrossEntropy) Grad(da, a, y *mat.Dense) {
	dad, ad, yd := costGradRaw(da, a, y, "BinaryCrossEntropy.Grad")
	for i, v := range ad {
		c := math.Min(math.Max(v, CostEpsilon), 1-CostEpsilon)
		dad[i] = (v - yd[i]) / (c * (1 - c))
	}
}

// Delta sets dz = a − ŷ and reports true when act is Sigmoid. Where a is
// within nearOne of 1 it computes a − ŷ as (1 − ŷ) a − ŷ σ(−z), which
// stays exact where σ(z) rounds to 1.
func (BinaryCrossEntropy) Delta(dz, z, a, y *mat.Dense, act Activation) bool {
	switch act.(type) {
	case Sigmoid, *Sigmoid:
		dzd, ad, yd := costGradRaw(dz, a, y, "BinaryCrossEntropy.Delta")
		_, zd := rawSame(dz, z, "BinaryCrossEntropy.Delta")
		for i, v := range ad {
			p := yd[i]
			if 1-v >= nearOne {
				dzd[i] = v - p
				continue
			}
			dzd[i] = (1-p)*v - p*Sigmoid{}.F(-zd[i])
		}
		return true
	}
	return false
}

// ValueFromZ returns, for Sigmoid outputs, the mean over columns of
// Σ_j [ŷ_j s(−z_j) + (1 − ŷ_j) s(z_j)], s the softplus (see LogitCost):
// the cost without the clamp at CostEpsilon.
func (BinaryCrossEntropy) ValueFromZ(z, a, y *mat.Dense, act Activation) (float64, bool) {
	switch act.(type) {
	case Sigmoid, *Sigmoid:
	default:
		return 0, false
	}
	zd, yd, m := costRaw(z, y, "BinaryCrossEntropy.ValueFromZ")
	s := 0.0
	for i, v := range zd {
		p := yd[i]
		if p != 0 {
			s += p * softplus(-v)
		}
		if q := 1 - p; q != 0 {
			s += q * softplus(v)
		}
	}
	return s / float64(m), true
}

func (BinaryCrossEntropy) String() string { return "binary-cross-entropy" }

// Hellinger is the Hellinger distance of Appendix B.2.2 as a cost,
//
//	C_x = (1/√2) ‖√a − √ŷ‖₂,
//
// for outputs and targets in [0, 1] (for two probability distributions it
// lies in [0, 1]). With D = ‖√a − √ŷ‖₂ its gradient is
//
//	∂C_x/∂a_j = (√a_j − √ŷ_j) / (2√2 · √a_j · D) = (1 − √(ŷ_j/a_j)) / (2√2 · D).
//
// (The notes have √(2a_j) where 2√2·√a_j belongs, which doubles the
// gradient: at a = (0.64, 0.36), ŷ = (0.36, 0.64) they give 0.625 for
// ∂C_x/∂a_1 instead of 0.3125.)
//
// Two points have no derivative, and Grad makes these choices:
//   - D = 0 (a = ŷ): C_x is a norm, with a corner at its minimum; Grad
//     returns 0 for that column, as MAE does.
//   - a_j = 0: the derivative of √a_j is infinite. Grad uses the second form
//     above with a_j read as max(a_j, CostEpsilon): for ŷ_j = 0 this is the
//     exact limit 1/(2√2 D), and for ŷ_j > 0 a large negative finite value.
//
// Negative a or ŷ (invalid) are read as 0 inside the square roots.
type Hellinger struct{}

// Value returns the mean over columns of (1/√2) ‖√a − √ŷ‖₂.
func (Hellinger) Value(a, y *mat.Dense) float64 {
	ad, yd, m := costRaw(a, y, "Hellinger.Value")
	r, _ := a.Dims()
	s := 0.0
	for j := range m {
		s += hellingerNorm(ad, yd, j, r, m)
	}
	return s / (math.Sqrt2 * float64(m))
}

// Grad sets da as described in the type's documentation.
func (Hellinger) Grad(da, a, y *mat.Dense) {
	dad, ad, yd := costGradRaw(da, a, y, "Hellinger.Grad")
	r, m := a.Dims()
	for j := range m {
		d := hellingerNorm(ad, yd, j, r, m)
		for i := range r {
			k := i*m + j
			if d == 0 {
				dad[k] = 0
				continue
			}
			q := math.Max(yd[k], 0) / atLeastEps(ad[k])
			dad[k] = (1 - math.Sqrt(q)) / (2 * math.Sqrt2 * d)
		}
	}
}

// Delta sets dz = δ^(L) and reports true for Sigmoid and Softmax outputs.
// Both chain rules need only a_j ∂C_x/∂a_j = (a_j − √(ŷ_j a_j)) / (2√2 D),
// which has no division by a: for Sigmoid δ_j = a_j ∂C_x/∂a_j · (1 − a_j)
// with 1 − a_j = σ(−z_j); for NewSoftmax(c)
// δ_i = c (a_i ∂C_x/∂a_i − a_i Σ_j a_j ∂C_x/∂a_j). A column with D = 0
// gets δ = 0, as in Grad. Unlike Grad followed by the activation's
// Backprop, this needs no clamp of a at CostEpsilon.
func (Hellinger) Delta(dz, z, a, y *mat.Dense, act Activation) bool {
	var sm *Softmax
	switch s := act.(type) {
	case Softmax:
		sm = &s
	case *Softmax:
		sm = s
	case Sigmoid, *Sigmoid:
	default:
		return false
	}
	dzd, zd, yd := costGradRaw(dz, z, y, "Hellinger.Delta")
	_, ad := rawSame(dz, a, "Hellinger.Delta")
	r, m := z.Dims()
	for j := range m {
		d := hellingerNorm(ad, yd, j, r, m)
		dot := 0.0 // Σ_i a_i ∂C/∂a_i, for softmax
		for i := range r {
			k := i*m + j
			if d == 0 {
				dzd[k] = 0
				continue
			}
			av := math.Max(ad[k], 0)
			h := (av - math.Sqrt(math.Max(yd[k], 0)*av)) / (2 * math.Sqrt2 * d)
			dzd[k] = h
			dot += h
		}
		if d == 0 {
			continue
		}
		for i := range r {
			k := i*m + j
			if sm == nil {
				dzd[k] *= oneMinusSigmoid(ad[k], zd[k])
			} else {
				dzd[k] = sm.Sharpness() * (dzd[k] - ad[k]*dot)
			}
		}
	}
	return true
}

// hellingerNorm returns ‖√a − √ŷ‖₂ for column j of r×m matrices.
func hellingerNorm(ad, yd []float64, j, r, m int) float64 {
	s := 0.0
	for i := range r {
		k := i*m + j
		d := math.Sqrt(math.Max(ad[k], 0)) - math.Sqrt(math.Max(yd[k], 0))
		s += d * d
	}
	return math.Sqrt(s)
}

func (Hellinger) String() string { return "hellinger" }
