package nn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// epochRate is a Schedule that returns eta·epoch, so a test can see which
// epoch set the rate.
type epochRate struct{}

func (epochRate) Rate(eta float64, s TrainStep) float64 { return eta * float64(s.Epoch) }

func TestTrainScheduleSetsRateEveryEpoch(t *testing.T) {
	net := NewMLP([]int{2, 4, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	sgd := &SGD{Eta: 0.5}
	var got []float64
	_, err := Train(context.Background(), net, xorData(5), TrainConfig{Epochs: 3, Optimizer: sgd, Schedule: epochRate{},
		OnBatch: func(b BatchInfo) {
			if b.Batch == 1 {
				got = append(got, sgd.Eta)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5, 1, 1.5}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("rates %v, want %v", got, want)
	}
	if sgd.Eta != 0.5 {
		t.Errorf("base rate after training %v, want it restored to 0.5", sgd.Eta)
	}
}

// fixedStep is an optimizer without a learning rate to set: θ ← θ − g/10.
type fixedStep struct{}

func (fixedStep) Step(params []*Param) {
	for _, p := range params {
		p.Value.Apply(func(i, j int, v float64) float64 { return v - p.Grad.At(i, j)/10 }, p.Value)
	}
}

func TestTrainScheduleNeedsSettableRate(t *testing.T) {
	for _, opt := range []Optimizer{fixedStep{}, &WeightDecay{Optimizer: fixedStep{}}} {
		net := NewMLP([]int{2, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
		_, err := Train(context.Background(), net, xorData(2), TrainConfig{Optimizer: opt, Schedule: epochRate{}})
		if err == nil || !strings.Contains(err.Error(), "LearningRater") {
			t.Errorf("%T: error %v, want one saying the optimizer's rate cannot be set", opt, err)
		}
	}
	// Without a Schedule it trains, and reports no rate.
	net := NewMLP([]int{2, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	hist, err := Train(context.Background(), net, xorData(2), TrainConfig{Optimizer: fixedStep{}})
	if err != nil || !math.IsNaN(hist.Last().FirstEta) {
		t.Errorf("without a Schedule: error %v, reported η = %v; want no error and NaN", err, hist.Last().FirstEta)
	}
}

func TestTrainPanicsWithoutOptimizer(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "nn: Train: TrainConfig.Optimizer is nil") {
			t.Errorf("recovered %v, want a panic naming the nil Optimizer", r)
		}
	}()
	net := NewMLP([]int{2, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	Train(context.Background(), net, xorData(2), TrainConfig{Epochs: 1})
}

// halfSquares is the penalty (λ/2n) Σ w² over the weights.
type halfSquares struct{ lambda float64 }

func (r halfSquares) Penalty(params []*Param, n int) float64 {
	s := 0.0
	for _, p := range params {
		if p.Kind == Weight {
			s += mat.Norm(p.Value, 2) * mat.Norm(p.Value, 2)
		}
	}
	return r.lambda / (2 * float64(n)) * s
}

func (r halfSquares) AddGrad(params []*Param, n int) {
	for _, p := range params {
		if p.Kind == Weight {
			p.Grad.Add(p.Grad, scaled(r.lambda/float64(n), p.Value))
		}
	}
}

func scaled(f float64, m *mat.Dense) *mat.Dense {
	var s mat.Dense
	s.Scale(f, m)
	return &s
}

// TestTrainAppliesRegularizer compares one full-batch step with and without
// an L2 penalty: the weights must differ by exactly η·(λ/n)·W, the biases
// not at all, and the reported cost by the penalty.
func TestTrainAppliesRegularizer(t *testing.T) {
	data := xorData(1) // 4 samples, one minibatch
	step := func(reg Regularizer) (*Network, History) {
		net := NewMLP([]int{2, 3, 2}, MLPConfig{}, rand.New(rand.NewPCG(3, 3)))
		h, err := Train(context.Background(), net, data, TrainConfig{BatchSize: 4, Optimizer: &SGD{Eta: 0.5}, Regularizer: reg})
		if err != nil {
			t.Fatal(err)
		}
		return net, h
	}
	before := NewMLP([]int{2, 3, 2}, MLPConfig{}, rand.New(rand.NewPCG(3, 3)))
	plain, hp := step(nil)
	reg, hr := step(halfSquares{lambda: 2})
	n := float64(data.Len())
	for i, p := range reg.Params() {
		w0, w1 := before.Params()[i].Value, plain.Params()[i].Value
		for r := range p.Value.RawMatrix().Rows {
			for c := range p.Value.RawMatrix().Cols {
				want := w1.At(r, c)
				if p.Kind == Weight {
					want -= 0.5 * 2 / n * w0.At(r, c)
				}
				if d := math.Abs(p.Value.At(r, c) - want); d > 1e-12 {
					t.Fatalf("%s[%d,%d] = %v, want %v", p.Name, r, c, p.Value.At(r, c), want)
				}
			}
		}
	}
	pen := halfSquares{lambda: 2}.Penalty(before.Params(), data.Len())
	if math.Abs(hr[0].TrainCost-hp[0].TrainCost-pen) > 1e-12 {
		t.Errorf("training cost %v with the penalty, %v without; want them %v apart", hr[0].TrainCost, hp[0].TrainCost, pen)
	}
}

func TestHistoryBest(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		h    History
		want int
	}{
		{"empty", nil, 0},
		{"not validated", History{{Epoch: 1, ValidationAccuracy: nan, ValidationCost: nan}}, 0},
		{"highest accuracy, earliest tie", History{{Epoch: 1, ValidationAccuracy: 0.5}, {Epoch: 2, ValidationAccuracy: 0.9}, {Epoch: 3, ValidationAccuracy: 0.9}}, 2},
		{"lowest cost without labels", History{{Epoch: 1, ValidationAccuracy: nan, ValidationCost: 3}, {Epoch: 2, ValidationAccuracy: nan, ValidationCost: 1}, {Epoch: 3, ValidationAccuracy: nan, ValidationCost: 2}}, 2},
	}
	for _, tt := range tests {
		if got := tt.h.Best(); got != tt.want {
			t.Errorf("%s: Best() = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// flippedXOR returns the XOR data set and a copy of it with every label
// flipped: a network trained on the copy gets worse on the original as it
// learns, so that validation accuracy peaks early.
func flippedXOR(repeat int) (train, flipped *Dataset) {
	train, flipped = xorData(repeat), xorData(repeat)
	for j, l := range train.Labels {
		flipped.Labels[j] = 1 - l
		flipped.Y.Set(l, j, 0)
		flipped.Y.Set(1-l, j, 1)
	}
	return train, flipped
}

// trainToEarlyStop trains net for at most 200 epochs on flipped, validated
// on train, with early stopping after patience epochs, and returns the
// history and snapshot() taken after the epoch of best validation
// accuracy.
func trainToEarlyStop(t *testing.T, net *Network, train, flipped *Dataset, patience int, snapshot func() *mat.Dense) (History, *mat.Dense) {
	t.Helper()
	var atBest *mat.Dense
	bestAcc := -1.0
	hist, err := Train(context.Background(), net, flipped, TrainConfig{
		Epochs: 200, Optimizer: &SGD{Eta: 0.5}, Validation: train, EarlyStopping: &EarlyStopping{Patience: patience},
		OnEpoch: func(s EpochStats) {
			if s.ValidationAccuracy > bestAcc {
				bestAcc, atBest = s.ValidationAccuracy, snapshot()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return hist, atBest
}

// TestTrainEarlyStopping checks the stop epoch and that the best weights
// came back.
func TestTrainEarlyStopping(t *testing.T) {
	train, flipped := flippedXOR(5)
	net := NewMLP([]int{2, 8, 2}, MLPConfig{Hidden: Tanh{}, Output: Softmax{}, Cost: CrossEntropy{}}, rand.New(rand.NewPCG(2, 2)))
	hist, atBest := trainToEarlyStop(t, net, train, flipped, 4, func() *mat.Dense { return mat.DenseCopyOf(net.Params()[0].Value) })
	best := hist.Best()
	if len(hist) == 200 || len(hist) != best+4 {
		t.Fatalf("stopped after %d epochs with the best at %d, want best+4", len(hist), best)
	}
	if !mat.Equal(atBest, net.Params()[0].Value) {
		t.Error("weights of the best epoch were not restored")
	}
	if _, err := Train(context.Background(), net, train, TrainConfig{Optimizer: &SGD{}, EarlyStopping: &EarlyStopping{}}); err == nil || !strings.Contains(err.Error(), "Validation") {
		t.Errorf("error %v, want one asking for a validation set", err)
	}
}

// TestTrainEarlyStoppingRestoresRunningStatistics checks that early stopping
// brings back BatchNorm's running mean of the best epoch with its weights:
// inference uses both.
func TestTrainEarlyStoppingRestoresRunningStatistics(t *testing.T) {
	train, flipped := flippedXOR(5)
	rng := rand.New(rand.NewPCG(4, 4))
	bn := NewBatchNorm(8, nil)
	net := NewNetwork(CrossEntropy{}, NewDense(2, 8, Linear{}, InitXavier, rng), bn, NewAct(Tanh{}), NewDense(8, 2, Softmax{}, InitXavier, rng))
	hist, atBest := trainToEarlyStop(t, net, train, flipped, 3, func() *mat.Dense { return mat.DenseCopyOf(bn.State()[0]) })
	if len(hist) == hist.Best() {
		t.Fatalf("best epoch %d is the last: nothing to restore, a weak test", hist.Best())
	}
	if !mat.Equal(atBest, bn.State()[0]) {
		t.Errorf("running mean %v after training, want the best epoch's %v", mat.Formatted(bn.State()[0].T()), mat.Formatted(atBest.T()))
	}
}

// bnRecipeNet is Dense(2→3, Linear) → BatchNorm(3) → ActLayer(Sigmoid) →
// Dense(3→2, Sigmoid), the batch-normalization recipe of §4.2.
func bnRecipeNet(seed uint64) *Network {
	rng := rand.New(rand.NewPCG(seed, 0))
	return NewNetwork(Quadratic{},
		NewDense(2, 3, Linear{}, InitScaled, rng),
		NewBatchNorm(3, nil),
		NewAct(Sigmoid{}),
		NewDense(3, 2, Sigmoid{}, InitScaled, rng))
}

// snapshotValues returns copies of the values of the parameters and of the
// state of Stateful layers.
func snapshotValues(net *Network) []*mat.Dense {
	var out []*mat.Dense
	for _, p := range net.Params() {
		out = append(out, mat.DenseCopyOf(p.Value))
	}
	_, st := net.state()
	for _, m := range st {
		out = append(out, mat.DenseCopyOf(m))
	}
	return out
}

func equalSnapshots(a, b []*mat.Dense) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !mat.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func TestMinibatches(t *testing.T) {
	for _, tc := range []struct{ n, m, min, want int }{
		{11, 10, 1, 2}, {11, 10, 2, 1}, {12, 10, 2, 2}, {20, 10, 2, 2},
		{10, 10, 2, 1}, {10000, 3, 2, 3333}, {10000, 3, 1, 3334}, {1000, 3, 2, 333},
	} {
		if got := Minibatches(tc.n, tc.m, tc.min); got != tc.want {
			t.Errorf("Minibatches(%d, %d, %d) = %d, want %d", tc.n, tc.m, tc.min, got, tc.want)
		}
	}
}

// TestTrainRemainderJoinsPreviousMinibatch is issue 12, case 2: 11 samples
// in minibatches of 10 through BatchNorm leave one sample, which cannot
// train alone; it joins the previous minibatch, so every epoch is one
// minibatch of 11, exactly as with BatchSize 11.
func TestTrainRemainderJoinsPreviousMinibatch(t *testing.T) {
	data := Blobs(BlobsConfig{N: 11, K: 2, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(3, 0)))
	net, ref := bnRecipeNet(1), bnRecipeNet(1)
	var sizes []int
	hist, err := Train(context.Background(), net, data, TrainConfig{Epochs: 3, BatchSize: 10, Optimizer: &SGD{Eta: 0.5},
		OnBatch: func(b BatchInfo) { sizes = append(sizes, b.Batches) }})
	if err != nil {
		t.Fatalf("11 samples, m = 10, BatchNorm: %v", err)
	}
	if len(hist) != 3 || len(sizes) != 3 || sizes[0] != 1 {
		t.Errorf("history of %d epochs, %d minibatches (%v per epoch), want 3 epochs of 1 minibatch", len(hist), len(sizes), sizes)
	}
	if _, err := Train(context.Background(), ref, data, TrainConfig{Epochs: 3, BatchSize: 11, Optimizer: &SGD{Eta: 0.5}}); err != nil {
		t.Fatal(err)
	}
	if !equalSnapshots(snapshotValues(net), snapshotValues(ref)) {
		t.Error("m = 10 with the remainder joined differs from m = 11")
	}
	// Without BatchNorm the remainder trains alone: 10 + 1.
	var batches int
	mlp := NewMLP([]int{2, 3, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
	if _, err := Train(context.Background(), mlp, data, TrainConfig{BatchSize: 10, Optimizer: &SGD{}, OnBatch: func(b BatchInfo) { batches = b.Batches }}); err != nil || batches != 2 {
		t.Errorf("without BatchNorm: %d minibatches (error %v), want 2", batches, err)
	}
}

// TestTrainRefusesBeforeUpdating checks that what cannot train is an
// error before the first update, with every parameter unchanged.
func TestTrainRefusesBeforeUpdating(t *testing.T) {
	data := Blobs(BlobsConfig{N: 11, K: 2, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(3, 0)))
	other := Blobs(BlobsConfig{N: 5, K: 3, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(3, 0))) // 3 target rows
	for _, tc := range []struct {
		name  string
		data  *Dataset
		cfg   TrainConfig
		wants []string
	}{
		{"N = 1", data.Head(1), TrainConfig{Epochs: 3, Optimizer: &SGD{Eta: 0.5}}, []string{"N = 1", "layer 2 (*nn.BatchNorm)", "at least 2"}},
		{"m = 1", data, TrainConfig{Epochs: 3, BatchSize: 1, Optimizer: &SGD{Eta: 0.5}}, []string{"m = 1", "layer 2 (*nn.BatchNorm)", "at least 2"}},
		{"validation shape", data, TrainConfig{Epochs: 3, Optimizer: &SGD{Eta: 0.5}, Validation: other}, []string{"validation set has 2 input and 3 target rows, the training set 2 and 2"}},
	} {
		net := bnRecipeNet(1)
		before := snapshotValues(net)
		hist, err := Train(context.Background(), net, tc.data, tc.cfg)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, w)
			}
		}
		if hist != nil || !equalSnapshots(before, snapshotValues(net)) {
			t.Errorf("%s: history %v; parameters changed: %v", tc.name, hist, !equalSnapshots(before, snapshotValues(net)))
		}
	}
}

// TestTrainNamesBadData is issue 12, case 6: a NaN or infinite input or
// target is named as bad data before the first update, whatever the
// learning rate.
func TestTrainNamesBadData(t *testing.T) {
	for _, tc := range []struct {
		name     string
		set      string // "train" or "validation"
		target   bool
		row, col int
		v        float64
		eta      float64
		want     string
	}{
		{"NaN input, η = 0.5", "train", false, 1, 17, math.NaN(), 0.5, "nn: training set: input feature 1 of sample 17 is NaN"},
		{"NaN input, η = 1e-6", "train", false, 1, 17, math.NaN(), 1e-6, "nn: training set: input feature 1 of sample 17 is NaN"},
		{"+Inf input", "train", false, 0, 59, math.Inf(1), 0.5, "nn: training set: input feature 0 of sample 59 is +Inf"},
		{"−Inf target", "train", true, 2, 3, math.Inf(-1), 0.5, "nn: training set: target 2 of sample 3 is -Inf"},
		{"NaN validation target", "validation", true, 1, 0, math.NaN(), 0.5, "nn: validation set: target 1 of sample 0 is NaN"},
	} {
		rng := rand.New(rand.NewPCG(1, 0))
		train := Blobs(BlobsConfig{N: 60, Std: DefaultBlobsStd}, rng)
		val := Blobs(BlobsConfig{N: 30, Std: DefaultBlobsStd}, rng)
		bad := train
		if tc.set == "validation" {
			bad = val
		}
		m := bad.X
		if tc.target {
			m = bad.Y
		}
		m.Set(tc.row, tc.col, tc.v)
		if err := bad.Validate(); err == nil || !strings.HasSuffix(err.Error(), tc.want[strings.Index(tc.want, "set: ")+5:]) {
			t.Errorf("%s: Validate() = %v", tc.name, err)
		}
		net := NewMLP([]int{2, 5, 3}, MLPConfig{}, rand.New(rand.NewPCG(2, 0)))
		before := snapshotValues(net)
		_, err := Train(context.Background(), net, train, TrainConfig{Epochs: 2, Optimizer: &SGD{Eta: tc.eta}, Validation: val})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: Train error %v, want %q", tc.name, err, tc.want)
		}
		if !equalSnapshots(before, snapshotValues(net)) {
			t.Errorf("%s: parameters changed", tc.name)
		}
	}
	// The first bad value in sample order is named.
	d := Blobs(BlobsConfig{N: 60, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	d.X.Set(0, 30, math.NaN())
	d.X.Set(1, 17, math.NaN())
	if err := d.Validate(); err == nil || err.Error() != "nn: input feature 1 of sample 17 is NaN" {
		t.Errorf("two bad values: %v", err)
	}
}

// TestBadDataWhereDataEnters checks the other ways into learning: full-batch
// training returns the same error as Train; fitting a standardizer and
// augmenting, which would spread one bad value over a feature or over
// neighbouring pixels, refuse it by name; copying data (Split, Evaluate)
// keeps the value where it is.
func TestBadDataWhereDataEnters(t *testing.T) {
	d := Blobs(BlobsConfig{N: 60, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	d.X.Set(1, 17, math.NaN())
	const want = "input feature 1 of sample 17 is NaN"
	net := NewMLP([]int{2, 3, 3}, MLPConfig{}, rand.New(rand.NewPCG(2, 0)))
	before := snapshotValues(net)
	if _, err := NewtonTrain(context.Background(), net, d, nil, 2, NewtonConfig{Damping: 1e-3}); err == nil || err.Error() != "nn: training set: "+want {
		t.Errorf("NewtonTrain: %v", err)
	}
	if _, err := MinimizeFullBatch(context.Background(), net, d, nil, nil, 2); err == nil || err.Error() != "nn: training set: "+want {
		t.Errorf("MinimizeFullBatch: %v", err)
	}
	if !equalSnapshots(before, snapshotValues(net)) {
		t.Error("full-batch training changed the parameters")
	}
	wantPanic(t, want, func() { FitStandardizer(d, PerFeature) })
	img := &Dataset{X: mat.NewDense(4, 2, nil), Y: mat.NewDense(1, 2, nil)}
	img.X.Set(3, 1, math.Inf(1))
	wantPanic(t, "input feature 3 of sample 1 is +Inf", func() { Augment(img, AugmentConfig{Width: 2, Height: 2}, rand.New(rand.NewPCG(1, 0))) })
	wantPanic(t, "input feature 3 of sample 1 is +Inf", func() { ExpandShifts(img, 2, 2) })
	parts := Split(d, rand.New(rand.NewPCG(1, 0)), 0.5, 0.5)
	if parts[0].Validate() == nil && parts[1].Validate() == nil {
		t.Error("Split lost the bad value")
	}
	if c, _ := net.Evaluate(d); !math.IsNaN(c) {
		t.Errorf("Evaluate on a NaN input: cost %v, want NaN", c)
	}
}

// TestTrainEtaZeroIsZero checks that η = 0 is a value (issue 12, case 4):
// the parameters stay where they are and the cost is still measured.
func TestTrainEtaZeroIsZero(t *testing.T) {
	net := NewMLP([]int{2, 3, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	before := snapshotValues(net)
	hist, err := Train(context.Background(), net, xorData(5), TrainConfig{Epochs: 2, Optimizer: &SGD{Eta: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if !equalSnapshots(before, snapshotValues(net)) {
		t.Error("η = 0 changed the parameters")
	}
	if len(hist) != 2 || !(hist[0].TrainCost > 0) || math.Abs(hist[0].TrainCost-hist[1].TrainCost) > 1e-15 {
		t.Errorf("history %+v, want two epochs of the same positive cost (up to the order of the sums)", hist)
	}
}

// The full-batch methods refuse a set too small for batch normalization
// with an error, as Train does, before any evaluation changes the network.
func TestFullBatchMethodsRefuseTooSmallASet(t *testing.T) {
	one := Blobs(BlobsConfig{N: 11, K: 2, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(3, 0))).Head(1)
	for _, tc := range []struct {
		name string
		run  func(net *Network) error
	}{
		{"MinimizeFullBatch", func(net *Network) error {
			_, err := MinimizeFullBatch(context.Background(), net, one, nil, nil, 5)
			return err
		}},
		{"NewtonTrain", func(net *Network) error {
			_, err := NewtonTrain(context.Background(), net, one, nil, 5, NewtonConfig{})
			return err
		}},
	} {
		net := bnRecipeNet(1)
		before := snapshotValues(net)
		err := tc.run(net)
		if err == nil || !strings.Contains(err.Error(), "N = 1") || !strings.Contains(err.Error(), "layer 2 (*nn.BatchNorm)") {
			t.Errorf("%s: error %v, want one naming N = 1 and layer 2 (*nn.BatchNorm)", tc.name, err)
		}
		if !equalSnapshots(before, snapshotValues(net)) {
			t.Errorf("%s: the parameters changed", tc.name)
		}
	}
}
