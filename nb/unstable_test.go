package nb

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		name string
		rows [][]float64
		want Spread
	}{
		{"one row", [][]float64{{1, 2}}, Spread{Mean: []float64{1, 2}, Std: []float64{0, 0}, Min: []float64{1, 2}, Max: []float64{1, 2}}},
		{"two rows", [][]float64{{1, 10}, {3, 20}}, Spread{Mean: []float64{2, 15}, Std: []float64{math.Sqrt2, 5 * math.Sqrt2}, Min: []float64{1, 10}, Max: []float64{3, 20}}},
		{"three rows", [][]float64{{2}, {4}, {9}}, Spread{Mean: []float64{5}, Std: []float64{math.Sqrt(13)}, Min: []float64{2}, Max: []float64{9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SpreadOf(tt.rows)
			for _, c := range []struct {
				what      string
				got, want []float64
			}{{"Mean", got.Mean, tt.want.Mean}, {"Std", got.Std, tt.want.Std}, {"Min", got.Min, tt.want.Min}, {"Max", got.Max, tt.want.Max}} {
				if len(c.got) != len(c.want) {
					t.Fatalf("%s has %d values, want %d", c.what, len(c.got), len(c.want))
				}
				for j := range c.got {
					if math.Abs(c.got[j]-c.want[j]) > 1e-12 {
						t.Errorf("%s[%d] = %g, want %g", c.what, j, c.got[j], c.want[j])
					}
				}
			}
		})
	}
}

func TestSpreadOfPanicsOnRaggedRows(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SpreadOf with rows of different lengths did not panic")
		}
	}()
	SpreadOf([][]float64{{1, 2}, {3}})
}

// tinyData returns n random samples with 4 inputs and one-hot targets of 3
// classes.
func tinyData(n int) *nn.Dataset {
	rng := rand.New(rand.NewPCG(7, 0))
	x := mat.NewDense(4, n, nil)
	labels := make([]int, n)
	for j := range n {
		for i := range 4 {
			x.Set(i, j, rng.Float64())
		}
		labels[j] = rng.IntN(3)
	}
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 3), Labels: labels}
}

func TestBiasGradNormsMatchFiniteDifferences(t *testing.T) {
	d := tinyData(5)
	for _, cost := range []nn.Cost{nn.Quadratic{}, nn.BinaryCrossEntropy{}} {
		t.Run(cost.String(), func(t *testing.T) {
			net := SeededMLP([]int{4, 3, 3, 3}, nn.MLPConfig{Cost: cost}, 3)
			norms := BiasGradNorms(net, d.X, d.Y)
			if len(norms) != 3 {
				t.Fatalf("got %d norms, want 3 (one per layer)", len(norms))
			}
			for l, layer := range net.Layers {
				b := layer.(*nn.Dense).B.Value
				ss := 0.0
				for i := range 3 {
					f := func(v float64) float64 {
						old := b.At(i, 0)
						b.Set(i, 0, v)
						c := net.Loss(d.X, d.Y)
						b.Set(i, 0, old)
						return c
					}
					g := nn.NumericDerivative(f, b.At(i, 0), 0)
					ss += g * g
				}
				if e := nn.RelativeError(norms[l], math.Sqrt(ss)); e > 1e-6 {
					t.Errorf("layer %d: ‖∂C/∂b‖ = %g, finite differences give %g (relative error %g)", l+1, norms[l], math.Sqrt(ss), e)
				}
			}
		})
	}
}

func TestGradNormsOverSeeds(t *testing.T) {
	d := tinyData(6)
	sizes := []int{4, 5, 5, 3}
	rows := GradNormsOverSeeds(sizes, nn.MLPConfig{}, d, 3)
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	again := GradNormsOverSeeds(sizes, nn.MLPConfig{}, d, 2)
	for s := range again {
		for l := range again[s] {
			if again[s][l] != rows[s][l] {
				t.Errorf("seed %d layer %d: %g then %g; the same seed must give the same network", s+1, l+1, rows[s][l], again[s][l])
			}
		}
	}
	if rows[0][0] == rows[1][0] {
		t.Errorf("seeds 1 and 2 gave the same norm %g: seeds are not used", rows[0][0])
	}
}

func TestLayerFactorsOnAChain(t *testing.T) {
	// One neuron per layer and one sample: every ratio is exactly
	// |w^(l+1) σ'(z^(l))|, and the estimate is exact.
	w := []float64{0.7, -1.3, 2.1, 0.4}
	b := []float64{0.2, -0.5, 0.1, 0.3}
	x := mat.NewDense(1, 1, []float64{0.9})
	y := mat.NewDense(1, 1, []float64{0.25})
	net := NewChain(w, b, nil, nil)
	net.Gradient(x, y)
	fs := LayerFactors(net)
	if len(fs) != 3 {
		t.Fatalf("got %d factors, want 3", len(fs))
	}
	for i, f := range fs {
		z := net.Layers[i].(*nn.Dense).Z.At(0, 0)
		want := math.Abs(w[i+1] * nn.Sigmoid{}.Prime(z))
		for _, c := range []struct {
			what string
			got  float64
		}{{"Measured", f.Measured}, {"Estimate", f.Estimate}, {"BiasRatio", f.BiasRatio}} {
			if nn.RelativeError(c.got, want) > 1e-12 {
				t.Errorf("layer %d: %s = %g, want |w σ'(z)| = %g", f.Layer, c.what, c.got, want)
			}
		}
		if math.Abs(f.SpectralNorm-math.Abs(w[i+1])) > 1e-12 {
			t.Errorf("layer %d: SpectralNorm = %g, want |w| = %g", f.Layer, f.SpectralNorm, math.Abs(w[i+1]))
		}
		if f.BoundRatio > 0.25 || f.MaxPrime > 0.25 {
			t.Errorf("layer %d: BoundRatio %g and MaxPrime %g must not exceed 1/4", f.Layer, f.BoundRatio, f.MaxPrime)
		}
	}
}

func TestLayerFactorsEstimateWideLayers(t *testing.T) {
	// Random N(0, 1/n_in) weights: the estimate √n_l·rms(w)·rms(σ') should
	// be within 30 % of the measured shrink of δ.
	rng := rand.New(rand.NewPCG(11, 0))
	x := mat.NewDense(50, 200, nil)
	for i := range x.RawMatrix().Data {
		x.RawMatrix().Data[i] = rng.Float64()
	}
	labels := make([]int, 200)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	net := SeededMLP([]int{50, 40, 40, 40, 10}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, 5)
	net.Gradient(x, nn.OneHot(labels, 10))
	for _, f := range LayerFactors(net) {
		if e := nn.RelativeError(f.Estimate, f.Measured); e > 0.3 {
			t.Errorf("layer %d: estimate %g, measured %g (relative error %g)", f.Layer, f.Estimate, f.Measured, e)
		}
		if f.WeightScale < 0.7 || f.WeightScale > 1.3 {
			t.Errorf("layer %d: weight scale %g, want about 1 for N(0, 1/n_in)", f.Layer, f.WeightScale)
		}
		if f.BoundRatio > f.MaxPrime*(1+1e-12) {
			t.Errorf("layer %d: ‖δ^(l)‖ exceeds max|σ'|·‖W‖₂·‖δ^(l+1)‖: ratio %g > %g", f.Layer, f.BoundRatio, f.MaxPrime)
		}
	}
}

func TestLayerFactorsPanicsBeforeBackward(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("LayerFactors on a network without a backward pass did not panic")
		}
	}()
	LayerFactors(NewChain([]float64{1, 1}, []float64{0, 0}, nil, nil))
}

func TestZeroWeightedInputs(t *testing.T) {
	tests := []struct {
		name   string
		w      float64
		factor float64 // expected |w σ'(0)| per layer
	}{
		{"Nielsen's w = 100", 100, 25},
		{"w = 4, the critical weight", 4, 1},
		{"w = 1", 1, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 5
			w := make([]float64, n)
			for i := range w {
				w[i] = tt.w
			}
			net := NewChain(w, make([]float64, n), nil, nil)
			x := mat.NewDense(1, 1, []float64{0.8})
			ZeroWeightedInputs(net, x)
			net.Gradient(x, mat.NewDense(1, 1, []float64{0}))
			for l, layer := range net.Layers {
				if z := layer.(*nn.Dense).Z.At(0, 0); math.Abs(z) > 1e-12 {
					t.Errorf("z^(%d) = %g after ZeroWeightedInputs, want 0", l+1, z)
				}
			}
			for _, f := range LayerFactors(net) {
				if nn.RelativeError(f.Measured, tt.factor) > 1e-12 {
					t.Errorf("layer %d: |δ^(l)|/|δ^(l+1)| = %g, want %g", f.Layer, f.Measured, tt.factor)
				}
			}
		})
	}
}

func TestZeroWeightedInputsWideLayers(t *testing.T) {
	net := SeededMLP([]int{6, 5, 4, 3}, nn.MLPConfig{}, 2)
	ScaleWeights(net, 8)
	x := mat.NewDense(6, 1, []float64{0.1, 0.5, 0.9, 0.3, 0, 1})
	ZeroWeightedInputs(net, x)
	net.Forward(x, nn.Inference)
	for l, layer := range net.Layers {
		for i, z := range layer.(*nn.Dense).Z.RawMatrix().Data {
			if math.Abs(z) > 1e-12 {
				t.Errorf("z^(%d)_%d = %g, want 0", l+1, i, z)
			}
		}
	}
}

func TestScaleWeights(t *testing.T) {
	net := NewChain([]float64{2, -3}, []float64{1, 1}, nil, nil)
	ScaleWeights(net, 0.5)
	for i, want := range []float64{1, -1.5} {
		d := net.Layers[i].(*nn.Dense)
		if got := d.W.Value.At(0, 0); got != want {
			t.Errorf("w^(%d) = %g, want %g", i+1, got, want)
		}
		if got := d.B.Value.At(0, 0); got != 1 {
			t.Errorf("b^(%d) = %g, want 1: biases must not be scaled", i+1, got)
		}
	}
}

func TestLayerSeries(t *testing.T) {
	s := LayerSeries("norms", []float64{0.003, 0.017, 0.070})
	if s.Name != "norms" || len(s.X) != 3 || len(s.Y) != 3 {
		t.Fatalf("LayerSeries = %+v", s)
	}
	for i, x := range s.X {
		if x != float64(i+1) {
			t.Errorf("X[%d] = %g, want layer %d", i, x, i+1)
		}
	}
}

func TestNielsenSpeedsIncreaseWithLayer(t *testing.T) {
	for hidden, v := range NielsenSpeeds {
		if len(v) != hidden {
			t.Errorf("%d hidden layers: %d values", hidden, len(v))
		}
		for l := 1; l < len(v); l++ {
			if v[l] <= v[l-1] {
				t.Errorf("%d hidden layers: speed %g of layer %d not above %g of layer %d", hidden, v[l], l+1, v[l-1], l)
			}
		}
	}
}

func TestFactorsOverSeeds(t *testing.T) {
	d := tinyData(8)
	sizes := []int{4, 6, 5, 5, 3}
	cfg := nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}
	const seeds = 3
	var runs [][]LayerFactor
	for seed := 1; seed <= seeds; seed++ {
		net := SeededMLP(sizes, cfg, uint64(seed))
		net.Gradient(d.X, d.Y)
		runs = append(runs, LayerFactors(net))
	}
	got := FactorsOverSeeds(sizes, cfg, d, seeds)
	if len(got) != len(sizes)-2 {
		t.Fatalf("got %d factors, want %d (one per pair of layers)", len(got), len(sizes)-2)
	}
	for i, g := range got {
		fields := []struct {
			name string
			get  func(LayerFactor) float64
			max  bool // the largest over the seeds instead of the mean
		}{
			{"WeightScale", func(f LayerFactor) float64 { return f.WeightScale }, false},
			{"RMSPrime", func(f LayerFactor) float64 { return f.RMSPrime }, false},
			{"Estimate", func(f LayerFactor) float64 { return f.Estimate }, false},
			{"Measured", func(f LayerFactor) float64 { return f.Measured }, false},
			{"BiasRatio", func(f LayerFactor) float64 { return f.BiasRatio }, false},
			{"SpectralNorm", func(f LayerFactor) float64 { return f.SpectralNorm }, false},
			{"MaxPrime", func(f LayerFactor) float64 { return f.MaxPrime }, true},
			{"BoundRatio", func(f LayerFactor) float64 { return f.BoundRatio }, true},
		}
		for _, fd := range fields {
			want := 0.0
			for _, r := range runs {
				if fd.max {
					want = math.Max(want, fd.get(r[i]))
				} else {
					want += fd.get(r[i]) / seeds
				}
			}
			if nn.RelativeError(fd.get(g), want) > 1e-12 {
				t.Errorf("layer %d: %s = %g, want %g", g.Layer, fd.name, fd.get(g), want)
			}
		}
		if g.Layer != i+1 {
			t.Errorf("factor %d has Layer %d, want %d", i, g.Layer, i+1)
		}
	}
}
