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

// SetMask refuses a mask that is not one; the mask it accepts is the one
// Replay and Backward apply, in both scalings, without any draw.
func TestDropoutSetMask(t *testing.T) {
	for _, tc := range []struct {
		mask *mat.Dense
		want string
	}{
		{nil, "empty mask"},
		{&mat.Dense{}, "empty mask"},
		{mat.NewDense(2, 2, []float64{1, 0, 0.5, 1}), "entry (1, 0) is 0.5"},
		{mat.NewDense(1, 2, []float64{-1, 1}), "entry (0, 0) is -1"},
		{mat.NewDense(1, 2, []float64{1, math.NaN()}), "entry (0, 1) is NaN"},
		{mat.NewDense(1, 1, []float64{2}), "entry (0, 0) is 2"},
	} {
		wantPanic(t, tc.want, func() { NewDropout(0.5, Inverted, nil).SetMask(tc.mask) })
	}
	x := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	r := mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 1})
	g := mat.NewDense(3, 2, []float64{10, 20, 30, 40, 50, 60})
	for _, tc := range []struct {
		scaling DropoutScaling
		factor  float64 // of a kept entry: 1, or 1/p when Inverted
	}{{ScaleAtInference, 1}, {Inverted, 1 / 0.4}} {
		d := NewDropout(0.4, tc.scaling, nil) // no Rand: nothing may be drawn
		d.SetMask(r)
		out := mat.DenseCopyOf(d.Forward(x, Replay))
		dx := d.Backward(g)
		for i := range 3 {
			for j := range 2 {
				if want := tc.factor * r.At(i, j) * x.At(i, j); out.At(i, j) != want {
					t.Errorf("%v: Replay output (%d, %d) = %v, want r ⊙ x · %g = %v", tc.scaling, i, j, out.At(i, j), tc.factor, want)
				}
				if want := tc.factor * r.At(i, j) * g.At(i, j); dx.At(i, j) != want {
					t.Errorf("%v: Backward (%d, %d) = %v, want r ⊙ g · %g = %v", tc.scaling, i, j, dx.At(i, j), tc.factor, want)
				}
			}
		}
		r.Set(0, 1, 1) // SetMask copied r: the layer's mask does not follow
		if d.Mask.At(0, 1) != 0 {
			t.Errorf("%v: SetMask kept a reference to the caller's matrix", tc.scaling)
		}
		r.Set(0, 1, 0)
		wantPanic(t, "set a mask of its shape with SetMask", func() { d.Forward(ones(3, 3), Replay) })
		wantPanic(t, "mask has 2 rows, but the layer's batches have 3 neurons", func() { d.SetMask(ones(2, 2)) })
	}
}

// A check through a whole network with a mask chosen by hand: the neuron
// dropped in every sample gets no gradient, and the backpropagated
// gradients agree with central differences of the Replay cost.
func TestDropoutSetMaskNetworkGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	drop := NewDropout(0.5, Inverted, nil)
	net := NewNetwork(CrossEntropy{}, NewDense(3, 4, Tanh{}, InitScaled, rng), drop, NewDense(4, 2, Softmax{}, InitScaled, rng))
	x, y := randomBatch(rng, 3, 2, 5, true)
	drop.SetMask(mat.NewDense(4, 5, []float64{
		0, 0, 0, 0, 0, // neuron 0 dropped in every sample
		1, 0, 1, 1, 0,
		1, 1, 0, 1, 1,
		0, 1, 1, 0, 1,
	}))
	net.OutputCost(net.Forward(x, Replay), y)
	net.Backward(y)
	w1, b1 := net.Layers[0].(*Dense).W.Grad, net.Layers[0].(*Dense).B.Grad
	if mat.Norm(w1.Slice(0, 1, 0, 3), 2) != 0 || b1.At(0, 0) != 0 {
		t.Errorf("the dropped neuron 0 has gradients ∂C/∂W row %v, ∂C/∂b %v; want zeros", mat.Row(nil, 0, w1), b1.At(0, 0))
	}
	if mat.Norm(w1.Slice(1, 4, 0, 3), 2) == 0 {
		t.Fatal("the kept neurons have no gradient: a weak test")
	}
	numeric := NumericGradients(net, x, y, 0)
	for i, p := range net.Params() {
		if e := flooredRelativeError(p.Grad.RawMatrix().Data, numeric[i].RawMatrix().Data); e > 1e-7 {
			t.Errorf("%s: relative error %.2g against central differences", p.Name, e)
		}
	}
}
