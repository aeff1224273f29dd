package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSigmoid(t *testing.T) {
	for _, tc := range []struct {
		z, want float64
	}{
		{0, 0.5},
		{math.Log(3), 0.75}, // 1/(1+1/3)
		{-math.Log(3), 0.25},
		{1000, 1},
		{-1000, 0},
		{math.Inf(1), 1},
		{math.Inf(-1), 0},
	} {
		got := Sigmoid{}.F(tc.z)
		if math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Sigmoid{}.F(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
}

func TestSigmoidSymmetry(t *testing.T) {
	// σ(−z) = 1 − σ(z) for every z.
	for z := -30.0; z <= 30; z += 0.37 {
		if d := math.Abs(Sigmoid{}.F(-z) - (1 - Sigmoid{}.F(z))); d > 1e-15 {
			t.Errorf("σ(−%v) − (1 − σ(%v)) = %v", z, z, d)
		}
	}
}

func TestSigmoidPrimeMatchesCentralDifferences(t *testing.T) {
	for z := -8.0; z <= 8; z += 0.25 {
		a := Sigmoid{}.Prime(z)
		n := NumericDerivative(Sigmoid{}.F, z, 0)
		if re := RelativeError(a, n); re > 1e-7 {
			t.Errorf("z=%v: σ'=%v, numeric=%v, relative error %v", z, a, n, re)
		}
	}
}

// scalars lists every element-wise activation with the interval where its
// Prime is checked; kinks at 0 are skipped by primeCheck.
var scalars = []struct {
	act    Scalar
	lo, hi float64
}{
	{Linear{}, -8, 8},
	{Step{}, -8, 8},
	{Sigmoid{}, -8, 8},
	// Beyond |x| ≈ 4, tanh(x±h) agree in more digits than float64 keeps
	// and the central difference itself loses accuracy.
	{Tanh{}, -4, 4},
	{ReLU{}, -8, 8},
	{PReLU{}, -8, 8},
	{PReLU{A: 0.25}, -8, 8},
	{PReLU{A: 1.5}, -8, 8},
	{Swish{}, -8, 8},
}

// primeCheck compares act.Prime with central differences of act.F at many
// points of [lo, hi] away from 0 and returns the worst relative error.
func primeCheck(act Scalar, lo, hi float64) (worst, at float64) {
	for x := lo; x <= hi; x += 0.0625 + 0.001 {
		if math.Abs(x) < 1e-3 {
			continue
		}
		re := RelativeError(act.Prime(x), NumericDerivative(act.F, x, 0))
		if re > worst {
			worst, at = re, x
		}
	}
	return worst, at
}

func TestScalarPrimeMatchesCentralDifferences(t *testing.T) {
	for _, tc := range scalars {
		if re, x := primeCheck(tc.act, tc.lo, tc.hi); re > 1e-7 {
			t.Errorf("%v: Prime(%v) relative error %v", tc.act, x, re)
		}
	}
}

// wrongPrime is Tanh with the derivative of the sigmoid: the checks must
// reject it.
type wrongPrime struct{ Tanh }

func (wrongPrime) Prime(x float64) float64 { return Sigmoid{}.Prime(x) }

func TestPrimeCheckCatchesWrongDerivative(t *testing.T) {
	if re, _ := primeCheck(wrongPrime{}, -4, 4); re < 1e-2 {
		t.Errorf("wrong derivative passed with relative error %v", re)
	}
}

func TestScalarValues(t *testing.T) {
	for _, tc := range []struct {
		act      Scalar
		x, f, fp float64
	}{
		{Linear{}, -2.5, -2.5, 1},
		{Step{}, -1e-300, 0, 0},
		{Step{}, 0, 1, 0},
		{Step{}, 3, 1, 0},
		{Tanh{}, 0, 0, 1},
		{Tanh{}, 1000, 1, 0},
		{Tanh{}, -1000, -1, 0},
		{ReLU{}, -2, 0, 0},
		{ReLU{}, 0, 0, 0}, // Prime(0) = 0 by convention
		{ReLU{}, 2, 2, 1},
		{PReLU{}, -2, 0, 0}, // zero A is a = 0: the ReLU
		{PReLU{}, 0, 0, 0},
		{PReLU{}, 2, 2, 1},
		{PReLU{A: DefaultPReLUSlope}, -2, -0.2, 0.1},
		{PReLU{A: DefaultPReLUSlope}, 0, 0, 0.1},
		{PReLU{A: 0.3}, -2, -0.6, 0.3},
		{Swish{}, 0, 0, 0.5},
		{Swish{}, 1000, 1000, 1},
		{Swish{}, -1000, 0, 0},
	} {
		if f := tc.act.F(tc.x); math.Abs(f-tc.f) > 1e-15 {
			t.Errorf("%v.F(%v) = %v, want %v", tc.act, tc.x, f, tc.f)
		}
		if fp := tc.act.Prime(tc.x); math.Abs(fp-tc.fp) > 1e-15 {
			t.Errorf("%v.Prime(%v) = %v, want %v", tc.act, tc.x, fp, tc.fp)
		}
	}
}

func TestPReLUIsMaxForSmallSlopes(t *testing.T) {
	// The notes define P-ReLU(x) = max(ax, x); for 0 ≤ a ≤ 1 the
	// piecewise form agrees.
	for _, a := range []float64{0.01, 0.1, 0.5, 1} {
		p := PReLU{A: a}
		for x := -5.0; x <= 5; x += 0.25 {
			if got, want := p.F(x), math.Max(a*x, x); got != want {
				t.Errorf("PReLU{%v}.F(%v) = %v, want max(ax, x) = %v", a, x, got, want)
			}
		}
	}
	// Zero is a value: PReLU{} is the ReLU, everywhere.
	for x := -5.0; x <= 5; x += 0.25 {
		if got, want := (PReLU{}).F(x), (ReLU{}).F(x); got != want {
			t.Errorf("PReLU{}.F(%v) = %v, want ReLU's %v", x, got, want)
		}
	}
}

func TestScalarsFiniteOnExtremeInputs(t *testing.T) {
	xs := []float64{-math.MaxFloat64, -1e300, -710, -1, 0, 1, 710, 1e300, math.MaxFloat64}
	for _, tc := range scalars {
		for _, x := range xs {
			if f, fp := tc.act.F(x), tc.act.Prime(x); math.IsNaN(f) || math.IsNaN(fp) {
				t.Errorf("%v at %v: F = %v, Prime = %v", tc.act, x, f, fp)
			}
		}
	}
}

// activations lists every activation, element-wise or not, for the
// Backprop checks.
func activations() []Activation {
	acts := []Activation{Softmax{}, NewSoftmax(1), NewSoftmax(2.5), NewSoftmax(0.3), NewSoftmax(-1.7)}
	for _, s := range scalars {
		acts = append(acts, s.act)
	}
	return acts
}

// randomZ returns an r×m matrix of normal entries scaled by 2, none within
// 0.01 of the kinks at 0.
func randomZ(rng *rand.Rand, r, m int) *mat.Dense {
	z := mat.NewDense(r, m, nil)
	d := z.RawMatrix().Data
	for i := range d {
		for math.Abs(d[i]) < 0.01 {
			d[i] = 2 * rng.NormFloat64()
		}
	}
	return z
}

// backpropCheck compares act.Backprop(da) with the numeric gradient of
// f(z) = Σ da ⊙ σ(z), a Jacobian-vector product, and returns the worst
// relative error over entries that are not both below 1e-10.
func backpropCheck(act Activation, z, da *mat.Dense) float64 {
	r, m := z.Dims()
	a := mat.NewDense(r, m, nil)
	act.Apply(a, z)
	dz := mat.NewDense(r, m, nil)
	act.Backprop(dz, da, z, a)

	zt := mat.NewDense(r, m, nil)
	at := mat.NewDense(r, m, nil)
	f := func(x []float64) float64 {
		copy(zt.RawMatrix().Data, x)
		act.Apply(at, zt)
		return mat.Dot(vecOf(at), vecOf(da))
	}
	num := NumericGradient(nil, f, mat.DenseCopyOf(z).RawMatrix().Data, 0)
	worst := 0.0
	for i, g := range dz.RawMatrix().Data {
		if math.Abs(g-num[i]) < 1e-10 {
			continue
		}
		worst = math.Max(worst, RelativeError(g, num[i]))
	}
	return worst
}

func vecOf(m *mat.Dense) *mat.VecDense {
	raw := m.RawMatrix()
	return mat.NewVecDense(raw.Rows*raw.Cols, raw.Data)
}

func TestBackpropMatchesNumericJacobianVectorProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, act := range activations() {
		for trial := range 5 {
			z := randomZ(rng, 5, 3)
			da := randomZ(rng, 5, 3)
			if re := backpropCheck(act, z, da); re > 1e-7 {
				t.Errorf("%v, trial %d: Backprop relative error %v", act, trial, re)
			}
		}
	}
}

// wrongSoftmax backpropagates as if softmax were element-wise with the
// sigmoid's σ'(z) = a(1 − a), the mistake the check must catch.
type wrongSoftmax struct{ Softmax }

func (wrongSoftmax) Backprop(dz, da, z, a *mat.Dense) {
	dz.Apply(func(i, j int, _ float64) float64 {
		v := a.At(i, j)
		return da.At(i, j) * v * (1 - v)
	}, da)
}

func TestBackpropCheckCatchesWrongJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	if re := backpropCheck(wrongSoftmax{}, randomZ(rng, 4, 2), randomZ(rng, 4, 2)); re < 1e-2 {
		t.Errorf("element-wise softmax derivative passed with relative error %v", re)
	}
}

func TestBackpropInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, act := range activations() {
		z := randomZ(rng, 4, 3)
		da := randomZ(rng, 4, 3)
		a := mat.NewDense(4, 3, nil)
		act.Apply(a, z)
		want := mat.NewDense(4, 3, nil)
		act.Backprop(want, da, z, a)
		act.Backprop(da, da, z, a) // dz = da
		if !mat.Equal(da, want) {
			t.Errorf("%v: Backprop with dz = da differs", act)
		}
		a.Copy(z)
		act.Apply(a, a) // a = z
		act.Apply(want, z)
		if !mat.Equal(a, want) {
			t.Errorf("%v: Apply with a = z differs", act)
		}
	}
}

func TestSoftmaxColumnsAreDistributions(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	z := randomZ(rng, 6, 4)
	z.Set(0, 3, 800) // e^800 overflows without the max subtraction
	z.Set(1, 3, -800)
	for _, c := range []float64{0, 0.3, 1, 2.5, 1e3, -2} {
		a := mat.NewDense(6, 4, nil)
		NewSoftmax(c).Apply(a, z)
		for j := range 4 {
			sum := 0.0
			for i := range 6 {
				v := a.At(i, j)
				if !(v >= 0 && v <= 1) {
					t.Errorf("c=%v: a[%d,%d] = %v, not in [0, 1]", c, i, j, v)
				}
				if c > 0 && c < 10 && j < 3 && v <= 0 {
					t.Errorf("c=%v: a[%d,%d] = %v, want positive", c, i, j, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > 1e-15 {
				t.Errorf("c=%v: column %d sums to %v", c, j, sum)
			}
		}
	}
}

func TestSoftmaxSharpLimit(t *testing.T) {
	// As c → ∞, f_c(z) → 1/m on the m tied maxima and 0 elsewhere.
	for _, tc := range []struct {
		z, want []float64
	}{
		{[]float64{1, 3, 3, -2}, []float64{0, 0.5, 0.5, 0}},
		{[]float64{0.5, 0.2, 0.4}, []float64{1, 0, 0}},
		{[]float64{7, 7, 7}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{[]float64{1e300, -1e300, 1e300}, []float64{0.5, 0, 0.5}},
	} {
		for _, c := range []float64{1e3, 1e6, math.MaxFloat64} {
			got := NewSoftmax(c).F(nil, tc.z)
			for i := range got {
				if math.IsNaN(got[i]) || math.Abs(got[i]-tc.want[i]) > 1e-12 {
					t.Errorf("c=%v: f_c(%v) = %v, want %v", c, tc.z, got, tc.want)
					break
				}
			}
		}
	}
}

func TestSoftmaxSmallCIsUniform(t *testing.T) {
	got := NewSoftmax(1e-12).F(nil, []float64{-3, 0, 5, 2})
	for _, v := range got {
		if math.Abs(v-0.25) > 1e-10 {
			t.Fatalf("f_c(z) with c = 1e-12: %v, want uniform 0.25", got)
		}
	}
}

func TestSoftmaxKnownValues(t *testing.T) {
	// f_c(0, ln 3)_j = (1, 3^c)/(1 + 3^c).
	z := []float64{0, math.Log(3)}
	for _, tc := range []struct {
		c    float64
		want []float64
	}{
		{0, []float64{0.5, 0.5}}, // zero is a value: f_0 is uniform
		{1, []float64{0.25, 0.75}},
		{2, []float64{0.1, 0.9}},
		{0.5, []float64{1 / (1 + math.Sqrt(3)), math.Sqrt(3) / (1 + math.Sqrt(3))}},
	} {
		got := NewSoftmax(tc.c).F(nil, z)
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-15 {
				t.Errorf("Softmax{%v}.F(%v) = %v, want %v", tc.c, z, got, tc.want)
				break
			}
		}
	}
}

func TestSoftmaxJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []float64{0, 2.5, 0.3} {
		s := NewSoftmax(c)
		z := randomZ(rng, 5, 1).RawMatrix().Data
		jac := s.Jacobian(nil, z)
		// Row i is the gradient of a_i.
		for i := range 5 {
			num := NumericGradient(nil, func(x []float64) float64 { return s.F(nil, x)[i] }, z, 0)
			for j := range 5 {
				// Entries below 1e-10 are at the numeric rounding level.
				if d := math.Abs(jac.At(i, j) - num[j]); d > 1e-10 && RelativeError(jac.At(i, j), num[j]) > 1e-7 {
					t.Errorf("c=%v: J[%d,%d] = %v, numeric %v", c, i, j, jac.At(i, j), num[j])
				}
			}
		}
		// Jᵀ da is Backprop's column.
		da := randomZ(rng, 5, 1)
		a := mat.NewDense(5, 1, nil)
		zm := mat.NewDense(5, 1, z)
		s.Apply(a, zm)
		dz := mat.NewDense(5, 1, nil)
		s.Backprop(dz, da, zm, a)
		var want mat.Dense
		want.Mul(jac.T(), da)
		if !mat.EqualApprox(dz, &want, 1e-14) {
			t.Errorf("c=%v: Backprop %v, Jᵀda %v", c, mat.Formatted(dz.T()), mat.Formatted(want.T()))
		}
		// dst is reused.
		if got := s.Jacobian(jac, z); got != jac {
			t.Errorf("Jacobian did not return dst")
		}
	}
}

// stringCase is a value (an activation, a cost) and the name its String
// method must give.
type stringCase struct {
	v    interface{ String() string }
	want string
}

// testStrings checks the String method of every case.
func testStrings(t *testing.T, cases []stringCase) {
	t.Helper()
	for _, tc := range cases {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestActivationStrings(t *testing.T) {
	testStrings(t, []stringCase{
		{Linear{}, "linear"},
		{Step{}, "step"},
		{Sigmoid{}, "sigmoid"},
		{Tanh{}, "tanh"},
		{ReLU{}, "relu"},
		{PReLU{}, "prelu(a=0)"},
		{PReLU{A: DefaultPReLUSlope}, "prelu(a=0.1)"},
		{PReLU{A: 0.25}, "prelu(a=0.25)"},
		{Swish{}, "swish"},
		{Softmax{}, "softmax"},
		{NewSoftmax(1), "softmax"},
		{NewSoftmax(0), "softmax(c=0)"},
		{NewSoftmax(2.5), "softmax(c=2.5)"},
	})
}

// expectPanic calls f and checks that it panics with a message starting
// with "nn: ".
func expectPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		msg, ok := r.(string)
		if !ok || !strings.HasPrefix(msg, "nn: ") {
			t.Errorf("%s: panic %v, want a string starting with \"nn: \"", name, r)
		}
	}()
	f()
}

func TestActivationShapePanics(t *testing.T) {
	good := mat.NewDense(2, 3, nil)
	bad := mat.NewDense(3, 2, nil)
	view := mat.NewDense(4, 4, nil).Slice(0, 2, 0, 3).(*mat.Dense)
	for _, act := range activations() {
		name := act.String()
		expectPanic(t, name+".Apply", func() { act.Apply(good, bad) })
		expectPanic(t, name+".Apply view", func() { act.Apply(good, view) })
		expectPanic(t, name+".Backprop dz/da", func() { act.Backprop(good, bad, good, good) })
		expectPanic(t, name+".Backprop a", func() { act.Backprop(good, good, good, bad) })
	}
	expectPanic(t, "Softmax.F", func() { Softmax{}.F(make([]float64, 2), make([]float64, 3)) })
	expectPanic(t, "Softmax.Jacobian", func() { Softmax{}.Jacobian(good, make([]float64, 2)) })
}

// TestApplyInParallelEqualsApply checks that apply, which splits large
// matrices by rows across the processors for element-wise activations,
// gives exactly act.Apply's result, also for Softmax, which it must not
// split.
func TestApplyInParallelEqualsApply(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	z := mat.NewDense(301, 97, nil) // 16·301·97 multiply-adds: parallel
	for i := range 301 {
		for j := range 97 {
			z.Set(i, j, 4*rng.NormFloat64())
		}
	}
	for _, act := range []Activation{Sigmoid{}, Tanh{}, ReLU{}, Swish{}, Softmax{}} {
		want, got := mat.NewDense(301, 97, nil), mat.NewDense(301, 97, nil)
		act.Apply(want, z)
		apply(act, got, z)
		if !mat.Equal(want, got) {
			t.Errorf("%v: apply differs from Apply", act)
		}
	}
}
