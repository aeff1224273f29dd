package nn

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// bnNet returns n_0-h-k with batch normalization between W a + b and σ in
// the hidden layer, γ and β away from their initial 1 and 0.
func bnNet(rng *rand.Rand, n0, h, k int) (*Network, *BatchNorm) {
	bn := NewBatchNorm(h, nil)
	for i := range h {
		bn.Gamma.Value.Set(i, 0, 0.5+rng.Float64())
		bn.Beta.Value.Set(i, 0, rng.NormFloat64())
	}
	net := NewNetwork(BinaryCrossEntropy{},
		NewDense(n0, h, Linear{}, InitScaled, rng), bn, NewAct(Tanh{}),
		NewDense(h, k, Sigmoid{}, InitScaled, rng))
	return net, bn
}

// In training mode every output depends on the whole batch through μ and
// σ²; a Training forward pass recomputes them at every perturbation.
func TestBatchNormGradientTrainingMode(t *testing.T) {
	for _, m := range []int{2, 3, 8} {
		rng := rand.New(rand.NewPCG(2, uint64(m)))
		net, _ := bnNet(rng, 4, 5, 3)
		x, y := randomBatch(rng, 4, 3, m, false)
		net.Gradient(x, y)
		// BN subtracts the batch mean, so the bias b before it cancels.
		if g := mat.Norm(net.Params()[1].Grad, math.Inf(1)); g > 1e-12 {
			t.Errorf("m = %d: ∂C/∂b before batch normalization = %v, want 0", m, g)
		}
		checkNumeric(t, net, func() float64 { return net.Cost.Value(net.Forward(x, Training), y) })
	}
}

// In inference mode the running statistics are constants.
func TestBatchNormGradientInferenceMode(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	net, bn := bnNet(rng, 4, 5, 3)
	bn.RunningMean.Set(1, 0, 0.3)
	bn.RunningVar.Set(2, 0, 2.5)
	x, y := randomBatch(rng, 4, 3, 6, false)
	net.Forward(x, Inference)
	net.Backward(y)
	checkNumeric(t, net, func() float64 { return net.Loss(x, y) })
}

func TestBatchNormTrainingStatistics(t *testing.T) {
	const n, m = 3, 500
	rng := rand.New(rand.NewPCG(1, 1))
	bn := NewBatchNorm(n, nil)
	gamma := []float64{1, 2.5, 0.3}
	beta := []float64{0, -1, 4}
	bn.Gamma.Value.SetCol(0, gamma)
	bn.Beta.Value.SetCol(0, beta)
	z := mat.NewDense(n, m, nil)
	for i := range n {
		for j := range m {
			z.Set(i, j, 10*float64(i)-3+float64(i+1)*rng.ExpFloat64()) // skewed, off-centre
		}
	}
	out := bn.Forward(z, Training)
	for i := range n {
		row := mat.Row(nil, i, out)
		mean, std := stat.PopMeanStdDev(row, nil)
		zr := mat.Row(nil, i, z)
		_, v := stat.PopMeanVariance(zr, nil)
		wantStd := gamma[i] * math.Sqrt(v/(v+bn.Eps))
		if math.Abs(mean-beta[i]) > 1e-12 || math.Abs(std-wantStd) > 1e-12 {
			t.Errorf("neuron %d: mean %v, std %v; want β = %v, γ√(σ²/(σ²+ε)) = %v", i, mean, std, beta[i], wantStd)
		}
		if math.Abs(bn.Mean.At(i, 0)-stat.Mean(zr, nil)) > 1e-12 || math.Abs(bn.Var.At(i, 0)-v) > 1e-12 {
			t.Errorf("neuron %d: batch statistics %v, %v, want %v, %v", i, bn.Mean.At(i, 0), bn.Var.At(i, 0), stat.Mean(zr, nil), v)
		}
	}
}

// After warm-up on batches from a fixed distribution, the running averages
// estimate its mean and variance, and inference normalizes with them.
func TestBatchNormInferenceAfterWarmUp(t *testing.T) {
	const n, m = 2, 32
	mu := []float64{5, -2}
	sd := []float64{3, 0.5}
	rng := rand.New(rand.NewPCG(3, 3))
	bn := NewBatchNorm(n, &BatchNormConfig{Eps: DefaultBatchNormEps, Momentum: 0.05})
	bn.Gamma.Value.SetCol(0, []float64{2, 1})
	bn.Beta.Value.SetCol(0, []float64{1, -1})
	batch := func(m int) *mat.Dense {
		z := mat.NewDense(n, m, nil)
		for i := range n {
			for j := range m {
				z.Set(i, j, mu[i]+sd[i]*rng.NormFloat64())
			}
		}
		return z
	}
	for range 400 {
		bn.Forward(batch(m), Training)
	}
	for i := range n {
		if re := RelativeError(bn.RunningMean.At(i, 0), mu[i]); re > 0.05 {
			t.Errorf("running mean %d = %v, want ≈ %v", i, bn.RunningMean.At(i, 0), mu[i])
		}
		if re := RelativeError(bn.RunningVar.At(i, 0), sd[i]*sd[i]); re > 0.15 {
			t.Errorf("running variance %d = %v, want ≈ %v", i, bn.RunningVar.At(i, 0), sd[i]*sd[i])
		}
	}
	// One sample at a time in inference: no batch statistics involved.
	out := bn.Forward(batch(4000), Inference)
	for i := range n {
		mean, std := stat.PopMeanStdDev(mat.Row(nil, i, out), nil)
		b, g := bn.Beta.Value.At(i, 0), bn.Gamma.Value.At(i, 0)
		if math.Abs(mean-b) > 0.1*g || math.Abs(std-g) > 0.1*g {
			t.Errorf("inference neuron %d: mean %v, std %v, want ≈ β = %v, γ = %v", i, mean, std, b, g)
		}
	}
	single := bn.Forward(mat.NewDense(n, 1, []float64{mu[0], mu[1]}), Inference)
	if math.Abs(single.At(0, 0)-1) > 0.2 {
		t.Errorf("inference of one sample at the mean gives %v, want ≈ β = 1", single.At(0, 0))
	}
}

func TestBatchNormStateIsSaved(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	net, bn := bnNet(rng, 3, 4, 2)
	x, y := randomBatch(rng, 3, 2, 10, false)
	for range 5 {
		net.Gradient(x, y)
	}
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	other, obn := bnNet(rand.New(rand.NewPCG(1, 1)), 3, 4, 2)
	if err := other.Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(bn.RunningMean, obn.RunningMean) || !mat.Equal(bn.RunningVar, obn.RunningVar) {
		t.Error("running statistics were not restored")
	}
	if a, b := net.Loss(x, y), other.Loss(x, y); a != b {
		t.Errorf("inference cost %v after loading, %v before", b, a)
	}
	// A network without batch normalization cannot take this file.
	plain := NewMLP([]int{3, 4, 2}, MLPConfig{}, rng)
	if err := plain.Load(bytes.NewReader(buf.Bytes())); err == nil {
		t.Error("loaded a batch-normalized network into a plain one")
	}
}

func TestActLayerEqualsDenseActivation(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	a := NewDense(3, 4, Tanh{}, InitScaled, rng)
	b := NewDense(3, 4, Linear{}, InitScaled, rng)
	b.W.Value.Copy(a.W.Value)
	b.B.Value.Copy(a.B.Value)
	netA := NewNetwork(Quadratic{}, a)
	netB := NewNetwork(Quadratic{}, b, NewAct(Tanh{}))
	x, y := randomBatch(rng, 3, 4, 5, false)
	ca, cb := netA.Gradient(x, y), netB.Gradient(x, y)
	if math.Abs(ca-cb) > 1e-15 || !mat.EqualApprox(a.W.Grad, b.W.Grad, 1e-15) || !mat.EqualApprox(a.B.Grad, b.B.Grad, 1e-15) {
		t.Errorf("Dense(tanh) and Dense(linear) → Act(tanh) differ: cost %v vs %v", ca, cb)
	}
}

func TestBatchNormMisusePanics(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"no neurons", "must be positive", func() { NewBatchNorm(0, nil) }},
		{"negative ε", "ε ≥ 0", func() { NewBatchNorm(2, &BatchNormConfig{Eps: -1}) }},
		{"momentum above 1", "0 ≤ momentum ≤ 1", func() { NewBatchNorm(2, &BatchNormConfig{Momentum: 1.5}) }},
		{"wrong rows", "input has 3 rows", func() { NewBatchNorm(2, nil).Forward(ones(3, 4), Training) }},
		{"one sample", "at least 2 samples", func() { NewBatchNorm(2, nil).Forward(ones(2, 1), Training) }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantPanic(t, tc.want, tc.f) })
	}
}

// Zero is a value for both settings: ε = 0 normalizes by σ exactly, and
// momentum 0 leaves the running statistics at their initial 0 and 1; a nil
// config gives the documented defaults.
func TestBatchNormConfigZeroIsAValue(t *testing.T) {
	z := mat.NewDense(1, 4, []float64{1, 2, 3, 6}) // μ = 3, σ² = 3.5
	for _, tc := range []struct {
		name         string
		cfg          *BatchNormConfig
		eps, mom     float64
		out0         float64 // BN(z₀) with γ = 1, β = 0
		runMean, run float64 // running mean and variance after one pass
	}{
		{"nil: defaults", nil, 1e-5, 0.1, -2 / math.Sqrt(3.5+1e-5), 0.3, 0.9 + 0.1*3.5*4/3},
		{"ε = 0", &BatchNormConfig{Eps: 0, Momentum: 0.1}, 0, 0.1, -2 / math.Sqrt(3.5), 0.3, 0.9 + 0.1*3.5*4/3},
		{"momentum 0", &BatchNormConfig{Eps: 1e-5, Momentum: 0}, 1e-5, 0, -2 / math.Sqrt(3.5+1e-5), 0, 1},
		{"momentum 1", &BatchNormConfig{Eps: 1e-5, Momentum: 1}, 1e-5, 1, -2 / math.Sqrt(3.5+1e-5), 3, 3.5 * 4 / 3},
	} {
		bn := NewBatchNorm(1, tc.cfg)
		if bn.Eps != tc.eps || bn.Momentum != tc.mom {
			t.Errorf("%s: ε = %v, momentum = %v; want %v, %v", tc.name, bn.Eps, bn.Momentum, tc.eps, tc.mom)
		}
		out := bn.Forward(z, Training)
		if got := out.At(0, 0); math.Abs(got-tc.out0) > 1e-15 {
			t.Errorf("%s: BN(z₀) = %v, want %v", tc.name, got, tc.out0)
		}
		if got := bn.RunningMean.At(0, 0); math.Abs(got-tc.runMean) > 1e-15 {
			t.Errorf("%s: running mean = %v, want %v", tc.name, got, tc.runMean)
		}
		if got := bn.RunningVar.At(0, 0); math.Abs(got-tc.run) > 1e-14 {
			t.Errorf("%s: running variance = %v, want %v", tc.name, got, tc.run)
		}
	}
}
