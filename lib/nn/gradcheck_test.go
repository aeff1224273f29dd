package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The two networks with layers that behave differently in
// training: with the numeric side in inference mode the worst relative
// errors were 1.05 and 1.00. Both sides now differentiate the same
// training-mode cost (the same mask, the same batch statistics).
func TestCheckGradientsThroughTrainingOnlyLayers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		layers func(rng *rand.Rand) []Layer
	}{
		{"3→5 tanh → dropout(0.5) → 5→2 sigmoid", func(rng *rand.Rand) []Layer {
			return []Layer{NewDense(3, 5, Tanh{}, InitScaled, rng), NewDropout(0.5, ScaleAtInference, rng), NewDense(5, 2, Sigmoid{}, InitScaled, rng)}
		}},
		{"3→5 tanh → inverted dropout(0.5) → 5→2 sigmoid", func(rng *rand.Rand) []Layer {
			return []Layer{NewDense(3, 5, Tanh{}, InitScaled, rng), NewDropout(0.5, Inverted, rng), NewDense(5, 2, Sigmoid{}, InitScaled, rng)}
		}},
		{"3→5 linear → batchnorm(5) → tanh → 5→2 sigmoid", func(rng *rand.Rand) []Layer {
			return []Layer{NewDense(3, 5, Linear{}, InitScaled, rng), NewBatchNorm(5, nil), NewAct(Tanh{}), NewDense(5, 2, Sigmoid{}, InitScaled, rng)}
		}},
		{"conv 1×3×1→1×2×2 linear → channel batchnorm → tanh → 4→2 sigmoid", func(rng *rand.Rand) []Layer {
			c := NewConv(ConvConfig{Input: Shape{Height: 1, Width: 3, Channels: 1}, Filters: 2, FilterH: 1, FilterW: 2, Act: Linear{}}, rng)
			return []Layer{c, NewChannelBatchNorm(c.Out, nil), NewAct(Tanh{}), NewDense(4, 2, Sigmoid{}, InitScaled, rng)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(12, 3))
			net := NewNetwork(Quadratic{}, tc.layers(rng)...)
			x, y := randomBatch(rng, 3, 2, 4, false)
			var before []*mat.Dense
			for _, p := range net.Params() {
				before = append(before, mat.DenseCopyOf(p.Value))
			}
			_, state := net.state()
			stateBefore := copyAll(nil, state)
			worst := 0.0
			for _, c := range CheckGradients(net, x, y, 0) {
				// (The bias before batch normalization has no effect on the
				// cost: both of its gradients are rounding noise, which the
				// GradientNoiseFloor keeps below 1e-7.)
				worst = math.Max(worst, c.RelErr)
				if c.RelErr > 1e-7 || math.IsNaN(c.RelErr) {
					t.Errorf("%s: relative error %.3g\nanalytic %.10g\nnumeric  %.10g", c.Param.Name, c.RelErr, c.Analytic, c.Numeric)
				}
			}
			if worst == 0 {
				t.Error("no gradient was compared")
			}
			t.Logf("worst relative error %.3g", worst)
			for i, p := range net.Params() {
				if !mat.Equal(p.Value, before[i]) {
					t.Errorf("CheckGradients changed %s", p.Name)
				}
			}
			for i, m := range state {
				if !mat.Equal(m, stateBefore[i]) {
					t.Errorf("CheckGradients changed state %d (running statistics)", i)
				}
			}
		})
	}
}

// NumericGradients differentiates the cost of the last Training pass: after
// Network.Gradient it agrees with the backpropagated gradient through
// dropout and batch normalization, and it changes no running statistic.
func TestNumericGradientsReplayTheTrainingPass(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	bn := NewBatchNorm(6, nil)
	net := NewNetwork(CrossEntropy{},
		NewDense(4, 6, Linear{}, InitScaled, rng), bn, NewAct(ReLU{}),
		NewDropout(0.7, Inverted, rng), NewDense(6, 3, Softmax{}, InitScaled, rng))
	x, y := randomBatch(rng, 4, 3, 5, true)
	net.Gradient(x, y)
	mean := mat.DenseCopyOf(bn.RunningMean)
	var grads [][]float64
	for _, p := range net.Params() {
		grads = append(grads, append([]float64(nil), p.Grad.RawMatrix().Data...))
	}
	for k, g := range NumericGradients(net, x, y, 0) {
		num := g.RawMatrix().Data
		if k == 1 { // b1, cancelled by the batch mean
			continue
		}
		if re := VectorRelativeError(grads[k], num); re > 1e-7 {
			t.Errorf("%s: relative error %.3g", net.Params()[k].Name, re)
		}
	}
	if !mat.Equal(mean, bn.RunningMean) {
		t.Error("NumericGradients changed the running mean")
	}
}

// jitter is a layer that adds noise in training and does not know Replay:
// the gradient check must refuse it, naming it, rather than compare two
// different functions.
type jitter struct {
	rng *rand.Rand
	out *mat.Dense
}

func (j *jitter) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	j.out = mat.DenseCopyOf(x)
	if mode == Training {
		j.out.Apply(func(_, _ int, v float64) float64 { return v + 0.1*j.rng.NormFloat64() }, j.out)
	}
	return j.out
}
func (j *jitter) Backward(dout *mat.Dense) *mat.Dense { return dout }
func (j *jitter) Params() []*Param                    { return nil }
func (j *jitter) String() string                      { return "Jitter" }

func TestCheckGradientsRefusesALayerWithoutReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	net := NewNetwork(Quadratic{}, NewDense(3, 4, Tanh{}, InitScaled, rng), &jitter{rng: rng}, NewDense(4, 2, Sigmoid{}, InitScaled, rng))
	x, y := randomBatch(rng, 3, 2, 4, false)
	wantPanic(t, "layer 2 (Jitter)", func() { CheckGradients(net, x, y, 0) })
}

func TestDropoutReplay(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	d := NewDropout(0.5, Inverted, rng)
	wantPanic(t, "Replay mode before any Training pass", func() { d.Forward(ones(3, 4), Replay) })
	x := mat.NewDense(3, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	train := mat.DenseCopyOf(d.Forward(x, Training))
	mask := mat.DenseCopyOf(d.Mask)
	if got := d.Forward(x, Replay); !mat.Equal(got, train) {
		t.Errorf("Replay output\n%v\nTraining output\n%v", mat.Formatted(got), mat.Formatted(train))
	}
	if !mat.Equal(mask, d.Mask) {
		t.Error("Replay drew a new mask")
	}
	g := d.Backward(ones(3, 4))
	for i := range 3 {
		for j := range 4 {
			if want := 2 * mask.At(i, j); g.At(i, j) != want {
				t.Errorf("Backward after Replay [%d,%d] = %v, want %v", i, j, g.At(i, j), want)
			}
		}
	}
	wantPanic(t, "last Training mask is 3×4", func() { d.Forward(ones(3, 5), Replay) })
}

// FullBatchProblem's Func is the function its Grad differentiates also with
// batch normalization (before, Func used the running statistics), and a
// network with dropout, whose training cost is random, is refused.
func TestFullBatchProblemThroughBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0))
	data := Blobs(BlobsConfig{N: 40, Std: DefaultBlobsStd}, rng)
	net := NewNetwork(CrossEntropy{}, NewDense(2, 4, Linear{}, InitScaled, rng), NewBatchNorm(4, nil),
		NewAct(Tanh{}), NewDense(4, 3, Softmax{}, InitScaled, rng))
	p := FullBatchProblem(net, data, nil)
	theta := FlatParams(nil, net.Params())
	g := make([]float64, len(theta))
	p.Grad(g, theta)
	num := NumericGradient(nil, p.Func, theta, 0)
	if e := VectorRelativeError(g, num); e > 1e-7 {
		t.Errorf("relative error of the full-batch gradient %g", e)
	}
	drop := NewNetwork(Quadratic{}, NewDense(2, 4, Tanh{}, InitScaled, rng), NewDropout(0.5, Inverted, rng), NewDense(4, 3, Sigmoid{}, InitScaled, rng))
	wantPanic(t, "layer 2 is Dropout", func() { FullBatchProblem(drop, data, nil) })
}
