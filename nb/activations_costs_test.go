package nb

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func TestPanelGrid(t *testing.T) {
	p := plotting.Lines(plotting.Config{})
	for _, tc := range []struct {
		cols, n  int
		wantRows []int
	}{
		{3, 9, []int{3, 3, 3}},
		{3, 7, []int{3, 3, 1}},
		{4, 2, []int{2}},
		{2, 0, nil},
	} {
		in := make([]*plot.Plot, tc.n)
		for i := range in {
			in[i] = p
		}
		g := PanelGrid(tc.cols, in...)
		if len(g) != len(tc.wantRows) {
			t.Errorf("PanelGrid(%d, %d panels): %d rows, want %d", tc.cols, tc.n, len(g), len(tc.wantRows))
			continue
		}
		for i, row := range g {
			if len(row) != tc.wantRows[i] {
				t.Errorf("PanelGrid(%d, %d panels): row %d has %d panels, want %d", tc.cols, tc.n, i, len(row), tc.wantRows[i])
			}
		}
	}
}

func TestActivationPanelRenders(t *testing.T) {
	for _, act := range []nn.Scalar{nn.Sigmoid{}, nn.Step{}, nn.PReLU{A: 0.25}} {
		p := ActivationPanel(act, plotting.Range{Min: -3, Max: 3, N: 61})
		if p.Title.Text != act.String() {
			t.Errorf("title %q, want %q", p.Title.Text, act.String())
		}
		if _, err := plotting.PNG(p, 0, 0, 72); err != nil {
			t.Errorf("%v: %v", act, err)
		}
	}
}

func TestActivateMatchesScalarAndSoftmax(t *testing.T) {
	z := []float64{-1, 0.5, 2}
	got := Activate(nn.Tanh{}, z)
	for i, v := range z {
		if got[i] != math.Tanh(v) {
			t.Errorf("Activate(tanh)[%d] = %v, want %v", i, got[i], math.Tanh(v))
		}
	}
	sm := Activate(nn.Softmax{}, z)
	want := nn.Softmax{}.F(nil, z)
	for i := range z {
		if math.Abs(sm[i]-want[i]) > 1e-15 {
			t.Errorf("Activate(softmax)[%d] = %v, want %v", i, sm[i], want[i])
		}
	}
}

// costCases are points away from every kink, with targets that suit each cost.
var costCases = []struct {
	cost nn.Cost
	a, y []float64
}{
	{nn.Quadratic{}, []float64{0.3, -1.2, 2}, []float64{0, 1, 1.5}},
	{nn.MAE{}, []float64{0.3, -1.2, 2}, []float64{0, 1, 1.5}},
	{nn.Huber{Delta: 0.5}, []float64{0.3, -1.2, 2.7}, []float64{0, 1, 2.5}},
	{nn.KL{}, []float64{0.2, 0.5, 0.3}, []float64{0.1, 0.65, 0.25}},
	{nn.CrossEntropy{}, []float64{0.2, 0.5, 0.3}, []float64{0, 1, 0}},
	{nn.BinaryCrossEntropy{}, []float64{0.2, 0.7, 0.4}, []float64{0, 1, 0.5}},
	{nn.Hellinger{}, []float64{0.2, 0.5, 0.3}, []float64{0.1, 0.65, 0.25}},
}

func TestSampleCostGradMatchesNumeric(t *testing.T) {
	for _, tc := range costCases {
		an := SampleCostGrad(tc.cost, tc.a, tc.y)
		nu := NumericCostGrad(tc.cost, tc.a, tc.y)
		for _, c := range EntryChecks(tc.cost.String(), an, nu) {
			if !c.Holds() {
				t.Errorf("%s: got %v want %v (rel %.2e)", c.Name, c.Got, c.Want, c.RelErr())
			}
		}
	}
}

func TestSampleCostIsTheCostOfOneColumn(t *testing.T) {
	got := SampleCost(nn.Quadratic{}, []float64{1, 2}, []float64{0, 0})
	if got != 2.5 {
		t.Errorf("½‖(1,2)‖² = %v, want 2.5", got)
	}
}

func TestOutputDeltaMatchesNumeric(t *testing.T) {
	z := []float64{0.4, -1.1, 1.7}
	for _, tc := range []struct {
		act        nn.Activation
		cost       nn.Cost
		y          []float64
		simplified bool
	}{
		{nn.Sigmoid{}, nn.Quadratic{}, []float64{0, 1, 0}, false},
		{nn.Linear{}, nn.Quadratic{}, []float64{0, 1, 0}, true},
		{nn.Sigmoid{}, nn.BinaryCrossEntropy{}, []float64{0, 1, 0}, true},
		{nn.Sigmoid{}, nn.CrossEntropy{}, []float64{0, 1, 0}, true},
		{nn.Softmax{}, nn.CrossEntropy{}, []float64{0, 1, 0}, true},
		{nn.NewSoftmax(2), nn.CrossEntropy{}, []float64{0, 1, 0}, true},
		{nn.Softmax{}, nn.KL{}, []float64{0.2, 0.7, 0.1}, true},
		{nn.Softmax{}, nn.Quadratic{}, []float64{0, 1, 0}, false},
		{nn.Sigmoid{}, nn.Hellinger{}, []float64{0, 1, 0}, true},
		{nn.Softmax{}, nn.Hellinger{}, []float64{0.2, 0.7, 0.1}, true},
		{nn.Tanh{}, nn.Quadratic{}, []float64{0, 1, 0}, false},
	} {
		nu := NumericOutputDelta(tc.act, tc.cost, z, tc.y)
		for _, c := range EntryChecks("backprop δ", OutputDelta(tc.act, tc.cost, z, tc.y), nu) {
			c.Tol = 1e-6
			if !c.Holds() {
				t.Errorf("%v + %v: %s: got %v want %v", tc.act, tc.cost, c.Name, c.Got, c.Want)
			}
		}
		d, ok := SimplifiedDelta(tc.act, tc.cost, z, tc.y)
		if ok != tc.simplified {
			t.Errorf("%v + %v: SimplifiedDelta ok = %v, want %v", tc.act, tc.cost, ok, tc.simplified)
		}
		if !ok {
			continue
		}
		for _, c := range EntryChecks("simplified δ", d, nu) {
			c.Tol = 1e-6
			if !c.Holds() {
				t.Errorf("%v + %v: %s: got %v want %v", tc.act, tc.cost, c.Name, c.Got, c.Want)
			}
		}
	}
}

func TestSoftmaxJacobianNumeric(t *testing.T) {
	z := []float64{0.5, -1, 2, 0}
	for _, c := range []float64{1, 2.5, -0.5} {
		s := nn.NewSoftmax(c)
		for _, ch := range EntryChecks("J", s.Jacobian(nil, z), SoftmaxJacobianNumeric(s, z)) {
			ch.Tol = 1e-6
			if !ch.Holds() {
				t.Errorf("c = %g: %s: got %v want %v", c, ch.Name, ch.Got, ch.Want)
			}
		}
	}
}

func TestNumericJacobianOfALinearMap(t *testing.T) {
	// f(x) = A x has Jacobian A.
	A := mat.NewDense(2, 3, []float64{1, 2, 3, -4, 5, 0.5})
	j := NumericJacobian(func(y, x []float64) {
		for i := range 2 {
			y[i] = 0
			for k := range 3 {
				y[i] += A.At(i, k) * x[k]
			}
		}
	}, 2, []float64{0.3, -0.7, 1.1})
	if !mat.EqualApprox(j, A, 1e-8) {
		t.Errorf("Jacobian\n%v\nwant\n%v", mat.Formatted(j), mat.Formatted(A))
	}
}

func TestGroupedBarsAndRegressionPlotRender(t *testing.T) {
	p := GroupedBars(plotting.Config{Title: "bars"}, []string{"a", "b", "c"},
		Bars{Name: "one", Values: []float64{1, 2, 3}}, Bars{Name: "two", Values: []float64{3, 2, 1}})
	if _, err := plotting.PNG(p, 0, 0, 72); err != nil {
		t.Error(err)
	}
	data, out := nn.Regression1D(nn.Regression1DConfig{N: 20, Noise: nn.DefaultRegressionNoise, OutlierFraction: nn.DefaultRegressionOutliers}, rand.New(rand.NewPCG(1, 0)))
	r := RegressionPlot(plotting.Config{}, data, out,
		plotting.Series{Name: "truth", X: []float64{-2, 2}, Y: []float64{-3, 5}},
		LineFit{Slope: 1, Intercept: 1}.Line("fit", -2, 2))
	if _, err := plotting.PNG(r, 0, 0, 72); err != nil {
		t.Error(err)
	}
	for name, f := range map[string]func(){
		"bars": func() {
			GroupedBars(plotting.Config{}, []string{"a"}, Bars{Values: []float64{1, 2}})
		},
		"regression": func() { RegressionPlot(plotting.Config{}, data, out[:3]) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with mismatched lengths did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestLineFits(t *testing.T) {
	// Points on y = 2x + 1, and one outlier far above.
	x := []float64{-2, -1, 0, 1, 2, 3}
	y := []float64{-3, -1, 1, 3, 5, 7}
	ls := LeastSquaresLine(x, y)
	if math.Abs(ls.Slope-2) > 1e-12 || math.Abs(ls.Intercept-1) > 1e-12 {
		t.Errorf("least squares on an exact line: %+v", ls)
	}
	y[2] = 30
	ls = LeastSquaresLine(x, y)
	lad := LeastAbsoluteLine(x, y)
	if math.Abs(lad.Slope-2) > 1e-12 || math.Abs(lad.Intercept-1) > 1e-12 {
		t.Errorf("least absolute deviations should ignore one outlier: %+v", lad)
	}
	if math.Abs(ls.Intercept-1) < 1 {
		t.Errorf("least squares should be pulled up by the outlier: %+v", ls)
	}

	data, _ := nn.Regression1D(nn.Regression1DConfig{N: 60, Noise: nn.DefaultRegressionNoise, OutlierFraction: nn.DefaultRegressionOutliers}, rand.New(rand.NewPCG(5, 6)))
	xs, ys := data.X.RawMatrix().Data, data.Y.RawMatrix().Data
	for _, tc := range []struct {
		cost nn.Cost
		eta  float64
		ref  LineFit
		tol  float64
	}{
		{nn.Quadratic{}, 0.1, LeastSquaresLine(xs, ys), 1e-9},
		{nn.MAE{}, 0.01, LeastAbsoluteLine(xs, ys), 1e-3},
	} {
		fit, err := FitLine(context.Background(), data, tc.cost, tc.eta, 3000)
		if err != nil {
			t.Fatal(err)
		}
		if len(fit.Costs) != 3000 {
			t.Errorf("%v: %d costs recorded, want 3000", tc.cost, len(fit.Costs))
		}
		got, want := LineCost(data, tc.cost, fit.Slope, fit.Intercept), LineCost(data, tc.cost, tc.ref.Slope, tc.ref.Intercept)
		if nn.RelativeError(got, want) > tc.tol {
			t.Errorf("%v: gradient descent cost %v, optimum %v", tc.cost, got, want)
		}
		nm, err := MinimizeLine(data, tc.cost)
		if err != nil {
			t.Fatal(err)
		}
		if c := LineCost(data, tc.cost, nm.Slope, nm.Intercept); nn.RelativeError(c, want) > 1e-6 {
			t.Errorf("%v: Nelder–Mead cost %v, optimum %v", tc.cost, c, want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitLine(ctx, data, nn.Quadratic{}, 0.1, 10); err == nil {
		t.Error("FitLine with a cancelled context returned no error")
	}
}

func TestTrainNeuron(t *testing.T) {
	sig := nn.Sigmoid{}
	for _, tc := range []struct {
		cost  nn.Cost
		delta func(a float64) float64 // δ = ∂C/∂z for target 0
	}{
		{nn.Quadratic{}, func(a float64) float64 { return a * a * (1 - a) }},
		{nn.BinaryCrossEntropy{}, func(a float64) float64 { return a }},
	} {
		const w, b, eta = 2.0, 2.0, 0.15
		run := TrainNeuron(tc.cost, w, b, 1, 0, eta, 5)
		if len(run.Cost) != 6 || len(run.Output) != 6 {
			t.Fatalf("%v: %d costs and %d outputs, want 6", tc.cost, len(run.Cost), len(run.Output))
		}
		a0 := sig.F(w + b)
		if run.Output[0] != a0 {
			t.Errorf("%v: start output %v, want %v", tc.cost, run.Output[0], a0)
		}
		// One step by hand: w and b both move by −η δ (input 1).
		w1, b1 := w-eta*tc.delta(a0), b-eta*tc.delta(a0)
		if a1 := sig.F(w1 + b1); math.Abs(run.Output[1]-a1) > 1e-12 {
			t.Errorf("%v: output after one step %v, want %v", tc.cost, run.Output[1], a1)
		}
		for i := 1; i < len(run.Cost); i++ {
			if run.Cost[i] >= run.Cost[i-1] {
				t.Errorf("%v: cost rose at step %d", tc.cost, i)
			}
		}
	}
}

func TestFirstAtOrBelowAndImagesToReach(t *testing.T) {
	v := []float64{0.9, 0.5, 0.2, 0.3, 0.1}
	for _, tc := range []struct {
		thr  float64
		want int
	}{{0.5, 1}, {0.25, 2}, {0.1, 4}, {0.05, -1}, {1, 0}} {
		if got := FirstAtOrBelow(v, tc.thr); got != tc.want {
			t.Errorf("FirstAtOrBelow(%v) = %d, want %d", tc.thr, got, tc.want)
		}
	}
	c := Curve{Images: []float64{0, 100, 200}, Accuracy: []float64{0.1, 0.85, 0.8}}
	if got := c.ImagesToReach(0.8); got != 100 {
		t.Errorf("ImagesToReach(0.8) = %v, want 100", got)
	}
	if got := c.ImagesToReach(0.9); !math.IsNaN(got) {
		t.Errorf("ImagesToReach(0.9) = %v, want NaN", got)
	}
}

func TestTracked(t *testing.T) {
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	data := orData() // 4 samples
	calls := 0
	run, c := Tracked(Run{
		Label:  "or",
		NewNet: func(rng *rand.Rand) *nn.Network { return nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rng) },
		Data:   data,
		Seed:   1,
		Config: nn.TrainConfig{Epochs: 3, BatchSize: 1, Optimizer: &nn.SGD{Eta: 1}, OnBatch: func(nn.BatchInfo) { calls++ }},
	}, data, 3)
	if !run.Uncached || run.Net == nil || run.NewNet != nil {
		t.Fatalf("Tracked run: Uncached %v, Net set %v, NewNet set %v", run.Uncached, run.Net != nil, run.NewNet != nil)
	}
	// The network is the one TrainRuns would have built from the seed.
	want0 := nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, Rand(1, 0))
	if !mat.Equal(run.Net.Params()[0].Value, want0.Params()[0].Value) {
		t.Errorf("Tracked built W1 = %v, want the weights of Rand(Seed, 0)", mat.Formatted(run.Net.Params()[0].Value))
	}
	res, err := d.TrainRuns([]Run{run})
	if err != nil || len(res) != 1 || len(res[0].History) != 3 {
		t.Fatalf("%d results, error %v", len(res), err)
	}
	if calls != 12 {
		t.Errorf("user OnBatch called %d times, want 12", calls)
	}
	// Before training, then batches 3 and 4 of each epoch.
	want := []float64{0, 3, 4, 7, 8, 11, 12}
	if len(c.Images) != len(want) {
		t.Fatalf("images %v, want %v", c.Images, want)
	}
	for i := range want {
		if c.Images[i] != want[i] {
			t.Errorf("images %v, want %v", c.Images, want)
			break
		}
	}
	_, acc := run.Net.Evaluate(data)
	if last := c.Accuracy[len(c.Accuracy)-1]; last != acc {
		t.Errorf("last tracked accuracy %v, want the trained network's %v", last, acc)
	}
}

func TestTrackedPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Tracked with every = 0 did not panic")
		}
	}()
	Tracked(Run{Net: nn.NewMLP([]int{2, 2}, nn.MLPConfig{}, Rand(1, 0)), Data: orData()}, orData(), 0)
}
