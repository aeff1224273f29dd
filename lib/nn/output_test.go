package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// outputEnding is a way to end a network with the output activation act:
// on a Dense layer of its own, on an ActLayer after a linear Dense layer,
// on an ActLayer after Dense(Linear) → BatchNorm (the §4.2 recipe), or on
// a convolutional layer. build returns the layers for nIn inputs and nOut
// outputs, and the Dense or Conv layer whose bias sets z^(L) (nil for the
// batch-norm ending, whose β does).
type outputEnding struct {
	name  string
	build func(nIn, nOut int, act Activation, rng *rand.Rand) []Layer
}

var outputEndings = []outputEnding{
	{"Dense(σ)", func(nIn, nOut int, act Activation, rng *rand.Rand) []Layer {
		return []Layer{NewDense(nIn, nOut, act, InitScaled, rng)}
	}},
	{"Dense(linear) → Act(σ)", func(nIn, nOut int, act Activation, rng *rand.Rand) []Layer {
		return []Layer{NewDense(nIn, nOut, Linear{}, InitScaled, rng), NewAct(act)}
	}},
	{"Dense(linear) → BatchNorm → Act(σ)", func(nIn, nOut int, act Activation, rng *rand.Rand) []Layer {
		return []Layer{NewDense(nIn, nOut, Linear{}, InitScaled, rng), NewBatchNorm(nOut, nil), NewAct(act)}
	}},
	{"Conv(σ)", func(nIn, nOut int, act Activation, rng *rand.Rand) []Layer {
		c := NewConv(ConvConfig{Input: Shape{Height: 1, Width: 1, Channels: nIn}, Filters: nOut, FilterH: 1, Act: act}, rng)
		return []Layer{c}
	}},
}

// biasOf returns the bias of the first layer of a network built by an
// outputEnding.
func biasOf(l Layer) *Param {
	switch l := l.(type) {
	case *Dense:
		return l.B
	case *Conv:
		return l.B
	}
	panic(fmt.Sprintf("no bias in %v", l))
}

// The example: z^(L) = (0, 30) with target (1, 0). The output error
// must be a − ŷ and the cost ln(1 + e^30) − 0 whatever layer carries the
// output activation; the clamp of a at 1e-12 gave δ = ±0.0936 and C = 27.63.
func TestOutputErrorExactWhateverLayerEndsTheNetwork(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cost      Cost
		act       Activation
		bias, y   []float64
		wantDelta []float64
		wantCost  float64
	}{
		{
			name: "softmax + cross-entropy", cost: CrossEntropy{}, act: Softmax{},
			bias: []float64{0, 30}, y: []float64{1, 0},
			wantDelta: []float64{-0.9999999999999064, 0.9999999999999065},
			wantCost:  30.000000000000092,
		},
		{
			name: "softmax + KL (one-hot target: same as cross-entropy)", cost: KL{}, act: Softmax{},
			bias: []float64{0, 30}, y: []float64{1, 0},
			wantDelta: []float64{-0.9999999999999064, 0.9999999999999065},
			wantCost:  30.000000000000092,
		},
		{
			// a = σ(40) rounds to 1: the clamped form gave δ = 0 and C = 27.63.
			name: "sigmoid + binary cross-entropy", cost: BinaryCrossEntropy{}, act: Sigmoid{},
			bias: []float64{40}, y: []float64{0},
			wantDelta: []float64{1 - math.Exp(-40)}, // σ(40), exactly 1 in float64
			wantCost:  40 + math.Log1p(math.Exp(-40)),
		},
		{
			// −ŷ ln σ(−40) = ln(1 + e^40).
			name: "sigmoid + cross-entropy", cost: CrossEntropy{}, act: Sigmoid{},
			bias: []float64{-40}, y: []float64{1},
			wantDelta: []float64{-1 / (1 + math.Exp(-40))},
			wantCost:  40 + math.Log1p(math.Exp(-40)),
		},
	} {
		for _, e := range outputEndings {
			if e.name == "Dense(linear) → BatchNorm → Act(σ)" {
				continue // batch statistics need two samples: see the next test
			}
			t.Run(tc.name+"/"+e.name, func(t *testing.T) {
				n := len(tc.bias)
				layers := e.build(1, n, tc.act, rand.New(rand.NewPCG(1, 2)))
				net := NewNetwork(tc.cost, layers...)
				b := biasOf(layers[0])
				b.Value.Copy(mat.NewDense(n, 1, tc.bias))
				w := layers[0].Params()[0]
				w.Value.Zero()
				x := mat.NewDense(1, 1, []float64{1})
				y := mat.NewDense(n, 1, tc.y)
				c := net.Gradient(x, y)
				if c != tc.wantCost {
					t.Errorf("Gradient's cost = %.17g, want %.17g", c, tc.wantCost)
				}
				if l := net.Loss(x, y); l != tc.wantCost {
					t.Errorf("Loss = %.17g, want %.17g", l, tc.wantCost)
				}
				if ev, _ := net.Evaluate(&Dataset{X: x, Y: y}); ev != tc.wantCost {
					t.Errorf("Evaluate's cost = %.17g, want %.17g", ev, tc.wantCost)
				}
				// x = 1, so ∂C/∂b = ∂C/∂W = δ^(L).
				for i, want := range tc.wantDelta {
					for _, p := range []*Param{b, w} {
						if got := p.Grad.At(i, 0); got != want {
							t.Errorf("∂C/∂%s[%d] = %.17g, want %.17g", p.Name, i, got, want)
						}
					}
				}
			})
		}
	}
}

// The batch-norm recipe Dense(linear) → BatchNorm → Act(softmax) on the
// issue's numbers: γ = 0 and β = (0, 30) give z^(L) = BN(z) = (0, 30) for
// both samples of the batch, and ∂C/∂β is the mean of δ^(L) = a − ŷ.
func TestOutputErrorExactAfterBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	layers := outputEndings[2].build(1, 2, Softmax{}, rng)
	net := NewNetwork(CrossEntropy{}, layers...)
	bn := layers[1].(*BatchNorm)
	bn.Gamma.Value.Zero()
	bn.Beta.Value.Copy(mat.NewDense(2, 1, []float64{0, 30}))
	x := mat.NewDense(1, 2, []float64{1, -1})
	y := mat.NewDense(2, 2, []float64{1, 1, 0, 0})
	c := net.Gradient(x, y)
	if want := 30.000000000000092; c != want {
		t.Errorf("cost = %.17g, want %.17g", c, want)
	}
	for i, want := range []float64{-0.9999999999999064, 0.9999999999999065} {
		if got := bn.Beta.Grad.At(i, 0); got != want {
			t.Errorf("∂C/∂β[%d] = %.17g, want %.17g", i, got, want)
		}
	}
}

// costActPairs are the pairs of cost and output activation that the notes
// and notebook B use, with targets of the right kind for each.
var costActPairs = []struct {
	cost Cost
	act  Activation
	gen  func(rng *rand.Rand, r, m int) (a, y *mat.Dense)
}{
	{Quadratic{}, Linear{}, genReal},
	{Quadratic{}, Sigmoid{}, genProbabilities},
	{Quadratic{}, Softmax{}, genOneHot},
	{MAE{}, Linear{}, genReal},
	{Huber{}, Linear{}, genReal},
	{CrossEntropy{}, Softmax{}, genOneHot},
	{CrossEntropy{}, Softmax{}, genDistributions},
	{CrossEntropy{}, NewSoftmax(2), genOneHot},
	{CrossEntropy{}, Sigmoid{}, genProbabilities},
	{KL{}, Softmax{}, genDistributions},
	{KL{}, Sigmoid{}, genProbabilities},
	{BinaryCrossEntropy{}, Sigmoid{}, genProbabilities},
	{BinaryCrossEntropy{}, Sigmoid{}, genOneHot},
	{Hellinger{}, Sigmoid{}, genDistributions},
	{Hellinger{}, Softmax{}, genDistributions},
}

// Every pair, with every kind of last layer, at logits up to about ±40,
// where a rounds to 0 or 1: backpropagation against central differences
// of the network's cost.
func TestOutputErrorAtExtremeLogits(t *testing.T) {
	const nIn, nOut, m = 3, 4, 5
	for _, pc := range costActPairs {
		for _, e := range outputEndings {
			t.Run(fmt.Sprintf("%v+%v/%s", pc.cost, pc.act, e.name), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 6))
				layers := e.build(nIn, nOut, pc.act, rng)
				net := NewNetwork(pc.cost, layers...)
				// Large weights and biases spread z^(L) over about ±40.
				for _, p := range layers[0].Params() {
					p.Value.Apply(func(_, _ int, v float64) float64 { return 12 * rng.NormFloat64() }, p.Value)
				}
				if len(layers) < 3 {
					// no batch normalization
				} else if bn, ok := layers[1].(*BatchNorm); ok {
					for i := range nOut {
						bn.Gamma.Value.Set(i, 0, 15*rng.NormFloat64())
						bn.Beta.Value.Set(i, 0, 10*rng.NormFloat64())
					}
				}
				x := mat.NewDense(nIn, m, nil)
				x.Apply(func(_, _ int, _ float64) float64 { return rng.NormFloat64() }, x)
				_, y := pc.gen(rng, nOut, m)
				net.Forward(x, Training)
				zmax := 0.0
				z, _, _ := layers[len(layers)-1].(OutputLayer).Output()
				for _, v := range z.RawMatrix().Data {
					zmax = math.Max(zmax, math.Abs(v))
				}
				if zmax < 25 {
					t.Fatalf("largest |z| is %.3g: not extreme", zmax)
				}
				for _, c := range CheckGradients(net, x, y, 0) {
					// Central differences of a cost of order 10 with h = 1e-5
					// carry rounding noise of about 1e-10: gradients below
					// that (saturated outputs, the bias before batch
					// normalization) are compared absolutely. The clamp's
					// errors were of order 1.
					if c.MaxAbsErr < 1e-9 {
						continue
					}
					if c.RelErr > 1e-7 || math.IsNaN(c.RelErr) {
						t.Errorf("%s: relative error %.3g\nanalytic %.10g\nnumeric  %.10g", c.Param.Name, c.RelErr, c.Analytic, c.Numeric)
					}
				}
			})
		}
	}
}

// ValueFromZ is the cost itself: at moderate z, where a does not round to 0
// or 1, it agrees with Value(σ(z)).
func TestValueFromZMatchesValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, pc := range costActPairs {
		lc, ok := pc.cost.(LogitCost)
		if !ok {
			continue
		}
		z := randomZ(rng, 4, 3)
		a := mat.NewDense(4, 3, nil)
		pc.act.Apply(a, z)
		_, y := pc.gen(rng, 4, 3)
		got, ok := lc.ValueFromZ(z, a, y, pc.act)
		if !ok {
			t.Errorf("%v with %v: ValueFromZ reported false", pc.cost, pc.act)
			continue
		}
		if want := pc.cost.Value(a, y); math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
			t.Errorf("%v with %v: ValueFromZ = %.17g, Value = %.17g", pc.cost, pc.act, got, want)
		}
	}
	for _, tc := range []struct {
		cost LogitCost
		act  Activation
	}{
		{CrossEntropy{}, Tanh{}}, {KL{}, Linear{}}, {BinaryCrossEntropy{}, Softmax{}},
	} {
		if _, ok := tc.cost.ValueFromZ(mat.NewDense(2, 1, nil), mat.NewDense(2, 1, nil), mat.NewDense(2, 1, nil), tc.act); ok {
			t.Errorf("%v with %v: ValueFromZ reported true", tc.cost, tc.act)
		}
	}
}

// The softmax's factor c = 0 is a value (f_0 is uniform), not the sign of a
// sigmoid: the cost from z is ln n whatever z is.
func TestCostFromZWithSoftmaxFactorZero(t *testing.T) {
	for _, cost := range []Cost{CrossEntropy{}, KL{}} {
		d := NewDense(1, 2, NewSoftmax(0), InitScaled, rand.New(rand.NewPCG(1, 0)))
		d.W.Value.Zero()
		d.B.Value.SetCol(0, []float64{5, 30})
		net := NewNetwork(cost, d)
		x, y := mat.NewDense(1, 1, []float64{1}), mat.NewDense(2, 1, []float64{1, 0})
		if got, want := net.Loss(x, y), math.Ln2; math.Abs(got-want) > 1e-15 {
			t.Errorf("%v after NewSoftmax(0): C = %v, want ln 2 = %v", cost, got, want)
		}
	}
}
