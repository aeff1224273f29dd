package nn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// randomBatch returns m samples with n inputs in [−1, 1] and targets for
// the cost: one-hot columns for the classification costs, values in
// (0.05, 0.95) otherwise.
func randomBatch(rng *rand.Rand, n, k, m int, oneHot bool) (x, y *mat.Dense) {
	x = mat.NewDense(n, m, nil)
	for i := range n {
		for j := range m {
			x.Set(i, j, 2*rng.Float64()-1)
		}
	}
	y = mat.NewDense(k, m, nil)
	for j := range m {
		if oneHot {
			y.Set(rng.IntN(k), j, 1)
			continue
		}
		for i := range k {
			y.Set(i, j, 0.05+0.9*rng.Float64())
		}
	}
	return x, y
}

func TestNetworkGradientsMatchCentralDifferences(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sizes  []int
		cfg    MLPConfig
		oneHot bool
	}{
		{"one layer sigmoid quadratic", []int{3, 2}, MLPConfig{}, false},
		{"784-style sigmoid quadratic", []int{6, 5, 4}, MLPConfig{}, false},
		{"deep sigmoid quadratic", []int{4, 5, 5, 5, 5, 3}, MLPConfig{}, false},
		{"tanh hidden, linear out, quadratic", []int{4, 6, 2}, MLPConfig{Hidden: Tanh{}, Output: Linear{}}, false},
		{"swish hidden, huber", []int{3, 5, 2}, MLPConfig{Hidden: Swish{}, Output: Linear{}, Cost: Huber{Delta: 0.3}}, false},
		{"relu, He, softmax cross-entropy", []int{5, 7, 7, 4}, MLPConfig{Hidden: ReLU{}, Output: Softmax{}, Cost: CrossEntropy{}, Init: InitHe}, true},
		{"prelu, softmax c=2 cross-entropy", []int{5, 6, 3}, MLPConfig{Hidden: PReLU{A: 0.2}, Output: NewSoftmax(2), Cost: CrossEntropy{}}, true},
		{"sigmoid binary cross-entropy", []int{4, 6, 3}, MLPConfig{Cost: BinaryCrossEntropy{}}, false},
		{"sigmoid hidden, softmax KL", []int{4, 5, 3}, MLPConfig{Output: Softmax{}, Cost: KL{}, Init: InitXavier}, true},
		{"softmax hidden layer (Jacobian backprop), quadratic", []int{4, 5, 3}, MLPConfig{Hidden: Softmax{}, Output: Sigmoid{}}, false},
		{"sigmoid hellinger", []int{3, 4, 3}, MLPConfig{Cost: Hellinger{}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			net := NewMLP(tc.sizes, tc.cfg, rng)
			x, y := randomBatch(rng, tc.sizes[0], tc.sizes[len(tc.sizes)-1], 5, tc.oneHot)
			before := mat.DenseCopyOf(net.Params()[0].Value)
			for _, c := range CheckGradients(net, x, y, 0) {
				if c.RelErr > 1e-6 || math.IsNaN(c.RelErr) {
					t.Errorf("%s: relative error %.3g (max abs %.3g)\nanalytic %.6g\nnumeric  %.6g", c.Param.Name, c.RelErr, c.MaxAbsErr, c.Analytic, c.Numeric)
				}
			}
			if !mat.Equal(before, net.Params()[0].Value) {
				t.Error("CheckGradients changed the parameters")
			}
		})
	}
}

func TestCheckGradientsDetectsAWrongGradient(t *testing.T) {
	// A cost whose Grad is off by a factor of 2 must fail the check.
	rng := rand.New(rand.NewPCG(1, 1))
	net := NewMLP([]int{3, 4, 2}, MLPConfig{Cost: doubledGrad{Quadratic{}}}, rng)
	x, y := randomBatch(rng, 3, 2, 4, false)
	for _, c := range CheckGradients(net, x, y, 0) {
		if c.RelErr < 0.1 {
			t.Errorf("%s: relative error %.3g, want a clear failure", c.Param.Name, c.RelErr)
		}
	}
}

type doubledGrad struct{ Cost }

func (d doubledGrad) Grad(da, a, y *mat.Dense) {
	d.Cost.Grad(da, a, y)
	da.Scale(2, da)
}

func TestMinibatchGradientIsMeanOfSampleGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	net := NewMLP([]int{4, 5, 3}, MLPConfig{}, rng)
	x, y := randomBatch(rng, 4, 3, 6, false)
	net.Gradient(x, y)
	batch := gradCopy(net)
	mean := make([][]float64, len(batch))
	for j := range 6 {
		xj := mat.DenseCopyOf(x.Slice(0, 4, j, j+1))
		yj := mat.DenseCopyOf(y.Slice(0, 3, j, j+1))
		net.Gradient(xj, yj)
		for i, g := range gradCopy(net) {
			if mean[i] == nil {
				mean[i] = make([]float64, len(g))
			}
			for k := range g {
				mean[i][k] += g[k] / 6
			}
		}
	}
	for i := range batch {
		if re := VectorRelativeError(batch[i], mean[i]); re > 1e-12 {
			t.Errorf("param %d: batch gradient vs mean of per-sample gradients: relative error %g", i, re)
		}
	}
}

func gradCopy(n *Network) [][]float64 {
	var out [][]float64
	for _, p := range n.Params() {
		out = append(out, append([]float64(nil), p.Grad.RawMatrix().Data...))
	}
	return out
}

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

func TestParamsNamesAndKinds(t *testing.T) {
	net := NewMLP([]int{784, 30, 10}, MLPConfig{}, rand.New(rand.NewPCG(1, 2)))
	var names []string
	for _, p := range net.Params() {
		names = append(names, p.Name+":"+p.Kind.String())
	}
	if got, want := strings.Join(names, " "), "W1:weight b1:bias W2:weight b2:bias"; got != want {
		t.Errorf("params %q, want %q", got, want)
	}
	if got, want := net.NumParams(), 784*30+30+30*10+10; got != want {
		t.Errorf("NumParams = %d, want %d", got, want)
	}
}

func TestInitStatistics(t *testing.T) {
	const nIn, nOut = 400, 300
	for _, tc := range []struct {
		init       Init
		wStd, bStd float64
	}{
		{InitScaled, 1 / math.Sqrt(nIn), 1},
		{InitNormal, 1, 1},
		{InitXavier, math.Sqrt(2.0 / (nIn + nOut)), 0},
		{InitHe, math.Sqrt(2.0 / nIn), 0},
	} {
		d := NewDense(nIn, nOut, nil, tc.init, rand.New(rand.NewPCG(5, 5)))
		if got := std(d.W.Value.RawMatrix().Data); math.Abs(got/tc.wStd-1) > 0.02 {
			t.Errorf("%v: weight std %.4g, want %.4g", tc.init, got, tc.wStd)
		}
		if got := std(d.B.Value.RawMatrix().Data); math.Abs(got-tc.bStd) > 0.15 {
			t.Errorf("%v: bias std %.4g, want %.4g", tc.init, got, tc.bStd)
		}
	}
}

func std(v []float64) float64 {
	s, s2 := 0.0, 0.0
	for _, x := range v {
		s += x
		s2 += x * x
	}
	n := float64(len(v))
	return math.Sqrt(s2/n - (s/n)*(s/n))
}

func TestSGDStep(t *testing.T) {
	p := newParam("W", Weight, 1, 3)
	p.Value.SetRow(0, []float64{1, 2, 3})
	p.Grad.SetRow(0, []float64{0.5, -1, 0})
	NewSGD(0.1).Step([]*Param{p})
	want := []float64{0.95, 2.1, 3}
	for i, w := range want {
		if math.Abs(p.Value.At(0, i)-w) > 1e-15 {
			t.Errorf("θ_%d = %v, want %v", i, p.Value.At(0, i), w)
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	a := NewMLP([]int{5, 4, 3}, MLPConfig{}, rng)
	b := NewMLP([]int{5, 4, 3}, MLPConfig{}, rng)
	path := filepath.Join(t.TempDir(), "sub", "net.gob")
	if err := a.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if err := b.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Params() {
		if !mat.Equal(p.Value, b.Params()[i].Value) {
			t.Errorf("%s differs after load", p.Name)
		}
	}
}

func TestLoadRejectsOtherArchitecture(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	a := NewMLP([]int{5, 4, 3}, MLPConfig{}, rng)
	b := NewMLP([]int{5, 6, 3}, MLPConfig{}, rng)
	before := mat.DenseCopyOf(b.Params()[0].Value)
	var buf bytes.Buffer
	if err := a.Save(&buf); err != nil {
		t.Fatal(err)
	}
	err := b.Load(&buf)
	if err == nil || !strings.Contains(err.Error(), "W1 (4×5)") {
		t.Errorf("Load error = %v, want a message naming W1 (4×5)", err)
	}
	if !mat.Equal(before, b.Params()[0].Value) {
		t.Error("a failed Load changed the network")
	}
	if err := b.LoadFile(filepath.Join(t.TempDir(), "missing.gob")); err == nil || !strings.Contains(err.Error(), "missing.gob") {
		t.Errorf("LoadFile of a missing file: %v, want an error naming it", err)
	}
}

func TestShapeMisusePanics(t *testing.T) {
	net := NewMLP([]int{3, 4, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"input rows", func() { net.Forward(mat.NewDense(4, 2, nil), Inference) }, "input has 4 rows, layer expects 3"},
		{"target shape", func() { net.Forward(mat.NewDense(3, 2, nil), Training); net.Backward(mat.NewDense(3, 2, nil)) }, "shape mismatch: 2×2 and 3×2"},
		{"MLP sizes", func() { NewMLP([]int{3}, MLPConfig{}, rand.New(rand.NewPCG(1, 1))) }, "need at least an input and an output size"},
		{"nil rng", func() { NewMLP([]int{3, 2}, MLPConfig{}, nil) }, "nil *rand.Rand"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantPanic(t, tc.want, tc.f) })
	}
}

// xorData returns the four XOR points, repeated.
func xorData(repeat int) *Dataset {
	x := mat.NewDense(2, 4*repeat, nil)
	labels := make([]int, 4*repeat)
	for r := range repeat {
		for k, p := range [][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
			j := 4*r + k
			x.Set(0, j, p[0])
			x.Set(1, j, p[1])
			labels[j] = int(p[0]) ^ int(p[1])
		}
	}
	return &Dataset{X: x, Y: OneHot(labels, 2), Labels: labels}
}

func TestTrainLearnsXOR(t *testing.T) {
	data := xorData(25)
	net := NewMLP([]int{2, 8, 2}, MLPConfig{Hidden: Tanh{}, Output: Softmax{}, Cost: CrossEntropy{}}, rand.New(rand.NewPCG(2, 2)))
	var batches int
	hist, err := Train(context.Background(), net, data, TrainConfig{
		Epochs: 200, BatchSize: 10, Optimizer: &SGD{Eta: 0.5}, Validation: data,
		OnBatch: func(BatchInfo) { batches++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 200 || batches != 200*10 {
		t.Errorf("%d epochs and %d batch callbacks, want 200 and 2000", len(hist), batches)
	}
	if acc := hist.Last().ValidationAccuracy; acc != 1 {
		t.Errorf("XOR accuracy %v after training, want 1", acc)
	}
	if hist.Last().TrainCost >= hist[0].TrainCost/10 {
		t.Errorf("cost fell only from %v to %v", hist[0].TrainCost, hist.Last().TrainCost)
	}
	conf := net.Confusion(data)
	if conf.At(0, 0) != 50 || conf.At(1, 1) != 50 {
		t.Errorf("confusion matrix %v, want diag(50, 50)", mat.Formatted(conf))
	}
}

func TestTrainIsReproducible(t *testing.T) {
	run := func(seed uint64) float64 {
		net := NewMLP([]int{2, 4, 2}, MLPConfig{}, rand.New(rand.NewPCG(seed, 0)))
		h, err := Train(context.Background(), net, xorData(5), TrainConfig{Epochs: 3, Optimizer: &SGD{Eta: 1}, Rand: rand.New(rand.NewPCG(seed, 1))})
		if err != nil {
			t.Fatal(err)
		}
		return h.Last().TrainCost
	}
	if a, b := run(1), run(1); a != b {
		t.Errorf("same seed gave %v and %v", a, b)
	}
	if a, b := run(1), run(2); a == b {
		t.Errorf("different seeds gave the same cost %v", a)
	}
}

func TestTrainStopsOnNonFiniteCost(t *testing.T) {
	// A linear output with η = 10⁶ overshoots further at every step until
	// the cost overflows.
	net := NewMLP([]int{2, 4, 2}, MLPConfig{Output: Linear{}}, rand.New(rand.NewPCG(1, 1)))
	// Parameters at the end of an epoch are those at the start of the next.
	var atEpochStart *mat.Dense
	hist, err := Train(context.Background(), net, xorData(10), TrainConfig{Epochs: 100, Optimizer: &SGD{Eta: 1e6},
		OnEpoch: func(EpochStats) { atEpochStart = mat.DenseCopyOf(net.Params()[0].Value) },
	})
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), fmt.Sprintf("in epoch %d at minibatch", len(hist)+1)) {
		t.Fatalf("error %v after %d epochs, want ErrNonFinite naming the epoch and minibatch", err, len(hist))
	}
	if len(hist) == 0 {
		t.Fatal("cost overflowed in the first epoch; the test needs a later epoch")
	}
	if !mat.Equal(atEpochStart, net.Params()[0].Value) {
		t.Error("parameters were not restored to the start of the failed epoch")
	}
}

func TestTrainHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	net := NewMLP([]int{2, 4, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	hist, err := Train(ctx, net, xorData(10), TrainConfig{Epochs: 100, Optimizer: &SGD{Eta: 0}, OnEpoch: func(s EpochStats) {
		if s.Epoch == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || len(hist) != 3 {
		t.Errorf("got %d epochs and error %v, want 3 epochs and context.Canceled", len(hist), err)
	}
}

func TestTrainRejectsBadData(t *testing.T) {
	net := NewMLP([]int{2, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	bad := &Dataset{X: mat.NewDense(2, 5, nil), Y: mat.NewDense(2, 4, nil)}
	if _, err := Train(context.Background(), net, bad, TrainConfig{Optimizer: &SGD{}}); err == nil || !strings.Contains(err.Error(), "5 inputs") {
		t.Errorf("error %v, want one naming the 5 inputs vs 4 targets", err)
	}
}

// TestTrainMNISTSubset trains Nielsen's 784-30-10 network (sigmoid,
// quadratic cost, η = 3, minibatch 10) for 3 epochs on 5,000 MNIST images;
// it must classify at least 88% of 1,000 validation images correctly.
func TestTrainMNISTSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	data, err := LoadMNIST(MNISTConfig{TrainSize: 5000, ValidationSize: 1000, TestSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	net := NewMLP([]int{784, 30, 10}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	hist, err := Train(context.Background(), net, data.Train, TrainConfig{Epochs: 3, Optimizer: &SGD{Eta: 3}, Validation: data.Validation})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range hist {
		t.Logf("epoch %d: training cost %.4f, validation accuracy %.2f%%", s.Epoch, s.TrainCost, 100*s.ValidationAccuracy)
	}
	if acc := hist.Last().ValidationAccuracy; acc < 0.88 {
		t.Errorf("validation accuracy %.2f%%, want at least 88%%", 100*acc)
	}
}
