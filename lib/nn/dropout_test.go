package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func ones(r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, 1)
		}
	}
	return m
}

func TestDropoutKeepRateAndMean(t *testing.T) {
	const r, c = 200, 100 // 20,000 Bernoulli draws per case
	for _, tc := range []struct {
		p             float64
		scaling       DropoutScaling
		trainMean     float64 // E[ã] for a = 1
		inferenceMean float64
	}{
		{0.5, ScaleAtInference, 0.5, 0.5},
		{0.8, ScaleAtInference, 0.8, 0.8},
		{0.5, Inverted, 1, 1},
		{0.8, Inverted, 1, 1},
		{1, ScaleAtInference, 1, 1},
	} {
		d := NewDropout(tc.p, tc.scaling, rand.New(rand.NewPCG(1, 2)))
		out := d.Forward(ones(r, c), Training)
		kept := mat.Sum(d.Mask) / (r * c)
		sd := math.Sqrt(tc.p * (1 - tc.p) / (r * c))
		if math.Abs(kept-tc.p) > 4*sd+1e-12 {
			t.Errorf("p = %v: kept %.4f of the neurons, want %v ± %.4f", tc.p, kept, tc.p, 4*sd)
		}
		mean := mat.Sum(out) / (r * c)
		if math.Abs(mean-tc.trainMean) > 4*sd*tc.trainMean/tc.p+1e-12 {
			t.Errorf("p = %v %v: training mean %.4f, want %v", tc.p, tc.scaling, mean, tc.trainMean)
		}
		inf := d.Forward(ones(r, c), Inference)
		for _, v := range inf.RawMatrix().Data {
			if v != tc.inferenceMean {
				t.Fatalf("p = %v %v: inference output %v, want %v everywhere", tc.p, tc.scaling, v, tc.inferenceMean)
			}
		}
	}
}

func TestDropoutMasksAreReproducible(t *testing.T) {
	x := ones(30, 7)
	a := NewDropout(0.5, ScaleAtInference, rand.New(rand.NewPCG(9, 9)))
	b := NewDropout(0.5, ScaleAtInference, rand.New(rand.NewPCG(9, 9)))
	a.Forward(x, Training)
	b.Forward(x, Training)
	if !mat.Equal(a.Mask, b.Mask) {
		t.Error("the same seed gave different masks")
	}
	first := mat.DenseCopyOf(a.Mask)
	a.Forward(x, Training)
	if mat.Equal(first, a.Mask) {
		t.Error("the second forward pass reused the first mask")
	}
}

// The gradient through dropout with a fixed mask: reseeding the source
// before every training forward pass draws the same mask, so the cost is a
// smooth function of the parameters that central differences can follow.
func TestDropoutGradientWithFixedMask(t *testing.T) {
	for _, scaling := range []DropoutScaling{ScaleAtInference, Inverted} {
		rng := rand.New(rand.NewPCG(1, 2))
		pcg := rand.NewPCG(5, 5)
		drop := NewDropout(0.6, scaling, rand.New(pcg))
		net := NewNetwork(BinaryCrossEntropy{},
			NewDense(4, 6, Tanh{}, InitScaled, rng), drop, NewDense(6, 3, Sigmoid{}, InitScaled, rng))
		x, y := randomBatch(rng, 4, 3, 5, false)
		cost := func() float64 {
			pcg.Seed(5, 5)
			return net.Cost.Value(net.Forward(x, Training), y)
		}
		pcg.Seed(5, 5)
		net.Gradient(x, y)
		if mat.Sum(drop.Mask) == 0 || mat.Sum(drop.Mask) == 30 {
			t.Fatalf("mask %v drops all or nothing: a weak test", drop.Mask.RawMatrix().Data)
		}
		checkNumeric(t, net, cost)
	}
}

// checkNumeric compares every parameter's Grad with central differences of
// cost, element by element.
func checkNumeric(t *testing.T, net *Network, cost func() float64) {
	t.Helper()
	var grads [][]float64
	for _, p := range net.Params() {
		grads = append(grads, append([]float64(nil), contiguous(p.Grad, "test")...))
	}
	numeric := NumericGradientsOf(net.Params(), cost, 0)
	for k, p := range net.Params() {
		num := numeric[k].RawMatrix().Data
		// Gradients that vanish (the bias before batch normalization) are
		// rounding noise on both sides: compare them absolutely.
		if floats.Norm(grads[k], math.Inf(1)) < 1e-12 && floats.Norm(num, math.Inf(1)) < 1e-9 {
			continue
		}
		if re := VectorRelativeError(grads[k], num); re > 1e-6 || math.IsNaN(re) {
			t.Errorf("%s: relative error %.3g\nanalytic %.6g\nnumeric  %.6g", p.Name, re, grads[k], num)
		}
	}
}

func TestDropoutMisusePanics(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		f          func()
	}{
		{"p = 0", "keep-probability", func() { NewDropout(0, Inverted, nil) }},
		{"p > 1", "keep-probability", func() { NewDropout(1.5, Inverted, nil) }},
		{"nil source", "nil Rand", func() { NewDropout(0.5, Inverted, nil).Forward(ones(2, 2), Training) }},
		{"backward first", "before Forward", func() { NewDropout(0.5, Inverted, nil).Backward(ones(2, 2)) }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantPanic(t, tc.want, tc.f) })
	}
	// Inference needs no source.
	NewDropout(0.5, ScaleAtInference, nil).Forward(ones(2, 2), Inference)
}
