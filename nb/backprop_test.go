package nb

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// backpropNet returns a small 3-4-3-2 sigmoid network with a batch of m
// samples.
func backpropNet(seed uint64, m int) (*nn.Network, *mat.Dense, *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 7))
	net := nn.NewMLP([]int{3, 4, 3, 2}, nn.MLPConfig{}, rng)
	x := mat.NewDense(3, m, nil)
	y := mat.NewDense(2, m, nil)
	for j := range m {
		for i := range 3 {
			x.Set(i, j, rng.NormFloat64())
		}
		y.Set(j%2, j, 1)
	}
	return net, x, y
}

func TestParamSymbol(t *testing.T) {
	for in, want := range map[string]string{"W1": "W⁽¹⁾", "b10": "b⁽¹⁰⁾", "gamma": "gamma", "3": "3"} {
		if got := ParamSymbol(in); got != want {
			t.Errorf("ParamSymbol(%q) = %q, want %q", in, got, want)
		}
	}
}

// The numeric derivative of the cost with respect to a^(l) is
// (W^(l+1))ᵀ δ^(l+1), and with respect to z^(l) it is δ^(l): the two steps
// of the chain-rule proof of §3, checked against lib/nn's backward pass.
func TestBackpropCostFromLayerGivesChainRule(t *testing.T) {
	net, x, y := backpropNet(5, 1)
	net.Gradient(x, y)
	L := len(net.Layers)
	dense := func(l int) *nn.Dense { return net.Layers[l-1].(*nn.Dense) }
	if c, want := CostFromLayer(net, 0, x, y), net.Loss(x, y); c != want {
		t.Errorf("CostFromLayer(0) = %v, want the loss %v", c, want)
	}
	net.Gradient(x, y)
	// Keep copies: the numeric derivatives overwrite the layers' matrices.
	var as, zs, deltas []*mat.Dense
	for l := 1; l <= L; l++ {
		as = append(as, mat.DenseCopyOf(dense(l).A))
		zs = append(zs, mat.DenseCopyOf(dense(l).Z))
		deltas = append(deltas, mat.DenseCopyOf(dense(l).Delta))
	}
	for l := 1; l <= L; l++ {
		// ∂C/∂z^(l) = δ^(l).
		numZ := nn.NumericGradient(nil, func(v []float64) float64 {
			return CostFromWeightedInput(net, l, mat.NewDense(len(v), 1, v), y)
		}, flatten(zs[l-1]), 0)
		if e := nn.VectorRelativeError(numZ, flatten(deltas[l-1])); e > 1e-7 {
			t.Errorf("layer %d: ∂C/∂z differs from δ by %.1e", l, e)
		}
		if l == L {
			continue
		}
		// ∂C/∂a^(l) = (W^(l+1))ᵀ δ^(l+1).
		var back mat.Dense
		back.Mul(dense(l+1).W.Value.T(), deltas[l])
		numA := nn.NumericGradient(nil, func(v []float64) float64 {
			return CostFromLayer(net, l, mat.NewDense(len(v), 1, v), y)
		}, flatten(as[l-1]), 0)
		if e := nn.VectorRelativeError(numA, flatten(&back)); e > 1e-7 {
			t.Errorf("layer %d: ∂C/∂a differs from Wᵀδ by %.1e", l, e)
		}
	}
}

func TestBackpropCostFromPanics(t *testing.T) {
	net, x, y := backpropNet(1, 1)
	for name, f := range map[string]func(){
		"layer too high":  func() { CostFromLayer(net, 4, x, y) },
		"z of layer 0":    func() { CostFromWeightedInput(net, 0, x, y) },
		"z of layer 4":    func() { CostFromWeightedInput(net, 4, x, y) },
		"negative layer":  func() { CostFromLayer(net, -1, x, y) },
		"misclassified":   func() { Misclassified(&nn.Dataset{X: x, Y: y, Labels: []int{0}}, []int{0, 1}, 1) },
		"confusion shape": func() { ConfusionTable("", mat.NewDense(2, 3, nil)) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "nb: ") {
					t.Errorf("%s: panic %v, want an nb: panic", name, r)
				}
			}()
			f()
		}()
	}
}

func TestBackpropColumn(t *testing.T) {
	x := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	c := Column(x, 1)
	if r, k := c.Dims(); r != 2 || k != 1 || c.At(0, 0) != 2 || c.At(1, 0) != 5 {
		t.Errorf("Column(x, 1) = %v", mat.Formatted(c))
	}
	c.Set(0, 0, 9)
	if x.At(0, 1) != 2 {
		t.Error("Column shares memory with x")
	}
}

func TestConfusionTable(t *testing.T) {
	c := mat.NewDense(3, 3, []float64{
		8, 2, 0,
		0, 5, 0,
		1, 0, 0,
	})
	tab := ConfusionTable("confusion", c)
	if len(tab.Header) != 6 || len(tab.Rows) != 3 {
		t.Fatalf("header %v, %d rows", tab.Header, len(tab.Rows))
	}
	for i, want := range [][]string{
		{"0", "8", "2", "0", "10", "80.0%"},
		{"1", "0", "5", "0", "5", "100.0%"},
		{"2", "1", "0", "0", "1", "0.0%"},
	} {
		if got := strings.Join(tab.Rows[i], " "); got != strings.Join(want, " ") {
			t.Errorf("row %d = %q, want %q", i, got, strings.Join(want, " "))
		}
	}
	if row := ConfusionTable("", mat.NewDense(2, 2, nil)).Rows[0]; row[len(row)-1] != "—" {
		t.Errorf("empty class: %v", row)
	}
}

func TestMisclassified(t *testing.T) {
	x := mat.NewDense(2, 4, []float64{
		0, 1, 2, 3,
		10, 11, 12, 13,
	})
	labels := []int{0, 1, 2, 1}
	d := &nn.Dataset{X: x, Y: nn.OneHot(labels, 3), Labels: labels}
	pred := []int{0, 2, 2, 0}
	for _, tc := range []struct {
		n      int
		titles []string
		first  []float64
	}{
		{10, []string{"1 → 2", "1 → 0"}, []float64{1, 11}},
		{1, []string{"1 → 2"}, []float64{1, 11}},
		{0, nil, nil},
	} {
		imgs, titles := Misclassified(d, pred, tc.n)
		if strings.Join(titles, ",") != strings.Join(tc.titles, ",") || len(imgs) != len(titles) {
			t.Errorf("n=%d: titles %q (%d images), want %q", tc.n, titles, len(imgs), tc.titles)
		}
		if tc.first != nil && (imgs[0][0] != tc.first[0] || imgs[0][1] != tc.first[1]) {
			t.Errorf("n=%d: first image %v, want %v", tc.n, imgs[0], tc.first)
		}
	}
}

func TestEpochTableAndMeanTime(t *testing.T) {
	h := nn.History{
		{Epoch: 1, TrainCost: 0.5, TrainAccuracy: 0.8, ValidationCost: math.NaN(), ValidationAccuracy: math.NaN(), Duration: time.Second},
		{Epoch: 2, TrainCost: 0.25, TrainAccuracy: 0.9, ValidationCost: 0.3, ValidationAccuracy: 0.875, Duration: 3 * time.Second},
	}
	tab := EpochTable("epochs", h)
	if got := strings.Join(tab.Rows[1], " "); got != "2 0.2500 90.00% 0.3000 87.50% 3.00" {
		t.Errorf("row 2 = %q", got)
	}
	if tab.Rows[0][3] != "—" {
		t.Errorf("missing validation shown as %q", tab.Rows[0][3])
	}
	if m := MeanEpochTime(h); m != 2*time.Second {
		t.Errorf("mean epoch time %v, want 2s", m)
	}
	if m := MeanEpochTime(nil); m != 0 {
		t.Errorf("empty history: %v", m)
	}
}
