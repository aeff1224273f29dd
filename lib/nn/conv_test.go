package nn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// convTerms calls f for every term w·a of the formula of §6.4 for a batch
// of B samples, with loops straight from the formula: output neuron out =
// (o, i, j) of sample s, column col of filter o and the input neuron in
// that it multiplies (terms that fall on the zeros outside the input are
// left out). For one output neuron the terms come in the formula's order.
func convTerms(c *Conv, B int, f func(s, o, out, col, in int)) {
	cfg := c.Config()
	for s := range B {
		for o := range c.Out.Channels {
			for i := range c.Out.Height {
				for j := range c.Out.Width {
					for ch := range c.In.Channels {
						for u := range cfg.FilterH {
							for v := range cfg.FilterW {
								ii := i*cfg.StrideH + u - cfg.PadH
								jj := j*cfg.StrideW + v - cfg.PadW
								if ii < 0 || jj < 0 || ii >= c.In.Height || jj >= c.In.Width {
									continue
								}
								f(s, o, c.Out.Index(o, i, j), (ch*cfg.FilterH+u)*cfg.FilterW+v, c.In.Index(ch, ii, jj))
							}
						}
					}
				}
			}
		}
	}
}

// naiveConv computes the weighted input z = b + Σ w·a of a convolutional
// layer term by term (convTerms): the reference for the im2col
// implementation.
func naiveConv(c *Conv, x *mat.Dense) *mat.Dense {
	_, B := x.Dims()
	z := mat.NewDense(c.Out.Len(), B, nil)
	p := c.Out.Height * c.Out.Width
	for out := range c.Out.Len() {
		for s := range B {
			z.Set(out, s, c.B.Value.At(out/p, 0))
		}
	}
	convTerms(c, B, func(s, o, out, col, in int) {
		z.Set(out, s, z.At(out, s)+c.W.Value.At(o, col)*x.At(in, s))
	})
	return z
}

// naiveConvBackward returns ∂C/∂W, ∂C/∂b (averaged over the batch) and
// ∂C/∂x for δ = ∂C/∂z, term by term as naiveConv.
func naiveConvBackward(c *Conv, x, delta *mat.Dense) (dw, db, dx *mat.Dense) {
	_, B := x.Dims()
	dw = mat.NewDense(c.Out.Channels, c.W.Value.RawMatrix().Cols, nil)
	db = mat.NewDense(c.Out.Channels, 1, nil)
	dx = mat.NewDense(c.In.Len(), B, nil)
	p := c.Out.Height * c.Out.Width
	for out := range c.Out.Len() {
		for s := range B {
			db.Set(out/p, 0, db.At(out/p, 0)+delta.At(out, s)/float64(B))
		}
	}
	convTerms(c, B, func(s, o, out, col, in int) {
		d := delta.At(out, s)
		dw.Set(o, col, dw.At(o, col)+d*x.At(in, s)/float64(B))
		dx.Set(in, s, dx.At(in, s)+d*c.W.Value.At(o, col))
	})
	return dw, db, dx
}

func randomDense(r, c int, rng *rand.Rand) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// convCases are configurations with several strides, paddings, channel
// counts and rectangular filters.
var convCases = []ConvConfig{
	{Input: Shape{5, 5, 1}, Filters: 1, FilterH: 3},
	{Input: Shape{6, 7, 2}, Filters: 3, FilterH: 3, FilterW: 2},
	{Input: Shape{7, 7, 3}, Filters: 2, FilterH: 3, StrideH: 2, StrideW: 2},
	{Input: Shape{5, 6, 2}, Filters: 4, FilterH: 3, FilterW: 4, PadH: 1, PadW: 2, StrideW: 2},
	{Input: Shape{4, 4, 1}, Filters: 2, FilterH: 3, PadH: 2, PadW: 2},
	{Input: Shape{2, 3, 2}, Filters: 1, FilterH: 5, FilterW: 3, PadH: 2, PadW: 3, StrideW: 2},
	{Input: Shape{8, 8, 3}, Filters: 5, FilterH: 1},
	{Input: Shape{12, 12, 4}, Filters: 6, FilterH: 5, StrideH: 1},
}

func TestConvMatchesNaive(t *testing.T) {
	for _, cfg := range convCases {
		// Batches of one, a few, the chunk size and more than a chunk.
		for _, B := range []int{1, 3, convChunk, convChunk + 5, 2*convChunk + 1} {
			name := fmt.Sprintf("%v/f%dx%d/S%dx%d/P%dx%d/k%d/B%d", cfg.Input, cfg.FilterH, cfg.FilterW, cfg.StrideH, cfg.StrideW, cfg.PadH, cfg.PadW, cfg.Filters, B)
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, uint64(B)))
				cfg := cfg
				cfg.Act = Linear{}
				c := NewConv(cfg, rng)
				x := randomDense(c.In.Len(), B, rng)
				z := c.Forward(x, Training)
				want := naiveConv(c, x)
				if !mat.EqualApprox(z, want, 1e-12) {
					t.Fatalf("forward differs from the naive loops by %g", maxAbsDiff(z, want))
				}
				delta := randomDense(c.Out.Len(), B, rng)
				dx := c.Backward(delta)
				dw, db, wantDx := naiveConvBackward(c, x, delta)
				for _, cmp := range []struct {
					name      string
					got, want *mat.Dense
				}{{"∂C/∂W", c.W.Grad, dw}, {"∂C/∂b", c.B.Grad, db}, {"∂C/∂x", dx, wantDx}} {
					if !mat.EqualApprox(cmp.got, cmp.want, 1e-10) {
						t.Errorf("%s differs from the naive loops by %g", cmp.name, maxAbsDiff(cmp.got, cmp.want))
					}
				}
				// The first-layer path sets the same parameter gradients.
				gw := mat.DenseCopyOf(c.W.Grad)
				c.W.Grad.Zero()
				c.Forward(x, Training)
				c.BackwardParams(delta)
				if !mat.EqualApprox(c.W.Grad, gw, 1e-12) {
					t.Errorf("BackwardParams differs from Backward by %g", maxAbsDiff(c.W.Grad, gw))
				}
			})
		}
	}
}

func maxAbsDiff(a, b *mat.Dense) float64 {
	var d mat.Dense
	d.Sub(a, b)
	return mat.Norm(&d, math.Inf(1))
}

// checkLayerGradients compares a layer's Backward with central differences
// of f = Σ g ⊙ Forward(x) with respect to the input and every parameter.
func checkLayerGradients(t *testing.T, layer Layer, x *mat.Dense, rng *rand.Rand, tol float64) {
	t.Helper()
	out := layer.Forward(x, Training)
	r, B := out.Dims()
	g := randomDense(r, B, rng)
	f := func() float64 { return mat.Sum(mulElem(layer.Forward(x, Training), g)) }
	layer.Forward(x, Training)
	dx := mat.DenseCopyOf(layer.Backward(g))
	numeric := func(v []float64) []float64 {
		n := make([]float64, len(v))
		for i, orig := range v {
			n[i] = NumericDerivative(func(t float64) float64 { v[i] = t; return f() }, orig, 0)
			v[i] = orig
		}
		return n
	}
	if e := VectorRelativeError(dx.RawMatrix().Data, numeric(x.RawMatrix().Data)); e > tol {
		t.Errorf("∂C/∂x: relative error %.2g > %g", e, tol)
	}
	for _, p := range layer.Params() {
		num := numeric(p.Value.RawMatrix().Data)
		for i := range num {
			num[i] /= float64(B) // Backward averages over the batch
		}
		if e := VectorRelativeError(p.Grad.RawMatrix().Data, num); e > tol {
			t.Errorf("∂C/∂%s: relative error %.2g > %g", p.Name, e, tol)
		}
	}
}

func mulElem(a, b *mat.Dense) *mat.Dense {
	var m mat.Dense
	m.MulElem(a, b)
	return &m
}

func TestConvGradients(t *testing.T) {
	for i, cfg := range convCases {
		for _, act := range []Activation{Tanh{}, Sigmoid{}} {
			t.Run(fmt.Sprintf("case%d/%v", i, act), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, uint64(i)))
				cfg := cfg
				cfg.Act = act
				c := NewConv(cfg, rng)
				checkLayerGradients(t, c, randomDense(c.In.Len(), 3, rng), rng, 1e-7)
			})
		}
	}
}

// A whole network conv → pool → conv → dense checked by CheckGradients,
// so that the second convolution's input gradient feeds the first's.
func TestConvNetworkGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	c1 := NewConv(ConvConfig{Input: Shape{8, 8, 1}, Filters: 3, FilterH: 3, PadH: 1, PadW: 1, Act: Tanh{}}, rng)
	p1 := NewPool(PoolConfig{Input: c1.Out, Kind: AvgPool, SizeH: 2})
	c2 := NewConv(ConvConfig{Input: p1.Out, Filters: 2, FilterH: 2, StrideH: 2, StrideW: 2, Act: Sigmoid{}}, rng)
	net := NewNetwork(CrossEntropy{}, c1, p1, c2, NewDense(c2.Out.Len(), 3, Softmax{}, InitScaled, rng))
	x := randomDense(64, 4, rng)
	y := OneHot([]int{0, 2, 1, 2}, 3)
	for _, pc := range CheckGradients(net, x, y, 0) {
		if pc.RelErr > 1e-7 {
			t.Errorf("%s: relative error %.2g", pc.Param.Name, pc.RelErr)
		}
	}
	if got := []string{c1.W.Name, c2.W.Name}; got[0] != "W1" || got[1] != "W3" {
		t.Errorf("parameter names %v, want W1 and W3 (counted by layer)", got)
	}
}

func TestConvOutputSize(t *testing.T) {
	for m := 1; m <= 12; m++ {
		for f := 1; f <= 7; f++ {
			for p := 0; p <= 3; p++ {
				for s := 1; s <= 4; s++ {
					got, err := ConvOutputSize(m, f, p, s)
					// Slide the window over the padded input and count; the
					// size is whole when the last window ends at the edge.
					count, end := 0, 0
					for start := -p; start+f <= m+p; start += s {
						count, end = count+1, start+f
					}
					exact := count > 0 && end == m+p
					switch {
					case exact && err != nil:
						t.Errorf("m=%d f=%d P=%d S=%d: unexpected error %v", m, f, p, s, err)
					case exact && got != count:
						t.Errorf("m=%d f=%d P=%d S=%d: %d positions, want %d", m, f, p, s, got, count)
					case !exact && err == nil:
						t.Errorf("m=%d f=%d P=%d S=%d: %d positions accepted; the windows do not tile the padded input", m, f, p, s, got)
					}
				}
			}
		}
	}
}

func TestConvInvalid(t *testing.T) {
	for _, tc := range []struct {
		cfg  ConvConfig
		want string
	}{
		{ConvConfig{Input: Shape{28, 28, 1}, Filters: 20, FilterH: 5, StrideH: 2, StrideW: 2}, "(28+2·0−5)/2+1 = 23/2+1 is not a whole number"},
		{ConvConfig{Input: Shape{28, 27, 1}, Filters: 20, FilterH: 5, StrideW: 3}, "width: output size (m+2P−f)/S+1 = (27+2·0−5)/3+1"},
		{ConvConfig{Input: Shape{4, 4, 1}, Filters: 2, FilterH: 5}, "window f=5 is larger than the padded input m+2P = 4+2·0 = 4"},
		{ConvConfig{Input: Shape{4, 4, 1}, Filters: 0, FilterH: 3}, "k_O = 0"},
		{ConvConfig{Input: Shape{4, 0, 1}, Filters: 1, FilterH: 3}, "4×0×1"},
		{ConvConfig{Input: Shape{4, 4, 1}, Filters: 1}, "window f=0"},
		{ConvConfig{Input: Shape{4, 4, 1}, Filters: 1, FilterH: 3, PadH: -1}, "padding P=-1"},
	} {
		// OutputShape returns the message as an error, NewConv panics with it.
		_, err := tc.cfg.OutputShape()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v.OutputShape(): error %v, want one containing %q", tc.cfg, err, tc.want)
		}
		wantPanic(t, "NewConv: convolution", func() { NewConv(tc.cfg, rand.New(rand.NewPCG(1, 1))) })
		wantPanic(t, tc.want, func() { NewConv(tc.cfg, rand.New(rand.NewPCG(1, 1))) })
	}
}

func TestConvShapeMisuse(t *testing.T) {
	c := NewConv(ConvConfig{Input: Shape{5, 5, 2}, Filters: 1, FilterH: 3}, rand.New(rand.NewPCG(1, 1)))
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "5×5×2 = 50") {
			t.Errorf("panic %v, want one naming the expected 5×5×2 = 50 rows", r)
		}
	}()
	c.Forward(mat.NewDense(49, 2, nil), Training)
}

func TestShapeIndex(t *testing.T) {
	s := Shape{Height: 3, Width: 4, Channels: 2}
	seen := make(map[int]bool)
	for c := range 2 {
		for i := range 3 {
			for j := range 4 {
				r := s.Index(c, i, j)
				if r < 0 || r >= s.Len() || seen[r] {
					t.Fatalf("Index(%d, %d, %d) = %d repeats or leaves [0, %d)", c, i, j, r, s.Len())
				}
				seen[r] = true
			}
		}
	}
	if s.Index(1, 0, 0) != 12 || s.Index(0, 1, 0) != 4 {
		t.Errorf("layout is not channel-major, row by row")
	}
}

func TestSummary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	c := NewConv(ConvConfig{Input: Shape{28, 28, 1}, Filters: 20, FilterH: 5}, rng)
	p := NewPool(PoolConfig{Input: c.Out, SizeH: 2})
	net := NewNetwork(CrossEntropy{}, c, p, NewDense(p.Out.Len(), 100, nil, InitScaled, rng), NewDense(100, 10, Softmax{}, InitScaled, rng))
	want := []struct{ w, b int }{{20 * 25, 20}, {0, 0}, {2880 * 100, 100}, {1000, 10}}
	total := 0
	for i, s := range net.Summary() {
		if s.Weights != want[i].w || s.Biases != want[i].b || s.Layer != i+1 {
			t.Errorf("layer %d: %d weights, %d biases, want %d and %d", i+1, s.Weights, s.Biases, want[i].w, want[i].b)
		}
		total += s.Params()
	}
	if total != net.NumParams() {
		t.Errorf("summary adds up to %d, NumParams is %d", total, net.NumParams())
	}
	if tab := net.SummaryTable(); !strings.Contains(tab, fmt.Sprint(net.NumParams())) {
		t.Errorf("table lacks the total %d:\n%s", net.NumParams(), tab)
	}
}

// The layer gives the same results with every kernel level the machine
// has (the products themselves are tested in internal/kernel).
func TestConvEveryKernel(t *testing.T) {
	defer kernel.SetLevel(kernel.Current())
	for l := kernel.Generic; l <= kernel.Best(); l++ {
		t.Run(l.String(), func(t *testing.T) {
			kernel.SetLevel(l)
			TestConvMatchesNaive(t)
		})
	}
}

func TestChannelBatchNormGradients(t *testing.T) {
	for i, s := range []Shape{{3, 4, 2}, {1, 1, 3}, {5, 5, 1}} {
		rng := rand.New(rand.NewPCG(13, uint64(i)))
		bn := NewChannelBatchNorm(s, nil)
		for c := range s.Channels {
			bn.Gamma.Value.Set(c, 0, 0.5+rng.Float64())
			bn.Beta.Value.Set(c, 0, rng.NormFloat64())
		}
		checkLayerGradients(t, bn, randomDense(s.Len(), 4, rng), rng, 1e-6)
	}
}

// Per map, the output has mean β and standard deviation γ over the batch
// and the positions; on 1×1 maps the layer is ordinary batch normalization.
func TestChannelBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	s := Shape{4, 3, 2}
	bn := NewChannelBatchNorm(s, nil)
	bn.Gamma.Value.Set(1, 0, 2)
	bn.Beta.Value.Set(1, 0, -1)
	x := randomDense(s.Len(), 5, rng)
	x.Scale(3, x)
	out := bn.Forward(x, Training)
	for c, want := range [][2]float64{{0, 1}, {-1, 2}} {
		var vals []float64
		for i := c * 12; i < (c+1)*12; i++ {
			vals = append(vals, out.RawRowView(i)...)
		}
		mean, sd := 0.0, 0.0
		for _, v := range vals {
			mean += v / float64(len(vals))
		}
		for _, v := range vals {
			sd += (v - mean) * (v - mean) / float64(len(vals))
		}
		sd = math.Sqrt(sd)
		if math.Abs(mean-want[0]) > 1e-12 || math.Abs(sd-want[1]) > 1e-5 {
			t.Errorf("map %d: mean %g, sd %g; want %g and %g", c, mean, sd, want[0], want[1])
		}
	}
	plain := NewBatchNorm(3, nil)
	flat := NewChannelBatchNorm(Shape{1, 1, 3}, nil)
	y := randomDense(3, 6, rng)
	if !mat.EqualApprox(plain.Forward(y, Training), flat.Forward(y, Training), 1e-14) {
		t.Error("on 1×1 maps ChannelBatchNorm differs from BatchNorm")
	}
	g := randomDense(3, 6, rng)
	if !mat.EqualApprox(plain.Backward(g), flat.Backward(g), 1e-14) || !mat.EqualApprox(plain.Gamma.Grad, flat.Gamma.Grad, 1e-14) {
		t.Error("on 1×1 maps ChannelBatchNorm's gradients differ from BatchNorm's")
	}
	if !mat.EqualApprox(plain.Forward(y, Inference), flat.Forward(y, Inference), 1e-14) {
		t.Error("running statistics differ from BatchNorm's")
	}
}

// A small CNN learns with the library's training loop, an optimizer, a
// regularizer, dropout and per-map batch normalization: it tells bright
// vertical bars from horizontal ones at random positions.
func TestConvNetworkTrains(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 1))
	const n, side = 200, 8
	x := mat.NewDense(side*side, n, nil)
	labels := make([]int, n)
	for j := range n {
		labels[j] = j % 2
		pos := rng.IntN(side)
		for k := range side {
			r, c := k, pos // vertical bar
			if labels[j] == 1 {
				r, c = pos, k // horizontal bar
			}
			x.Set(r*side+c, j, 1)
		}
		for i := range side * side {
			x.Set(i, j, x.At(i, j)+0.1*rng.NormFloat64())
		}
	}
	data := &Dataset{X: x, Y: OneHot(labels, 2), Labels: labels}
	in := Shape{side, side, 1}
	conv := NewConv(ConvConfig{Input: in, Filters: 4, FilterH: 3, PadH: 1, PadW: 1, Act: Linear{}, Init: InitHe}, rng)
	pool := NewPool(PoolConfig{Input: conv.Out, SizeH: 2})
	net := NewNetwork(CrossEntropy{},
		conv, NewChannelBatchNorm(conv.Out, nil), pool, NewAct(ReLU{}),
		NewDense(pool.Out.Len(), 16, ReLU{}, InitHe, rng), NewDropout(0.8, Inverted, rng),
		NewDense(16, 2, Softmax{}, InitScaled, rng))
	_, before := net.Evaluate(data)
	hist, err := Train(context.Background(), net, data, TrainConfig{
		Epochs: 15, BatchSize: 10, Optimizer: NewAdam(0.01), Regularizer: L2{Lambda: 0.01}, Rand: rng,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, after := net.Evaluate(data)
	t.Logf("accuracy %.2f before training, %.2f after", before, after)
	if after < 0.95 {
		t.Errorf("accuracy %.2f after %d epochs (%.2f before); want at least 0.95", after, len(hist), before)
	}
}
