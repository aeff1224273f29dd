package nb

import (
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/redesneuronales/course/lib/nn"
)

func TestScheduleSeries(t *testing.T) {
	s := ScheduleSeries("w", nn.Warmup{Epochs: 2}, 1, 3)
	if s.X[0] != 1 || s.Y[0] != 0.5 || s.Y[2] != 1 {
		t.Errorf("series %v", s)
	}
	st := SteppedSeries(s)
	// Rate r_e held over [e−1, e]: a first point at 0, then PreStep.
	if len(st.X) != 4 || st.X[0] != 0 || st.X[1] != 1 || st.Y[0] != 0.5 || st.Y[1] != 0.5 || st.Y[3] != 1 || st.Step != plotter.PreStep {
		t.Errorf("stepped %v", st)
	}
}

func TestCompareWarmup(t *testing.T) {
	d := NewDisplay(io.Discard, t.TempDir())
	data := nn.Blobs(nn.BlobsConfig{N: 100, Std: nn.DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	const eta = 0.8
	cfg := WarmupConfig{Seeds: 2, Epochs: 3, BatchSize: 25, Modes: []WarmupMode{
		{Name: "none"}, {Name: "epochs", Schedule: nn.Warmup{Epochs: 2}}, {Name: "batches", Schedule: nn.BatchWarmup{Steps: 4}},
	}}
	runs, err := d.CompareWarmup(func(rng *rand.Rand) *nn.Network { return nn.NewMLP([]int{2, 4, 3}, nn.MLPConfig{}, rng) },
		func() RateOptimizer { return &nn.SGD{Eta: eta} }, data, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 6 {
		t.Fatalf("%d runs", len(runs))
	}
	want := map[string][]float64{
		"none":    {eta, eta, eta, eta, eta, eta, eta, eta, eta, eta, eta, eta},
		"epochs":  {eta / 2, eta / 2, eta / 2, eta / 2, eta, eta, eta, eta, eta, eta, eta, eta},
		"batches": {eta / 4, eta / 2, 3 * eta / 4, eta, eta, eta, eta, eta, eta, eta, eta, eta},
	}
	for _, r := range runs {
		w := want[r.Mode]
		if len(r.Rates) != len(w) {
			t.Fatalf("%s: %d rates, want %d", r.Mode, len(r.Rates), len(w))
		}
		for i := range w {
			if math.Abs(r.Rates[i]-w[i]) > 1e-15 {
				t.Errorf("%s seed %d: rates %v, want %v", r.Mode, r.Seed, r.Rates, w)
				break
			}
		}
	}
	// same seed, same start: the first minibatch costs agree across modes
	if runs[0].Costs[0] != runs[1].Costs[0] || runs[0].Costs[0] == runs[3].Costs[0] {
		t.Errorf("first costs %g %g (seed 1), %g (seed 2)", runs[0].Costs[0], runs[1].Costs[0], runs[3].Costs[0])
	}
	sum := SummarizeWarmup(runs)
	if len(sum) != 3 || sum[0].Runs != 2 || math.IsNaN(sum[1].Mean) {
		t.Errorf("summary %+v", sum)
	}
	if tb := WarmupTable("x", runs); len(tb.Rows) != 3 {
		t.Errorf("table %v", tb)
	}
	WarmupPlots(runs)
}
