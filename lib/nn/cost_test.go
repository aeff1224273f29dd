package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// costs lists every cost with a generator of valid inputs (a, ŷ) away from
// the points where the cost has no derivative.
var costs = []struct {
	cost Cost
	gen  func(rng *rand.Rand, r, m int) (a, y *mat.Dense)
}{
	{Quadratic{}, genReal},
	{MAE{}, genReal},
	{Huber{}, genReal},
	{Huber{Delta: 0.3}, genReal},
	{KL{}, genDistributions},
	{CrossEntropy{}, genDistributions},
	{CrossEntropy{}, genOneHot},
	{KL{}, genOneHot},
	{BinaryCrossEntropy{}, genProbabilities},
	{Hellinger{}, genDistributions},
	{Hellinger{}, genProbabilities},
}

// genReal returns normal a and ŷ whose differences stay 0.01 away from the
// kinks of MAE (0) and Huber (±0.3, ±1).
func genReal(rng *rand.Rand, r, m int) (a, y *mat.Dense) {
	a, y = mat.NewDense(r, m, nil), mat.NewDense(r, m, nil)
	ad, yd := a.RawMatrix().Data, y.RawMatrix().Data
	for i := range ad {
		for {
			ad[i], yd[i] = 2*rng.NormFloat64(), 2*rng.NormFloat64()
			d := math.Abs(ad[i] - yd[i])
			if math.Abs(d) > 0.01 && math.Abs(d-0.3) > 0.01 && math.Abs(d-1) > 0.01 {
				break
			}
		}
	}
	return a, y
}

// genProbabilities returns a and ŷ with independent entries, a in
// [0.05, 0.95] and ŷ in [0, 1].
func genProbabilities(rng *rand.Rand, r, m int) (a, y *mat.Dense) {
	a, y = mat.NewDense(r, m, nil), mat.NewDense(r, m, nil)
	ad, yd := a.RawMatrix().Data, y.RawMatrix().Data
	for i := range ad {
		ad[i] = 0.05 + 0.9*rng.Float64()
		yd[i] = rng.Float64()
	}
	return a, y
}

// genDistributions returns a and ŷ whose columns are probability
// distributions, with entries of a at least about 0.02.
func genDistributions(rng *rand.Rand, r, m int) (a, y *mat.Dense) {
	a, y = genProbabilities(rng, r, m)
	normalizeColumns(a)
	normalizeColumns(y)
	return a, y
}

// genOneHot is genDistributions with a one-hot ŷ.
func genOneHot(rng *rand.Rand, r, m int) (a, y *mat.Dense) {
	a, y = genDistributions(rng, r, m)
	y.Zero()
	for j := range m {
		y.Set(rng.IntN(r), j, 1)
	}
	return a, y
}

func normalizeColumns(x *mat.Dense) {
	r, m := x.Dims()
	for j := range m {
		s := 0.0
		for i := range r {
			s += x.At(i, j)
		}
		for i := range r {
			x.Set(i, j, x.At(i, j)/s)
		}
	}
}

// gradCheck compares cost.Grad with the numeric gradient of m·Value (the
// sum of the per-sample costs) and returns the worst relative error.
func gradCheck(cost Cost, a, y *mat.Dense) float64 {
	r, m := a.Dims()
	g := mat.NewDense(r, m, nil)
	cost.Grad(g, a, y)
	at := mat.NewDense(r, m, nil)
	f := func(x []float64) float64 {
		copy(at.RawMatrix().Data, x)
		return float64(m) * cost.Value(at, y)
	}
	num := NumericGradient(nil, f, mat.DenseCopyOf(a).RawMatrix().Data, 0)
	worst := 0.0
	for i, v := range g.RawMatrix().Data {
		worst = math.Max(worst, RelativeError(v, num[i]))
	}
	return worst
}

func TestCostGradMatchesCentralDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range costs {
		for trial := range 5 {
			a, y := tc.gen(rng, 4, 3)
			if re := gradCheck(tc.cost, a, y); re > 1e-6 {
				t.Errorf("%v, trial %d: Grad relative error %v", tc.cost, trial, re)
			}
		}
	}
}

// notesHellinger has the gradient printed in the notes, with √(2a) where
// 2√2·√a belongs: the check must reject it.
type notesHellinger struct{ Hellinger }

func (notesHellinger) Grad(da, a, y *mat.Dense) {
	r, m := a.Dims()
	for j := range m {
		d := 0.0
		for i := range r {
			v := math.Sqrt(a.At(i, j)) - math.Sqrt(y.At(i, j))
			d += v * v
		}
		d = math.Sqrt(d)
		for i := range r {
			da.Set(i, j, (math.Sqrt(a.At(i, j))-math.Sqrt(y.At(i, j)))/(math.Sqrt(2*a.At(i, j))*d))
		}
	}
}

func TestGradCheckCatchesNotesHellingerGradient(t *testing.T) {
	a, y := genDistributions(rand.New(rand.NewPCG(13, 14)), 3, 2)
	if re := gradCheck(notesHellinger{}, a, y); re < 0.5 {
		t.Errorf("the notes' Hellinger gradient passed with relative error %v", re)
	}
}

func TestCostValues(t *testing.T) {
	col := func(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }
	two := func(v ...float64) *mat.Dense { return mat.NewDense(len(v)/2, 2, v) }
	for _, tc := range []struct {
		cost Cost
		a, y *mat.Dense
		want float64
	}{
		{Quadratic{}, col(1, 2), col(0, 0), 2.5},
		{Quadratic{}, two(1, 0, 2, 0), two(0, 0, 0, 0), 2.5 / 2}, // mean of 2.5 and 0
		{MAE{}, col(1, -2), col(0, 0), 3},
		{Huber{}, col(0.5, 3), col(0, 0), 0.125 + 2.5},           // ½·0.5² + 1·(3 − ½)
		{Huber{Delta: 2}, col(0.5, 3), col(0, 0), 0.125 + 4},     // 2·(3 − 1)
		{Huber{Delta: 1e9}, col(0.5, 3), col(0, 0), 0.125 + 4.5}, // all quadratic
		{KL{}, col(0.5, 0.5), col(1, 0), math.Ln2},
		{KL{}, col(0.25, 0.75), col(0.25, 0.75), 0},
		{KL{}, col(0.5, 0.5), col(0.25, 0.75), 0.25*math.Log(0.5) + 0.75*math.Log(1.5)},
		{CrossEntropy{}, col(0.5, 0.5), col(1, 0), math.Ln2},
		{CrossEntropy{}, col(0.25, 0.75), col(0.25, 0.75), -0.25*math.Log(0.25) - 0.75*math.Log(0.75)},
		{BinaryCrossEntropy{}, col(0.5, 0.25), col(1, 0), math.Ln2 - math.Log(0.75)},
		{BinaryCrossEntropy{}, col(1, 0), col(1, 0), 0},
		{Hellinger{}, col(1, 0), col(0, 1), 1}, // disjoint distributions
		{Hellinger{}, col(0.64, 0.36), col(0.36, 0.64), 0.2},
		{Hellinger{}, col(0.3, 0.7), col(0.3, 0.7), 0},
	} {
		if got := tc.cost.Value(tc.a, tc.y); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%v.Value(%v, %v) = %v, want %v", tc.cost, mat.Formatted(tc.a.T()), mat.Formatted(tc.y.T()), got, tc.want)
		}
	}
}

func TestCostGradValues(t *testing.T) {
	col := func(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }
	for _, tc := range []struct {
		cost Cost
		a, y *mat.Dense
		want []float64
	}{
		{Quadratic{}, col(1, 2), col(0, 3), []float64{1, -1}},
		{MAE{}, col(1, 2, 3), col(0, 3, 3), []float64{1, -1, 0}}, // sgn(0) = 0
		{Huber{}, col(0.5, 3, -4), col(0, 0, 0), []float64{0.5, 1, -1}},
		{CrossEntropy{}, col(0.5, 0.5), col(1, 0), []float64{-2, 0}},
		{KL{}, col(0.25, 0.75), col(0.5, 0.5), []float64{-2, -2.0 / 3}},
		{BinaryCrossEntropy{}, col(0.5, 0.25), col(1, 0), []float64{-2, 0.25 / 0.1875}},
		// √a = (0.8, 0.6), √ŷ = (0.6, 0.8), D = 0.2√2:
		// ∂/∂a_1 = 0.2/(2√2·0.8·0.2√2) = 0.3125 (the notes' formula gives 0.625).
		{Hellinger{}, col(0.64, 0.36), col(0.36, 0.64), []float64{0.3125, -0.2 / (2 * math.Sqrt2 * 0.6 * 0.2 * math.Sqrt2)}},
		{Hellinger{}, col(0.3, 0.7), col(0.3, 0.7), []float64{0, 0}}, // D = 0
	} {
		g := mat.NewDense(len(tc.want), 1, nil)
		tc.cost.Grad(g, tc.a, tc.y)
		for i, w := range tc.want {
			if got := g.At(i, 0); math.Abs(got-w) > 1e-14 {
				t.Errorf("%v.Grad(%v, %v)[%d] = %v, want %v", tc.cost, mat.Formatted(tc.a.T()), mat.Formatted(tc.y.T()), i, got, w)
			}
		}
	}
}

func TestCostFiniteOnEdgeInputs(t *testing.T) {
	// Outputs of exactly 0 and 1, and a = ŷ, against targets at 0, 1 and
	// in between: Value and Grad must stay finite.
	edges := []float64{0, 1, 0.3}
	all := []Cost{Quadratic{}, MAE{}, Huber{}, KL{}, CrossEntropy{}, BinaryCrossEntropy{}, Hellinger{}}
	for _, cost := range all {
		for _, av := range edges {
			for _, yv := range edges {
				a := mat.NewDense(2, 2, []float64{av, av, 1 - av, yv})
				y := mat.NewDense(2, 2, []float64{yv, yv, 1 - yv, yv})
				v := cost.Value(a, y)
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					t.Errorf("%v: Value(a=%v, ŷ=%v) = %v", cost, av, yv, v)
				}
				g := mat.NewDense(2, 2, nil)
				cost.Grad(g, a, y)
				for _, gv := range g.RawMatrix().Data {
					if math.IsNaN(gv) || math.IsInf(gv, 0) {
						t.Errorf("%v: Grad(a=%v, ŷ=%v) = %v", cost, av, yv, mat.Formatted(g))
						break
					}
				}
			}
		}
	}
	// A perfect output costs nothing.
	for _, cost := range all {
		for _, yv := range []float64{0, 1} {
			a := mat.NewDense(2, 1, []float64{yv, 1 - yv})
			if v := cost.Value(a, a); v != 0 {
				t.Errorf("%v: Value(ŷ, ŷ) = %v for one-hot ŷ, want 0", cost, v)
			}
		}
	}
}

func TestDeltaMatchesBackpropOfGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, tc := range []struct {
		cost DeltaCost
		act  Activation
		gen  func(rng *rand.Rand, r, m int) (a, y *mat.Dense)
	}{
		{CrossEntropy{}, Softmax{}, genDistributions},
		{CrossEntropy{}, NewSoftmax(2.5), genOneHot},
		{CrossEntropy{}, func() *Softmax { s := NewSoftmax(0.3); return &s }(), genDistributions},
		{CrossEntropy{}, Sigmoid{}, genProbabilities},
		{KL{}, Softmax{}, genOneHot},
		{KL{}, NewSoftmax(2.5), genDistributions},
		{KL{}, Sigmoid{}, genProbabilities},
		{BinaryCrossEntropy{}, Sigmoid{}, genProbabilities},
		{BinaryCrossEntropy{}, &Sigmoid{}, genProbabilities},
		{Quadratic{}, Linear{}, genReal},
		{Hellinger{}, Sigmoid{}, genDistributions},
		{Hellinger{}, Softmax{}, genDistributions},
		{Hellinger{}, NewSoftmax(2.5), genOneHot},
	} {
		for trial := range 3 {
			// Only ŷ comes from gen; a = σ(z) for a random z.
			_, y := tc.gen(rng, 4, 3)
			z := randomZ(rng, 4, 3)
			a := mat.NewDense(4, 3, nil)
			tc.act.Apply(a, z)
			da := mat.NewDense(4, 3, nil)
			tc.cost.Grad(da, a, y)
			want := mat.NewDense(4, 3, nil)
			tc.act.Backprop(want, da, z, a)
			got := mat.NewDense(4, 3, nil)
			if !tc.cost.Delta(got, z, a, y, tc.act) {
				t.Errorf("%v with %v: Delta reported false", tc.cost, tc.act)
				continue
			}
			if !mat.EqualApprox(got, want, 1e-12) {
				t.Errorf("%v with %v, trial %d: Delta\n%v\nBackprop(Grad)\n%v", tc.cost, tc.act, trial,
					mat.Formatted(got), mat.Formatted(want))
			}
		}
	}
}

func TestDeltaSoftmaxIsScaledDifference(t *testing.T) {
	// For targets that sum to 1 the notes' δ^(L) = a − ŷ, times c.
	a := mat.NewDense(3, 1, []float64{0.2, 0.5, 0.3})
	z := mat.NewDense(3, 1, nil) // softmax(2z) = a for z = ln(a)/2
	z.Apply(func(_, _ int, v float64) float64 { return math.Log(v) / 2 }, a)
	y := mat.NewDense(3, 1, []float64{0, 1, 0})
	dz := mat.NewDense(3, 1, nil)
	CrossEntropy{}.Delta(dz, z, a, y, NewSoftmax(2))
	want := mat.NewDense(3, 1, []float64{0.4, -1, 0.6})
	if !mat.EqualApprox(dz, want, 1e-15) {
		t.Errorf("δ = %v, want 2(a − ŷ) = %v", mat.Formatted(dz.T()), mat.Formatted(want.T()))
	}
}

func TestDeltaOtherActivationsReportFalse(t *testing.T) {
	for _, tc := range []struct {
		cost DeltaCost
		act  Activation
	}{
		{CrossEntropy{}, Tanh{}},
		{KL{}, ReLU{}},
		{BinaryCrossEntropy{}, Softmax{}},
		{BinaryCrossEntropy{}, Tanh{}},
		{Quadratic{}, Sigmoid{}},
		{Quadratic{}, Softmax{}},
	} {
		dz := mat.NewDense(2, 1, []float64{7, 7})
		a := mat.NewDense(2, 1, []float64{0.5, 0.5})
		if tc.cost.Delta(dz, a, a, a, tc.act) {
			t.Errorf("%v with %v: Delta reported true", tc.cost, tc.act)
		}
		if dz.At(0, 0) != 7 || dz.At(1, 0) != 7 {
			t.Errorf("%v with %v: Delta changed dz", tc.cost, tc.act)
		}
	}
}

func TestCostShapePanics(t *testing.T) {
	good := mat.NewDense(2, 3, nil)
	bad := mat.NewDense(3, 2, nil)
	for _, tc := range costs {
		c := tc.cost
		expectPanic(t, c.String()+".Value", func() { c.Value(good, bad) })
		expectPanic(t, c.String()+".Grad a", func() { c.Grad(good, bad, good) })
		expectPanic(t, c.String()+".Grad y", func() { c.Grad(good, good, bad) })
		if d, ok := c.(DeltaCost); ok {
			for _, act := range []Activation{Softmax{}, Sigmoid{}, Linear{}} {
				if d.Delta(mat.NewDense(2, 3, nil), good, good, good, act) {
					expectPanic(t, c.String()+".Delta", func() { d.Delta(good, good, good, bad, act) })
				}
			}
		}
	}
	expectPanic(t, "Huber negative δ", func() { Huber{Delta: -1}.Value(good, good) })
}

func TestCostStrings(t *testing.T) {
	testStrings(t, []stringCase{
		{Quadratic{}, "quadratic"},
		{MAE{}, "mae"},
		{Huber{}, "huber(δ=1)"},
		{Huber{Delta: 0.5}, "huber(δ=0.5)"},
		{KL{}, "kl"},
		{CrossEntropy{}, "cross-entropy"},
		{BinaryCrossEntropy{}, "binary-cross-entropy"},
		{Hellinger{}, "hellinger"},
	})
}
