package nn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestScheduleRates(t *testing.T) {
	for _, tc := range []struct {
		name            string
		s               Schedule
		eta             float64
		epochs, batches int
		want            []float64
	}{
		{"constant", Constant{}, 0.5, 3, 1, []float64{0.5, 0.5, 0.5}},
		{"nil is constant", nil, 0.5, 2, 2, []float64{0.5, 0.5, 0.5, 0.5}},
		// §4.5: η/n, 2η/n, …, η, then η.
		{"warmup n=4", Warmup{Epochs: 4}, 0.2, 6, 1, []float64{0.05, 0.1, 0.15, 0.2, 0.2, 0.2}},
		{"warmup n=1 is constant", Warmup{Epochs: 1}, 3, 3, 1, []float64{3, 3, 3}},
		// a per-epoch schedule holds its rate for every minibatch of the epoch.
		{"warmup n=2, 3 minibatches", Warmup{Epochs: 2}, 1, 3, 3, []float64{0.5, 0.5, 0.5, 1, 1, 1, 1, 1, 1}},
		{"step decay", StepDecay{Every: 2, Factor: 0.5}, 1, 5, 1, []float64{1, 1, 0.5, 0.5, 0.25}},
		{"step decay to zero", StepDecay{Every: 2}, 1, 5, 1, []float64{1, 1, 0, 0, 0}},
		// (1 + cos(π k/4))/2 for k = 0..3.
		{"cosine", Cosine{}, 2, 4, 1, []float64{2, 1 + math.Sqrt2/2, 1, 1 - math.Sqrt2/2}},
		{"cosine with floor", Cosine{Min: 0.5}, 2, 2, 1, []float64{2, 1.5}},
		// two warmup epochs, then the cosine over the remaining four.
		{"warmup then cosine", Warmup{Epochs: 2, Then: Cosine{}}, 1, 6, 1, []float64{0.5, 1, 1, 0.5 + math.Sqrt2/4, 0.5, 0.5 - math.Sqrt2/4}},
		// η_k = kη/K over the first K minibatches of the run, across epochs.
		{"batch warmup K=4", BatchWarmup{Steps: 4}, 1, 2, 3, []float64{0.25, 0.5, 0.75, 1, 1, 1}},
		{"batch warmup K=1 is constant", BatchWarmup{Steps: 1}, 2, 1, 3, []float64{2, 2, 2}},
	} {
		got := Rates(tc.s, tc.eta, tc.epochs, tc.batches)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d rates, want %d", tc.name, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if !closeTo(got[i], tc.want[i], 1e-15) {
				t.Errorf("%s: rates %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestTrainStepIndex(t *testing.T) {
	for _, tc := range []struct {
		s    TrainStep
		want int
	}{
		{TrainStep{Epoch: 1, Epochs: 3, Batch: 1, Batches: 5}, 1},
		{TrainStep{Epoch: 1, Epochs: 3, Batch: 5, Batches: 5}, 5},
		{TrainStep{Epoch: 3, Epochs: 3, Batch: 2, Batches: 5}, 12},
	} {
		if got := tc.s.Index(); got != tc.want {
			t.Errorf("%+v: Index %d, want %d", tc.s, got, tc.want)
		}
	}
}

// rateLog is plain SGD that records every call of SetLearningRate and the
// rate of every Step.
type rateLog struct {
	SGD
	set     []float64 // the argument of every SetLearningRate
	stepped []float64 // η at every Step
}

func (o *rateLog) SetLearningRate(eta float64) {
	o.set = append(o.set, eta)
	o.SGD.SetLearningRate(eta)
}

func (o *rateLog) Step(params []*Param) {
	o.stepped = append(o.stepped, o.Eta)
	o.SGD.Step(params)
}

// TestTrainAppliesSchedule checks, minibatch by minibatch, that the rate
// the optimizer steps with and the rate reported in BatchInfo and
// EpochStats are the schedule's formula, written out here from the notes
// (and the papers) rather than taken from the schedules, and that Train
// is the only writer of η: the optimizer sees one SetLearningRate per
// minibatch and the restoring one at the end, nothing from the callbacks.
func TestTrainAppliesSchedule(t *testing.T) {
	const (
		eta     = 0.3
		epochs  = 6
		batches = 4 // 40 samples in minibatches of 10
	)
	data := Blobs(BlobsConfig{N: 40, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	for _, tc := range []struct {
		name string
		s    Schedule
		// want is the rate of minibatch b of epoch e (both from 1).
		want func(e, b int) float64
	}{
		{"constant", Constant{}, func(e, b int) float64 { return eta }},
		// §4.5: η_i = iη/n for i ≤ n, then η.
		{"warmup n=3", Warmup{Epochs: 3}, func(e, b int) float64 {
			if e <= 3 {
				return float64(e) * eta / 3
			}
			return eta
		}},
		// η_k = kη/K over the first K = 7 minibatches, k = (e−1)·B + b.
		{"batch warmup K=7", BatchWarmup{Steps: 7}, func(e, b int) float64 {
			return float64(min((e-1)*batches+b, 7)) * eta / 7
		}},
		{"step decay", StepDecay{Every: 2, Factor: 0.1}, func(e, b int) float64 {
			return eta * math.Pow(0.1, float64((e-1)/2))
		}},
		// η (Min + (1 − Min)(1 + cos(π(e−1)/E))/2).
		{"cosine", Cosine{Min: 0.1}, func(e, b int) float64 {
			return eta * (0.1 + 0.9*(1+math.Cos(math.Pi*float64(e-1)/epochs))/2)
		}},
		// two epochs of warmup, then the cosine over the other four.
		{"warmup then cosine", Warmup{Epochs: 2, Then: Cosine{}}, func(e, b int) float64 {
			if e <= 2 {
				return float64(e) * eta / 2
			}
			return eta * (1 + math.Cos(math.Pi*float64(e-3)/4)) / 2
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := &rateLog{SGD: SGD{Eta: eta}}
			net := NewMLP([]int{2, 4, 3}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
			var reported []float64
			var stats History
			_, err := Train(context.Background(), net, data, TrainConfig{Epochs: epochs, BatchSize: 10, Optimizer: opt, Schedule: tc.s,
				OnBatch: func(b BatchInfo) { reported = append(reported, b.Eta) },
				OnEpoch: func(s EpochStats) { stats = append(stats, s) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(opt.stepped) != epochs*batches || len(reported) != epochs*batches || len(stats) != epochs {
				t.Fatalf("%d steps, %d reports, %d epochs; want %d, %d, %d", len(opt.stepped), len(reported), len(stats), epochs*batches, epochs*batches, epochs)
			}
			for e := 1; e <= epochs; e++ {
				for b := 1; b <= batches; b++ {
					k := (e-1)*batches + b - 1
					want := tc.want(e, b)
					if !closeTo(opt.stepped[k], want, 1e-15) || opt.stepped[k] != reported[k] {
						t.Errorf("epoch %d, minibatch %d: stepped with η = %v, reported %v; want %v", e, b, opt.stepped[k], reported[k], want)
					}
				}
				if st := stats[e-1]; st.FirstEta != reported[(e-1)*batches] || st.LastEta != reported[e*batches-1] {
					t.Errorf("epoch %d: EpochStats rates %v, %v; want %v, %v", e, st.FirstEta, st.LastEta, reported[(e-1)*batches], reported[e*batches-1])
				}
			}
			// One writer: one call per minibatch, then the base rate back.
			want := append(append([]float64{}, opt.stepped...), eta)
			if len(opt.set) != len(want) {
				t.Fatalf("%d calls of SetLearningRate, want %d (one per minibatch and the restore)", len(opt.set), len(want))
			}
			for i := range want {
				if opt.set[i] != want[i] {
					t.Fatalf("SetLearningRate calls %v, want %v", opt.set, want)
				}
			}
			if opt.Eta != eta {
				t.Errorf("rate after training %v, want the base rate %v back", opt.Eta, eta)
			}
		})
	}
}

// Without a Schedule nobody writes η: the optimizer trains at its own rate,
// which BatchInfo and EpochStats report.
func TestTrainWithoutScheduleWritesNoRate(t *testing.T) {
	opt := &rateLog{SGD: SGD{Eta: 0.2}}
	net := NewMLP([]int{2, 4, 3}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
	data := Blobs(BlobsConfig{N: 30, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	var reported []float64
	hist, err := Train(context.Background(), net, data, TrainConfig{Epochs: 2, Optimizer: opt,
		OnBatch: func(b BatchInfo) { reported = append(reported, b.Eta) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(opt.set) != 0 {
		t.Errorf("SetLearningRate called with %v, want no call", opt.set)
	}
	for i, r := range reported {
		if r != 0.2 || opt.stepped[i] != 0.2 {
			t.Fatalf("minibatch %d: reported η = %v, stepped with %v; want 0.2", i+1, r, opt.stepped[i])
		}
	}
	if h := hist.Last(); h.FirstEta != 0.2 || h.LastEta != 0.2 {
		t.Errorf("EpochStats rates %v, %v; want 0.2", h.FirstEta, h.LastEta)
	}
}

// The base rate comes back however Train ends: a non-finite cost, an
// interrupt, an early stop.
func TestTrainRestoresBaseRate(t *testing.T) {
	data := Blobs(BlobsConfig{N: 40, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	for _, tc := range []struct {
		name string
		eta  float64
		cfg  func(cancel context.CancelFunc) TrainConfig
		err  error
	}{
		{"non-finite cost", 1e6, func(context.CancelFunc) TrainConfig {
			return TrainConfig{Epochs: 50, Schedule: Cosine{}}
		}, ErrNonFinite},
		{"interrupt", 0.1, func(cancel context.CancelFunc) TrainConfig {
			return TrainConfig{Epochs: 5, Schedule: BatchWarmup{Steps: 100}, OnBatch: func(b BatchInfo) {
				if b.Step == 3 {
					cancel()
				}
			}}
		}, context.Canceled},
		{"early stop", 0.1, func(context.CancelFunc) TrainConfig {
			return TrainConfig{Epochs: 50, Schedule: Warmup{Epochs: 3}, Validation: data, EarlyStopping: &EarlyStopping{Patience: 1}}
		}, nil},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		opt := &rateLog{SGD: SGD{Eta: tc.eta}}
		cfg := tc.cfg(cancel)
		cfg.Optimizer = opt
		net := NewMLP([]int{2, 4, 3}, MLPConfig{Output: Linear{}}, rand.New(rand.NewPCG(1, 0))) // overflows at η = 10⁶
		_, err := Train(ctx, net, data, cfg)
		cancel()
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
		}
		if opt.Eta != tc.eta || len(opt.set) == 0 || opt.set[len(opt.set)-1] != tc.eta {
			t.Errorf("%s: rate %v after training (last set %v), want the base rate %v", tc.name, opt.Eta, opt.set, tc.eta)
		}
	}
}

// Every optimizer of the package takes a schedule through LearningRater.
func TestScheduleWithEveryOptimizer(t *testing.T) {
	data := Blobs(BlobsConfig{Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	for _, opt := range []interface {
		Optimizer
		LearningRater
	}{NewSGD(0.3), NewMomentum(0.3), NewNesterov(0.3), NewAdam(0.3), NewAdamW(0.3, 0.01), NewRMSprop(0.3), &WeightDecay{Optimizer: NewSGD(0.3), Lambda: 0.01}} {
		net := NewMLP([]int{2, 4, 3}, MLPConfig{}, rand.New(rand.NewPCG(1, 0)))
		var seen []float64
		cfg := TrainConfig{Epochs: 5, BatchSize: 1000, Optimizer: opt, Schedule: Warmup{Epochs: 3},
			OnBatch: func(b BatchInfo) {
				if opt.LearningRate() != b.Eta {
					t.Errorf("%T: optimizer's rate %v during minibatch %d, reported %v", opt, opt.LearningRate(), b.Step, b.Eta)
				}
				seen = append(seen, b.Eta)
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

func TestSchedulesPanicOnZeroLength(t *testing.T) {
	for _, s := range []Schedule{Warmup{}, BatchWarmup{}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%T with length 0: no panic", s)
				}
			}()
			s.Rate(1, TrainStep{Epoch: 1, Epochs: 1, Batch: 1, Batches: 1})
		}()
	}
}
