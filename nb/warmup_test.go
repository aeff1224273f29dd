package nb

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/redesneuronales/course/lib/nn"
)

func TestScheduleSeries(t *testing.T) {
	// η_i = iη/n for n = 2, η = 1 over 3 epochs: 0.5, 1, 1, each held over
	// [i−1, i): a first point at 0 with the first rate, then PreStep.
	s := ScheduleSeries("w", nn.Warmup{Epochs: 2}, 1, 3)
	wantX, wantY := []float64{0, 1, 2, 3}, []float64{0.5, 0.5, 1, 1}
	if len(s.X) != len(wantX) || len(s.Y) != len(wantY) || s.Step != plotter.PreStep || s.Name != "w" {
		t.Fatalf("series %+v", s)
	}
	for i := range wantX {
		if s.X[i] != wantX[i] || s.Y[i] != wantY[i] {
			t.Errorf("point %d: (%g, %g), want (%g, %g)", i, s.X[i], s.Y[i], wantX[i], wantY[i])
		}
	}
}

func TestSeedSpread(t *testing.T) {
	result := func(label string, acc ...float64) Result {
		r := Result{Run: Run{Label: label}}
		for i, a := range acc {
			r.History = append(r.History, nn.EpochStats{Epoch: i + 1, ValidationAccuracy: a})
		}
		return r
	}
	failed := result("b", 0.9)
	failed.Err = errors.New("cost is NaN")
	runs := []Result{
		result("a", 0.1, 0.5), result("b", 0.2, 0.6), failed,
		result("a", 0.3, 0.7), result("b", 0.4, 0.8), result("a", 0.5, 0.9),
	}
	got := SeedSpread(runs, ValidationAccuracy)
	// a: 50, 70, 90 → mean 70, sample std 20; b: 60, 80 (one failed) → mean 70, std √200.
	want := []SeedStats{
		{Label: "a", Values: []float64{50, 70, 90}, Mean: 70, Std: 20, Min: 50, Max: 90},
		{Label: "b", Values: []float64{60, 80}, Mean: 70, Std: math.Sqrt(200), Min: 60, Max: 80, Failed: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%d labels, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Label != w.Label || g.Failed != w.Failed || len(g.Values) != len(w.Values) {
			t.Fatalf("%+v, want %+v", g, w)
		}
		for j := range w.Values {
			if math.Abs(g.Values[j]-w.Values[j]) > 1e-12 {
				t.Errorf("%s: values %v, want %v", w.Label, g.Values, w.Values)
			}
		}
		for _, c := range [][2]float64{{g.Mean, w.Mean}, {g.Std, w.Std}, {g.Min, w.Min}, {g.Max, w.Max}} {
			if math.Abs(c[0]-c[1]) > 1e-12 {
				t.Errorf("%s: %+v, want %+v", w.Label, g, w)
				break
			}
		}
	}
	if tb := SeedTable("x", runs, ValidationAccuracy); len(tb.Rows) != 2 || tb.Rows[1][5] != "1 of 3" || tb.Rows[0][6] != "50 70 90" {
		t.Errorf("table %v", tb.Rows)
	}
	// One run: no spread; every run failed: NaN statistics.
	one := SeedSpread([]Result{result("c", 0.4), failed}, ValidationAccuracy)
	if one[0].Std != 0 || one[0].Mean != 40 || !math.IsNaN(one[1].Mean) || one[1].Failed != 1 {
		t.Errorf("%+v", one)
	}
}
