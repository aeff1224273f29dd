package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestScheduleRates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      Schedule
		eta    float64
		epochs int
		want   []float64
	}{
		{"constant", Constant{}, 0.5, 3, []float64{0.5, 0.5, 0.5}},
		// §4.5: η/n, 2η/n, …, η, then η.
		{"warmup n=4", Warmup{Epochs: 4}, 0.2, 6, []float64{0.05, 0.1, 0.15, 0.2, 0.2, 0.2}},
		{"warmup n=1 is constant", Warmup{Epochs: 1}, 3, 3, []float64{3, 3, 3}},
		{"step decay", StepDecay{Every: 2, Factor: 0.5}, 1, 5, []float64{1, 1, 0.5, 0.5, 0.25}},
		{"step decay to zero", StepDecay{Every: 2}, 1, 5, []float64{1, 1, 0, 0, 0}},
		// (1 + cos(π k/4))/2 for k = 0..3.
		{"cosine", Cosine{}, 2, 4, []float64{2, 1 + math.Sqrt2/2, 1, 1 - math.Sqrt2/2}},
		{"cosine with floor", Cosine{Min: 0.5}, 2, 2, []float64{2, 1.5}},
		// two warmup epochs, then the cosine over the remaining four.
		{"warmup then cosine", Warmup{Epochs: 2, Then: Cosine{}}, 1, 6, []float64{0.5, 1, 1, 0.5 + math.Sqrt2/4, 0.5, 0.5 - math.Sqrt2/4}},
	} {
		got := Rates(tc.s, tc.eta, tc.epochs)
		for i := range got {
			if !closeTo(got[i], tc.want[i], 1e-15) {
				t.Errorf("%s: rates %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

// TestWarmupInTrain checks the rate every minibatch of Train sees, with
// several optimizers, and that the optimizer gets its rate back.
func TestWarmupInTrain(t *testing.T) {
	data := Blobs(BlobsConfig{Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	for _, opt := range []interface {
		Optimizer
		LearningRater
	}{&SGD{Eta: 0.3}, NewMomentum(0.3), NewAdam(0.3), NewRMSprop(0.3)} {
		net := NewMLP([]int{2, 4, 3}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
		var seen []float64
		cfg := TrainConfig{Epochs: 5, BatchSize: 1000, Optimizer: opt, Schedule: Warmup{Epochs: 3},
			OnEpoch: func(EpochStats) {}, OnBatch: func(b BatchInfo) {
				if b.Batch == 1 {
					seen = append(seen, opt.LearningRate())
				}
			}}
		if _, err := Train(context.Background(), net, data, cfg); err != nil {
			t.Fatal(err)
		}
		want := []float64{0.1, 0.2, 0.3, 0.3, 0.3}
		for i := range want {
			if !closeTo(seen[i], want[i], 1e-15) {
				t.Errorf("%T: rates %v, want %v", opt, seen, want)
				break
			}
		}
		if opt.LearningRate() != 0.3 {
			t.Errorf("%T: rate after training %g, want 0.3", opt, opt.LearningRate())
		}
	}
}

func TestBatchWarmup(t *testing.T) {
	data := Blobs(BlobsConfig{Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	n := data.Len()
	net := NewMLP([]int{2, 4, 3}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
	opt := &SGD{Eta: 1}
	hook := BatchWarmup{Steps: 4}.Hook(opt)
	var seen []float64
	rateBefore := opt.Eta
	cfg := TrainConfig{Epochs: 1, BatchSize: (n + 5) / 6, Optimizer: opt, OnBatch: func(b BatchInfo) {
		seen = append(seen, rateBefore)
		hook(b)
		rateBefore = opt.Eta
	}}
	if _, err := Train(context.Background(), net, data, cfg); err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0.5, 0.75, 1, 1, 1}
	if len(seen) != len(want) {
		t.Fatalf("%d minibatches, want %d", len(seen), len(want))
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("rates %v, want %v", seen, want)
		}
	}
}

func TestWarmupPanicsOnZeroEpochs(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Warmup{}.Rate(1, 1, 1)
}
