package nb

import (
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/redesneuronales/course/lib/nn"
)

func TestPathOfSGDIsDescend(t *testing.T) {
	for _, s := range []Surface2D{Quadratic2D(1, 10, 0.3), Rosenbrock(), Saddle(), DoubleWell()} {
		got := PathOf(s, &nn.SGD{Eta: 0.001}, -1.5, 0.5, 50)
		want := Descend(s, -1.5, 0.5, 0.001, 50)
		for i := range want.X {
			if math.Abs(got.X[i]-want.X[i]) > 1e-12 || math.Abs(got.Y[i]-want.Y[i]) > 1e-12 {
				t.Fatalf("%s: step %d at (%g, %g), Descend at (%g, %g)", s.Name, i, got.X[i], got.Y[i], want.X[i], want.Y[i])
			}
		}
	}
}

func TestSlope(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"y = x²", []float64{0.1, 0.2, 0.4}, []float64{0.01, 0.04, 0.16}, 2},
		{"y = 3x³", []float64{1, 2, 5, 10}, []float64{3, 24, 375, 3000}, 3},
		{"y = 1/x", []float64{0.5, 1, 4}, []float64{2, 1, 0.25}, -1},
	} {
		if got := Slope(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: slope %g, want %g", tc.name, got, tc.want)
		}
	}
}

func TestSecondOrderRuns(t *testing.T) {
	data := nn.Blobs(nn.BlobsConfig{N: 60, Std: nn.DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	newNet := func(rng *rand.Rand) *nn.Network {
		return nn.NewMLP([]int{2, 3, 3}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, rng)
	}
	gd, err := NewDisplay(io.Discard, "").TrainRuns([]Run{{Label: "gd", NewNet: newNet, Data: data, Seed: 2, Start: true, Uncached: true,
		Config: nn.TrainConfig{Epochs: 10, BatchSize: data.Len(), Optimizer: &nn.SGD{Eta: 0.5}, Validation: data}}})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := SecondOrderRuns(newNet, data, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 {
		t.Fatalf("%d runs", len(runs))
	}
	c0, last := gd[0].Start.ValidationCost, gd[0].History.Last().ValidationCost
	for _, r := range runs {
		// The same start as gradient descent, and far below it after 10 iterations.
		if r.Start.ValidationCost != c0 || len(r.History) == 0 || r.Gradients < len(r.History) {
			t.Errorf("%s: start cost %g (gradient descent's %g), %d iterations, %d gradients", r.Label(), r.Start.ValidationCost, c0, len(r.History), r.Gradients)
		}
		if c := r.History.Last().ValidationCost; c > last/2 {
			t.Errorf("%s ends at %g, gradient descent at %g", r.Label(), c, last)
		}
	}
	Curves(append(gd, runs...), ValidationCost)
}

// TestZeroBetaIsGradientDescent checks that β = 0 is a value, not "the
// default" (issue 12, case 4): 60 steps of η = 0.05 on Quadratic2D(1, 20,
// 0.4) from (−4, 2) end where plain gradient descent ends, and β = 0.9
// ends elsewhere.
func TestZeroBetaIsGradientDescent(t *testing.T) {
	s := Quadratic2D(1, 20, 0.4)
	end := func(opt nn.Optimizer) [2]float64 {
		p := PathOf(s, opt, -4, 2, 60)
		return [2]float64{p.X[len(p.X)-1], p.Y[len(p.Y)-1]}
	}
	gd := [2]float64{-0.123285, -0.052124}
	for _, tc := range []struct {
		name string
		opt  nn.Optimizer
		want [2]float64
	}{
		{"SGD", &nn.SGD{Eta: 0.05}, gd},
		{"Momentum β=0", &nn.Momentum{Eta: 0.05, Beta: 0}, gd},
		{"Momentum average form β=0", &nn.Momentum{Eta: 0.05, Beta: 0, Form: nn.MomentumAverage}, gd},
		{"Nesterov β=0", &nn.Nesterov{Eta: 0.05, Beta: 0}, gd},
		{"Momentum β=0.9", &nn.Momentum{Eta: 0.05, Beta: 0.9}, [2]float64{-0.043152, -0.130887}},
		{"NewMomentum", nn.NewMomentum(0.05), [2]float64{-0.043152, -0.130887}},
	} {
		got := end(tc.opt)
		if math.Abs(got[0]-tc.want[0]) > 5e-7 || math.Abs(got[1]-tc.want[1]) > 5e-7 {
			t.Errorf("%s: θ₆₀ = (%.6f, %.6f), want (%.6f, %.6f)", tc.name, got[0], got[1], tc.want[0], tc.want[1])
		}
	}
}
