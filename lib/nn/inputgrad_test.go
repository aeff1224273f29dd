package nn

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// Network.InputGradient against central differences of the Replay cost
// in every entry of x, through each path of Backward (a DeltaCost at the
// end or Cost.Grad, one layer or several) and through layers that couple
// the samples (batch normalization) or draw masks (dropout).
func TestInputGradientMatchesCentralDifferences(t *testing.T) {
	for _, tc := range []struct {
		name   string
		net    func(rng *rand.Rand) *Network
		n, k   int
		oneHot bool
	}{
		{"one layer, quadratic (Cost.Grad)", func(rng *rand.Rand) *Network {
			return NewNetwork(Quadratic{}, NewDense(3, 2, Sigmoid{}, InitScaled, rng))
		}, 3, 2, false},
		{"one layer, softmax cross-entropy (DeltaCost)", func(rng *rand.Rand) *Network {
			return NewNetwork(CrossEntropy{}, NewDense(4, 3, Softmax{}, InitScaled, rng))
		}, 4, 3, true},
		{"sigmoid MLP, quadratic", func(rng *rand.Rand) *Network {
			return NewMLP([]int{4, 5, 5, 2}, MLPConfig{}, rng)
		}, 4, 2, false},
		{"tanh MLP, softmax cross-entropy", func(rng *rand.Rand) *Network {
			return NewMLP([]int{5, 6, 3}, MLPConfig{Hidden: Tanh{}, Output: Softmax{}, Cost: CrossEntropy{}}, rng)
		}, 5, 3, true},
		{"batch normalization (the samples interact)", func(rng *rand.Rand) *Network {
			return NewNetwork(CrossEntropy{},
				NewDense(3, 4, Linear{}, InitScaled, rng), NewBatchNorm(4, nil), NewAct(Tanh{}),
				NewDense(4, 2, Softmax{}, InitScaled, rng))
		}, 3, 2, true},
		{"dropout first, then a sigmoid layer", func(rng *rand.Rand) *Network {
			return NewNetwork(Quadratic{}, NewDropout(0.6, Inverted, rng), NewDense(4, 3, Sigmoid{}, InitScaled, rng))
		}, 4, 3, false},
		{"conv, pool, act, dense", func(rng *rand.Rand) *Network {
			c := NewConv(ConvConfig{Input: Shape{5, 5, 2}, Filters: 3, FilterH: 2, Act: Linear{}}, rng)
			p := NewPool(PoolConfig{Input: c.Out, Kind: AvgPool, SizeH: 2})
			return NewNetwork(CrossEntropy{}, c, p, NewAct(Tanh{}), NewDense(p.Out.Len(), 2, Softmax{}, InitScaled, rng))
		}, 50, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(len(tc.name))))
			net := tc.net(rng)
			x, y := randomBatch(rng, tc.n, tc.k, 4, tc.oneHot)
			dx, cost := net.InputGradient(x, y)
			if r, c := dx.Dims(); r != tc.n || c != 4 {
				t.Fatalf("∂C/∂x is %d×%d, want %d×4 like x", r, c, tc.n)
			}
			// The cost of the pass is the Replay cost at x (same masks and
			// batch statistics), the function differentiated below.
			replay := func(v []float64) float64 {
				return net.OutputCost(net.Forward(mat.NewDense(tc.n, 4, v), Replay), y)
			}
			xv := mat.DenseCopyOf(x).RawMatrix().Data
			if got := replay(xv); !scalar.EqualWithinAbsOrRel(got, cost, 1e-14, 1e-14) {
				t.Errorf("cost %v, Replay cost at x %v", cost, got)
			}
			numeric := NumericGradient(nil, replay, xv, 0)
			if floats.Norm(numeric, 2) == 0 {
				t.Fatal("the cost does not depend on x: a weak test")
			}
			if e := flooredRelativeError(dx.RawMatrix().Data, numeric); e > 1e-7 {
				t.Errorf("relative error %.2g against central differences\n∂C/∂x %v\nnumeric %v", e, dx.RawMatrix().Data, numeric)
			}
		})
	}
}

// For one linear layer and the quadratic cost, ∂C/∂x = (1/m) Wᵀ (W x + b − ŷ)
// exactly; InputGradient also leaves the parameters' gradients that
// Gradient leaves, and does not change what Gradient computes afterwards.
func TestInputGradientLinearLayer(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	d := NewDense(3, 2, Linear{}, InitScaled, rng)
	net := NewNetwork(Quadratic{}, d)
	x, y := randomBatch(rng, 3, 2, 5, false)
	var r, want mat.Dense
	r.Mul(d.W.Value, x)
	for j := range 5 {
		for i := range 2 {
			r.Set(i, j, r.At(i, j)+d.B.Value.At(i, 0)-y.At(i, j))
		}
	}
	want.Mul(d.W.Value.T(), &r)
	want.Scale(1.0/5, &want)
	got, cost := net.InputGradient(x, y)
	if !mat.EqualApprox(got, &want, 1e-14) {
		t.Errorf("∂C/∂x =\n%v\nwant (1/m) Wᵀ (W x + b − ŷ) =\n%v", mat.Formatted(got), mat.Formatted(&want))
	}
	grads := FlatGrads(nil, net.Params())
	if c := net.Gradient(x, y); c != cost || !floats.Equal(FlatGrads(nil, net.Params()), grads) {
		t.Errorf("Gradient after InputGradient: cost %v and gradients %v, want %v and %v", c, FlatGrads(nil, net.Params()), cost, grads)
	}
	if net.inputGrad {
		t.Error("InputGradient left its request for ∂C/∂x behind")
	}
}
