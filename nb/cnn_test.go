package nb

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func TestCorrelate2D(t *testing.T) {
	a := []float64{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	f := []float64{
		1, 0,
		0, -1,
	}
	// (a ∗ F)_{ij} = a_{ij} − a_{i+1,j+1} = −4 everywhere.
	got := Correlate2D(a, 3, 3, f, 2, 2)
	for i, v := range got {
		if v != -4 {
			t.Fatalf("Correlate2D[%d] = %v, want −4 (%v)", i, v, got)
		}
	}
	// Flipped, the same filter gives a_{i+1,j+1} − a_{ij} = +4.
	for i, v := range Convolve2D(a, 3, 3, f, 2, 2) {
		if v != 4 {
			t.Fatalf("Convolve2D[%d] = %v, want 4", i, v)
		}
	}
	if r := Rotate180([]float64{1, 2, 3, 4, 5, 6}); MaxAbsDiff(r, []float64{6, 5, 4, 3, 2, 1}) != 0 {
		t.Errorf("Rotate180 = %v", r)
	}
}

func TestFilterConvMatchesCorrelate(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	img := make([]float64, 7*6)
	for i := range img {
		img[i] = rng.Float64()
	}
	filters := [][]float64{{1, 2, 3, 4, 5, 6}, {0, -1, 0, 1, 0.5, 0}}
	c := FilterConv(7, 6, filters, 3, 2, 1, 0, nil)
	maps := Maps(ForwardOne(c, img), c.Out)
	for o, f := range filters {
		if d := MaxAbsDiff(maps[o], Correlate2D(img, 7, 6, f, 3, 2)); d > 1e-12 {
			t.Errorf("filter %d: layer and loops differ by %g", o, d)
		}
	}
	if got := Filters(c); MaxAbsDiff(got[1], filters[1]) != 0 {
		t.Errorf("Filters = %v, want %v", got, filters)
	}
	if msg := mustPanic(t, func() { FilterConv(7, 6, [][]float64{{1}}, 3, 2, 1, 0, nil) }); !strings.Contains(msg, "nb: FilterConv: filter 0 has 1 values, want 3 × 2") {
		t.Errorf("a filter of the wrong size: panic %q", msg)
	}
	if msg := mustPanic(t, func() { FilterConv(7, 6, filters, 3, 2, 3, 0, nil) }); !strings.Contains(msg, "nn: NewConv: convolution, height") {
		t.Errorf("a stride that does not fit: panic %q", msg)
	}
}

func TestParamCounts(t *testing.T) {
	conv, local, full := ParamCounts(nn.Shape{Height: 28, Width: 28, Channels: 1}, nn.Shape{Height: 24, Width: 24, Channels: 20}, 5, 5)
	if conv != 520 || local != 11520*26 || full != 11520*785 {
		t.Errorf("ParamCounts = %d, %d, %d", conv, local, full)
	}
}

func TestAvgPoolConv(t *testing.T) {
	in := nn.Shape{Height: 6, Width: 4, Channels: 3}
	c := AvgPoolConv(in, 2)
	p := nn.NewPool(nn.PoolConfig{Input: in, Kind: nn.AvgPool, SizeH: 2})
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]float64, in.Len())
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	if d := MaxAbsDiff(ForwardOne(c, x), ForwardOne(p, x)); d > 1e-14 {
		t.Errorf("average pooling as a convolution differs by %g", d)
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
