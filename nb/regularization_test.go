package nb

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/redesneuronales/course/lib/nn"
)

func TestOverfitConfigDefaultsAndKey(t *testing.T) {
	c := OverfitConfig{}.WithDefaults()
	if c.Images != 1000 || c.TestImages != nn.MNISTTestSize || c.Hidden != 30 || c.Epochs != 400 || c.Eta != 0 || c.BatchSize != 10 {
		t.Errorf("defaults %+v are not Nielsen's (with η = 0 kept)", c)
	}
	a, b := OverfitConfig{Seed: 1}.Key(), OverfitConfig{Seed: 2}.Key()
	if a == b || !strings.Contains(a, "n1000") || !strings.Contains(a, "e400") {
		t.Errorf("keys %q and %q do not name the settings", a, b)
	}
	net := OverfitConfig{Hidden: 5}.Network(0.5)
	if len(net.Layers) != 3 || net.NumParams() != 784*5+5+5*10+10 {
		t.Errorf("network with dropout: %v", net)
	}
	if _, ok := net.Layers[1].(*nn.Dropout); !ok {
		t.Errorf("layer 2 is %T, want dropout", net.Layers[1])
	}
	if n := (OverfitConfig{Hidden: 5}.Network(1)); len(n.Layers) != 2 {
		t.Errorf("network without dropout has %d layers", len(n.Layers))
	}
}

func TestMaskStats(t *testing.T) {
	a := []float64{0.2, 0.5, 1, 3}
	for _, p := range []float64{0.3, 0.5, 0.9} {
		ratio, zeros, v := MaskStats(a, p, 20000, rand.New(rand.NewPCG(1, 2)))
		if math.Abs(ratio-p) > 0.01 || math.Abs(zeros-(1-p)) > 0.01 || math.Abs(v-p*(1-p)) > 0.01 {
			t.Errorf("p = %v: ratio %v, zeros %v, variance %v", p, ratio, zeros, v)
		}
	}
}

func TestWeightStatistics(t *testing.T) {
	w := []float64{-3, 0.001, -0.002, 0.5, 2}
	if got := SmallFraction(w, 0.01); got != 0.4 {
		t.Errorf("SmallFraction = %v, want 0.4", got)
	}
	// |w| sorted: 0.001, 0.002, 0.5, 2, 3; the q-quantile is the smallest
	// value with a fraction q of them at or below it.
	for _, tc := range []struct{ q, want float64 }{{0.5, 0.5}, {0.4, 0.002}, {0.41, 0.5}, {1, 3}, {0, 0.001}} {
		if got := AbsQuantile(w, tc.q); got != tc.want {
			t.Errorf("AbsQuantile(w, %v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	net := nn.NewMLP([]int{3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	if got := Weights(net); len(got) != 6 {
		t.Errorf("Weights returned %d values, want the 6 weights without biases", len(got))
	}
}

func TestAccuracyPlotAndRunTable(t *testing.T) {
	h := nn.History{{Epoch: 1, ValidationAccuracy: 0.5, TrainAccuracy: 0.6}, {Epoch: 2, ValidationAccuracy: 0.7, TrainAccuracy: 0.8}, {Epoch: 3, ValidationAccuracy: 0.6, TrainAccuracy: 0.9}}
	runs := []Run{{Name: "plain", History: h, Test: 0.55}, {Name: "stopped", History: h, Best: 2, Test: 0.7}}
	p := AccuracyPlot("acc", runs)
	if p.Title.Text != "acc" {
		t.Errorf("plot title %q", p.Title.Text)
	}
	// The axes span the data: epochs 1..3, accuracies 50..70 %.
	if p.X.Min != 1 || p.X.Max != 3 || p.Y.Min != 50 || p.Y.Max != 70 {
		t.Errorf("plot spans x [%v, %v], y [%v, %v], want [1, 3] and [50, 70]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	tab := RunTable("runs", runs)
	if len(tab.Rows) != 2 || tab.Rows[1][1] != "3 (best 2)" || tab.Rows[0][5] != "55.00 %" {
		t.Errorf("table rows %v", tab.Rows)
	}
}
