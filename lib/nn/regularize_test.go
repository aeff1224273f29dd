package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// regParams returns a weight, a bias and a scale parameter with entries
// away from 0, where |w| has no kink.
func regParams(rng *rand.Rand) []*Param {
	ps := []*Param{newParam("W1", Weight, 3, 4), newParam("b1", Bias, 3, 1), newParam("gamma2", Scale, 3, 1)}
	for _, p := range ps {
		v := p.Value.RawMatrix().Data
		for i := range v {
			v[i] = (0.2 + rng.Float64()) * float64(1-2*rng.IntN(2))
		}
	}
	return ps
}

func TestRegularizerGradientsMatchCentralDifferences(t *testing.T) {
	const n = 7
	for _, tc := range []struct {
		name string
		r    Regularizer
	}{
		{"L1", L1{Lambda: 0.3}},
		{"L2", L2{Lambda: 0.3}},
		{"L3", Lm{Lambda: 0.3, M: 3}},
		{"L1.5", Lm{Lambda: 0.3, M: 1.5}},
		{"L4", Lm{Lambda: 2, M: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			ps := regParams(rng)
			tc.r.AddGrad(ps, n)
			for _, p := range ps {
				v := p.Value.RawMatrix().Data
				num := NumericGradient(nil, func(x []float64) float64 {
					old := append([]float64(nil), v...)
					copy(v, x)
					defer copy(v, old)
					return tc.r.Penalty(ps, n)
				}, append([]float64(nil), v...), 0)
				got := p.Grad.RawMatrix().Data
				if p.Kind != Weight {
					for i := range got {
						if got[i] != 0 || num[i] != 0 {
							t.Errorf("%s (%v) is regularized: gradient %v, numeric %v", p.Name, p.Kind, got[i], num[i])
						}
					}
					continue
				}
				if re := VectorRelativeError(got, num); re > 1e-8 {
					t.Errorf("%s: relative error %.3g\nanalytic %v\nnumeric  %v", p.Name, re, got, num)
				}
			}
		})
	}
}

func TestRegularizerPenalties(t *testing.T) {
	w := newParam("W1", Weight, 1, 3)
	w.Value.SetRow(0, []float64{1, -2, 0.5})
	b := newParam("b1", Bias, 1, 1)
	b.Value.Set(0, 0, 100)
	ps := []*Param{w, b}
	for _, tc := range []struct {
		r    Regularizer
		want float64
	}{
		{L1{Lambda: 0.5}, 0.5 / 10 * 3.5},
		{L2{Lambda: 0.5}, 0.5 / 20 * 5.25},
		{Lm{Lambda: 0.5}, 0.5 / 20 * 5.25},
		{Lm{Lambda: 0.5, M: 1}, 0.5 / 10 * 3.5},
		{Lm{Lambda: 0.5, M: 3}, 0.5 / 30 * (1 + 8 + 0.125)},
		{L2{}, 0},
	} {
		if got := tc.r.Penalty(ps, 10); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%v penalty = %v, want %v", tc.r, got, tc.want)
		}
	}
}

func TestRegularizerMisusePanics(t *testing.T) {
	ps := regParams(rand.New(rand.NewPCG(1, 1)))
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"negative λ", "λ must be", func() { L2{Lambda: -1}.Penalty(ps, 1) }},
		{"NaN λ", "λ must be", func() { L1{Lambda: math.NaN()}.AddGrad(ps, 1) }},
		{"n = 0", "training-set size", func() { L2{Lambda: 1}.AddGrad(ps, 0) }},
		{"m < 1", "exponent m", func() { Lm{Lambda: 1, M: 0.5}.Penalty(ps, 1) }},
		{"decay ≥ 1", "λ must be in [0, 1)", func() { (&WeightDecay{Optimizer: &SGD{}, Lambda: 1}).Step(ps) }},
		{"no optimizer", "nil Optimizer", func() { (&WeightDecay{Lambda: 0.1}).Step(ps) }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantPanic(t, tc.want, tc.f) })
	}
}

// With plain SGD, an L2 penalty λ is weight decay λ_d = ηλ/n: training the
// same network both ways gives the same parameters.
func TestWeightDecayEqualsL2UnderSGD(t *testing.T) {
	const (
		eta, lambda = 0.5, 3.0
		n           = 40
	)
	data := Blobs(BlobsConfig{N: n, K: 3, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 2)))
	train := func(cfg TrainConfig) *Network {
		net := NewMLP([]int{2, 5, 3}, MLPConfig{}, rand.New(rand.NewPCG(5, 6)))
		cfg.Epochs, cfg.BatchSize = 5, 8
		if _, err := Train(context.Background(), net, data, cfg); err != nil {
			t.Fatal(err)
		}
		return net
	}
	l2 := train(TrainConfig{Optimizer: &SGD{Eta: eta}, Regularizer: L2{Lambda: lambda}})
	wd := train(TrainConfig{Optimizer: &WeightDecay{Optimizer: &SGD{Eta: eta}, Lambda: eta * lambda / n}})
	plain := train(TrainConfig{Optimizer: &SGD{Eta: eta}})
	for i, p := range l2.Params() {
		q := wd.Params()[i].Value
		if !mat.EqualApprox(p.Value, q, 1e-12) {
			t.Errorf("%s differs between L2 and weight decay:\n%v\n%v", p.Name, mat.Formatted(p.Value), mat.Formatted(q))
		}
		if p.Kind == Weight && mat.EqualApprox(p.Value, plain.Params()[i].Value, 1e-3) {
			t.Errorf("%s: L2 made no difference", p.Name)
		}
	}
}

func TestWeightDecayWithSchedule(t *testing.T) {
	sgd := &SGD{Eta: 0.4}
	wd := &WeightDecay{Optimizer: sgd, Lambda: 0.01}
	data := Blobs(BlobsConfig{N: 20, K: 2, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 2)))
	net := NewMLP([]int{2, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 2)))
	var seen []float64
	_, err := Train(context.Background(), net, data, TrainConfig{Epochs: 3, Optimizer: wd, Schedule: halving{},
		OnEpoch: func(EpochStats) { seen = append(seen, sgd.Eta) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.4, 0.2, 0.1}
	for i := range want {
		if math.Abs(seen[i]-want[i]) > 1e-15 {
			t.Fatalf("η per epoch through WeightDecay = %v, want %v", seen, want)
		}
	}
	if wd.LearningRate() != 0.4 {
		t.Errorf("η after training = %v, want the base rate 0.4 back", wd.LearningRate())
	}
}

// halving is a schedule that halves η every epoch.
type halving struct{}

func (halving) Rate(eta float64, s TrainStep) float64 { return eta / math.Pow(2, float64(s.Epoch-1)) }
