package nb

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func TestFilterConv(t *testing.T) {
	img := []float64{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	// Filter 0 gives a_{ij} − a_{i+1,j+1} = −4 at every position; filter 1,
	// the sum of the window: 12, 16, 24 and 28.
	filters := [][]float64{{1, 0, 0, -1}, {1, 1, 1, 1}}
	c := FilterConv(3, 3, filters, 2, 2, 1, 0, nil)
	want := []float64{-4, -4, -4, -4, 12, 16, 24, 28}
	if got := ForwardOne(c, img); MaxAbsDiff(got, want) > 1e-12 {
		t.Errorf("FilterConv output = %v, want %v", got, want)
	}
	// Padding 1 and stride 2 on 3 × 3 with a 3 × 3 filter whose only weight
	// is its top-left one: windows start at rows and columns −1 and 1, so
	// the output is a_{r,q} for r, q ∈ {−1, 1}, zero in the padding.
	p := FilterConv(3, 3, [][]float64{{1, 0, 0, 0, 0, 0, 0, 0, 0}}, 3, 3, 2, 1, nil)
	if got := ForwardOne(p, img); MaxAbsDiff(got, []float64{0, 0, 0, 5}) != 0 {
		t.Errorf("padding 1, stride 2: %v, want [0 0 0 5]", got)
	}
	if got := Filters(c); MaxAbsDiff(got[1], filters[1]) != 0 {
		t.Errorf("Filters = %v, want %v", got, filters)
	}
	if msg := mustPanic(t, func() { FilterConv(3, 3, [][]float64{{1}}, 2, 2, 1, 0, nil) }); !strings.Contains(msg, "nb: FilterConv: filter 0 has 1 values, want 2 × 2") {
		t.Errorf("a filter of the wrong size: panic %q", msg)
	}
	if msg := mustPanic(t, func() { FilterConv(7, 6, [][]float64{make([]float64, 6)}, 3, 2, 3, 0, nil) }); !strings.Contains(msg, "nn: NewConv: convolution, height") {
		t.Errorf("a stride that does not fit: panic %q", msg)
	}
}

func TestCrop(t *testing.T) {
	s := nn.Shape{Height: 3, Width: 3, Channels: 2}
	col := make([]float64, s.Len())
	for i := range col {
		col[i] = float64(i)
	}
	if got := Crop(col, s, 1, 1, 2, 2); MaxAbsDiff(got, []float64{4, 5, 7, 8, 13, 14, 16, 17}) != 0 {
		t.Errorf("Crop = %v", got)
	}
}

func TestNewCNN(t *testing.T) {
	for _, tc := range []struct {
		cfg    CNNConfig
		params int
		layers int
	}{
		{CNNConfig{Filters: []int{20}, Hidden: 100}, 520 + 2880*100 + 100 + 1010, 5},
		{CNNConfig{Filters: []int{20, 40}, Hidden: 100, Act: nn.ReLU{}, Keep: 0.5}, 520 + 40*501 + 640*100 + 100 + 1010, 9},
	} {
		net := NewCNN(tc.cfg, rand.New(rand.NewPCG(1, 1)))
		if net.NumParams() != tc.params || len(net.Layers) != tc.layers {
			t.Errorf("%v: %d parameters in %d layers, want %d in %d", tc.cfg, net.NumParams(), len(net.Layers), tc.params, tc.layers)
		}
		out := net.Forward(mat.NewDense(nn.MNISTPixels, 3, nil), nn.Inference)
		if r, c := out.Dims(); r != 10 || c != 3 {
			t.Errorf("%v: output %d×%d", tc.cfg, r, c)
		}
		if FirstConv(net) == nil || !strings.Contains(tc.cfg.String(), "softmax") {
			t.Errorf("%v: no first convolution or no description", tc.cfg)
		}
		if tab := SummaryTable("", net); len(tab.Rows) != tc.layers+1 {
			t.Errorf("summary has %d rows, want %d", len(tab.Rows), tc.layers+1)
		}
	}
	if msg := mustPanic(t, func() { NewCNN(CNNConfig{Hidden: 100}, rand.New(rand.NewPCG(1, 1))) }); !strings.Contains(msg, "nb: NewCNN: need at least one convolution") {
		t.Errorf("a network without convolutions: panic %q", msg)
	}
}

func TestUpsample(t *testing.T) {
	got := Upsample([]float64{1, 2, 3, 4, 5, 6}, 2, 3, 2)
	want := []float64{
		1, 1, 2, 2, 3, 3,
		1, 1, 2, 2, 3, 3,
		4, 4, 5, 5, 6, 6,
		4, 4, 5, 5, 6, 6,
	}
	if MaxAbsDiff(got, want) != 0 {
		t.Errorf("Upsample = %v", got)
	}
}
