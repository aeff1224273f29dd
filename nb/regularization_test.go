package nb

import (
	"testing"

	"github.com/redesneuronales/course/lib/nn"
)

func TestOverfitConfigDefaults(t *testing.T) {
	c := OverfitConfig{}.WithDefaults()
	if c.Images != 1000 || c.TestImages != nn.MNISTTestSize || c.Hidden != 30 || c.Epochs != 400 || c.Eta != 0 || c.BatchSize != 10 {
		t.Errorf("defaults %+v are not Nielsen's (with η = 0 kept)", c)
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
	net := nn.NewMLP([]int{3, 2}, nn.MLPConfig{}, Rand(1, 1))
	if got := Weights(net); len(got) != 6 {
		t.Errorf("Weights returned %d values, want the 6 weights without biases", len(got))
	}
}
