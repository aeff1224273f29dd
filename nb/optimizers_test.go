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

func TestUnrolledMomentum(t *testing.T) {
	s := Rosenbrock()
	opt := &nn.Momentum{Eta: 1e-4, Beta: 0.7, Form: nn.MomentumAverage}
	p := NewPoint(-1, 1)
	var grads [][]float64
	for range 20 {
		th := p.Value.RawRowView(0)
		g1, g2 := s.Grad(th[0], th[1])
		grads = append(grads, []float64{g1, g2})
		p.Grad.SetRow(0, grads[len(grads)-1])
		opt.Step([]*nn.Param{p})
	}
	v := opt.Velocity(p)
	u := UnrolledMomentum(grads, 0.7)
	if nn.VectorRelativeError(v, u) > 1e-12 {
		t.Errorf("velocity %v, unrolled sum %v", v, u)
	}
	if w := UnrolledMomentum(grads, 0.5); nn.VectorRelativeError(v, w) < 1e-3 {
		t.Error("the unrolled sum does not depend on β")
	}
}

func TestTaylorErrorsOrders(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 0))
	data := nn.Blobs(nn.BlobsConfig{N: 30, Std: nn.DefaultBlobsStd}, rng)
	net := nn.NewMLP([]int{2, 3, 3}, nn.MLPConfig{}, rng)
	p := nn.FullBatchProblem(net, data, nil)
	theta := nn.FlatParams(nil, net.Params())
	dir := make([]float64, len(theta))
	for i := range dir {
		dir[i] = rng.NormFloat64()
	}
	hs := []float64{0.1, 0.05, 0.025, 0.0125}
	first, second := TaylorErrors(p, theta, dir, hs)
	if s := Slope(hs, first); math.Abs(s-2) > 0.2 {
		t.Errorf("first-order error ∝ h^%.2f, want h²", s)
	}
	if s := Slope(hs, second); math.Abs(s-3) > 0.3 {
		t.Errorf("second-order error ∝ h^%.2f, want h³", s)
	}
	if got := nn.FlatParams(nil, net.Params()); nn.VectorRelativeError(got, theta) != 0 {
		t.Error("TaylorErrors left the network away from θ")
	}
}

func TestCompareFullBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 0))
	data := nn.Blobs(nn.BlobsConfig{N: 60, Std: nn.DefaultBlobsStd}, rng)
	newNet := func() *nn.Network {
		return nn.NewMLP([]int{2, 3, 3}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, rand.New(rand.NewPCG(2, 0)))
	}
	runs, err := CompareFullBatch(newNet, data, 0.5, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 {
		t.Fatalf("%d runs", len(runs))
	}
	for _, r := range runs {
		if r.Cost[0] != runs[0].Cost[0] || len(r.Seconds) != len(r.Cost) {
			t.Errorf("%s: start cost %g (gradient descent's %g), %d times for %d costs", r.Name, r.Cost[0], runs[0].Cost[0], len(r.Seconds), len(r.Cost))
		}
	}
	// Newton and CG end far below gradient descent after 10 iterations.
	for _, r := range runs[1:] {
		if last, gd := r.Cost[len(r.Cost)-1], runs[0].Cost[len(runs[0].Cost)-1]; last > gd/2 {
			t.Errorf("%s ends at %g, gradient descent at %g", r.Name, last, gd)
		}
	}
	FullBatchPlots(runs)
}

func TestCompareOptimizers(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	d := NewDisplay(io.Discard, t.TempDir())
	rng := rand.New(rand.NewPCG(1, 0))
	data := nn.Blobs(nn.BlobsConfig{N: 90, Std: nn.DefaultBlobsStd}, rng)
	specs := []OptimizerSpec{
		{"SGD", func() nn.Optimizer { return &nn.SGD{Eta: 0.5} }},
		{"Adam", func() nn.Optimizer { return nn.NewAdam(0.01) }},
	}
	newNet := func(rng *rand.Rand) *nn.Network { return nn.NewMLP([]int{2, 4, 3}, nn.MLPConfig{}, rng) }
	runs, err := d.CompareOptimizers("test", specs, newNet, data, nn.TrainConfig{Epochs: 3, Validation: data}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || len(runs[1].History) != 3 {
		t.Fatalf("runs %v", runs)
	}
	if tb := OptimizerTable("x", runs); len(tb.Rows) != 2 {
		t.Errorf("table rows %d", len(tb.Rows))
	}
	OptimizerPlots(runs)
	s := Saddle()
	paths := SurfacePaths(s, specs, -1.5, 1e-3, 30)
	SurfacePlots(s, specs, paths, 0.25)
	if FinalCosts(paths)[0] >= s.C(-1.5, 1e-3) {
		t.Error("SGD did not descend on the saddle")
	}
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
