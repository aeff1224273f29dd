package nb

// Helpers for notebook 01_Neuron_and_Network (§1.1–1.3): the neuron, the
// layer and the network.

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// ScalarActivations returns every element-wise activation of lib/nn, in
// the order of Appendix B.1: linear, step, sigmoid, tanh, ReLU, PReLU
// (a = 0.1) and swish. Softmax is missing because it is not element-wise:
// it acts on a whole layer.
func ScalarActivations() []nn.Scalar {
	return []nn.Scalar{nn.Linear{}, nn.Step{}, nn.Sigmoid{}, nn.Tanh{}, nn.ReLU{}, nn.PReLU{A: 0.1}, nn.Swish{}}
}

// ShapeOf returns the shape of m as "rows×cols", such as "30×784".
func ShapeOf(m mat.Matrix) string {
	r, c := m.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// CollapseLinear returns the single affine map x ↦ W x + b that a network
// of Dense layers with Linear activations computes:
//
//	W = W^(L) ⋯ W^(2) W^(1),
//	b = b^(L) + W^(L) b^(L−1) + W^(L) W^(L−1) b^(L−2) + ⋯ + W^(L) ⋯ W^(2) b^(1).
//
// It is built layer by layer: (W, b) ← (W^(l) W, W^(l) b + b^(l)). It
// panics if a layer is not a Dense layer with a Linear activation.
func CollapseLinear(net *nn.Network) (w, b *mat.Dense) {
	for l, layer := range net.Layers {
		d, ok := layer.(*nn.Dense)
		if !ok {
			panic(fmt.Sprintf("nb: CollapseLinear: layer %d is a %T, not a Dense layer", l+1, layer))
		}
		if _, ok := d.Act.(nn.Linear); !ok {
			panic(fmt.Sprintf("nb: CollapseLinear: layer %d has activation %v; only linear layers collapse", l+1, d.Act))
		}
		if w == nil {
			w = mat.DenseCopyOf(d.W.Value)
			b = mat.DenseCopyOf(d.B.Value)
			continue
		}
		var nw, nb mat.Dense
		nw.Mul(d.W.Value, w)
		nb.Mul(d.W.Value, b)
		nb.Add(&nb, d.B.Value)
		w, b = &nw, &nb
	}
	return w, b
}

// XORConfig describes the XOR set of XOR. N zero means its default; Noise
// means what it holds, zero included: without noise the set is the four
// corners of the truth table, repeated.
type XORConfig struct {
	// N is the number of points; 0 means 200. Point i lies in the cluster
	// i mod 4, so the four clusters are as even as N allows.
	N int
	// Noise is the standard deviation of each coordinate around its
	// cluster's centre (0.3 gives clusters that do not touch); 0 means none.
	Noise float64
}

// XOR returns four Gaussian clusters centred at (±1, ±1): a point belongs
// to class 1 when its cluster's two coordinates have different signs and
// to class 0 otherwise, the exclusive or of "x₁ > 0" and "x₂ > 0". No line
// separates the two classes. X is 2 × N, Labels the classes and Y their
// one-hot encoding (2 × N).
func XOR(cfg XORConfig, rng *rand.Rand) *nn.Dataset {
	n := cfg.N
	if n == 0 {
		n = 200
	}
	if n < 0 {
		panic("nb: XORConfig.N is negative")
	}
	noise := cfg.Noise
	if !(noise >= 0) {
		panic(fmt.Sprintf("nb: XORConfig.Noise = %v must be at least 0 (0 means none)", noise))
	}
	centres := [4][2]float64{{-1, -1}, {1, 1}, {-1, 1}, {1, -1}} // classes 0, 0, 1, 1
	x := mat.NewDense(2, n, nil)
	labels := make([]int, n)
	for i := range n {
		c := centres[i%4]
		x.Set(0, i, c[0]+noise*rng.NormFloat64())
		x.Set(1, i, c[1]+noise*rng.NormFloat64())
		labels[i] = (i % 4) / 2
	}
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 2), Labels: labels}
}

// ClassSeries returns the points of a 2-D dataset (X of 2 × N) split by
// label, one series per class named "class k", for plotting.AddPoints.
func ClassSeries(data *nn.Dataset) []plotting.Series {
	if r, _ := data.X.Dims(); r != 2 {
		panic(fmt.Sprintf("nb: ClassSeries: inputs have %d rows, want 2", r))
	}
	if data.Labels == nil {
		panic("nb: ClassSeries: dataset has no labels")
	}
	k := 0
	for _, l := range data.Labels {
		k = max(k, l+1)
	}
	series := make([]plotting.Series, k)
	for c := range series {
		series[c].Name = Tf("class %d", c)
	}
	for i, l := range data.Labels {
		series[l].X = append(series[l].X, data.X.At(0, i))
		series[l].Y = append(series[l].Y, data.X.At(1, i))
	}
	return series
}

// OutputMargin returns the function (x₁, x₂) ↦ a₂^(L) − a₁^(L) of a network
// with two inputs and two outputs: positive where it predicts class 1,
// negative where it predicts class 0, zero on the decision boundary.
func OutputMargin(net *nn.Network) func(x1, x2 float64) float64 {
	in := mat.NewDense(2, 1, nil)
	return func(x1, x2 float64) float64 {
		in.Set(0, 0, x1)
		in.Set(1, 0, x2)
		a := net.Forward(in, nn.Inference)
		if r, _ := a.Dims(); r != 2 {
			panic(fmt.Sprintf("nb: OutputMargin: network has %d outputs, want 2", r))
		}
		return a.At(1, 0) - a.At(0, 0)
	}
}

// DecisionRegions draws the decision regions of a network with two inputs
// and two outputs over xr × yr: the background shows a₂^(L) − a₁^(L) (red
// where the network predicts class 0, blue for class 1, white on the
// boundary, which is also drawn as a contour line) and the points of data
// are drawn on top, one marker per class.
func DecisionRegions(cfg plotting.Config, net *nn.Network, data *nn.Dataset, xr, yr plotting.Range) *plot.Plot {
	p := plotting.ContourWith(cfg, plotting.ContourStyle{Levels: []float64{0}, Palette: plotting.LightDiverging(), Symmetric: true},
		OutputMargin(net), xr, yr)
	plotting.AddPoints(p, ClassSeries(data)...)
	return p
}
