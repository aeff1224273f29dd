package nn

import (
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// pointParam returns a 1×2 parameter at θ = (x, y).
func pointParam(x, y float64, kind ParamKind) *Param {
	p := newParam("θ", kind, 1, 2)
	p.Value.SetRow(0, []float64{x, y})
	return p
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestOptimizerFirstSteps runs two steps from θ₀ = (1, −1) with the fixed
// gradients g₁ = (0.5, −2), g₂ = (1, 1) and compares θ₁, θ₂ with values
// computed by hand from the formulas (see the comments).
func TestOptimizerFirstSteps(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind ParamKind
		opt  Optimizer
		want [2][2]float64
	}{
		// θ₁ = θ₀ − 0.1 g₁; θ₂ = θ₁ − 0.1 g₂.
		{"SGD", Weight, &SGD{Eta: 0.1}, [2][2]float64{{0.95, -0.8}, {0.85, -0.9}}},
		// v₁ = 0.1 g₁ = (0.05, −0.2); v₂ = 0.5 v₁ + 0.1 g₂ = (0.125, 0).
		{"momentum v←βv+ηg", Weight, &Momentum{Eta: 0.1, Beta: 0.5}, [2][2]float64{{0.95, -0.8}, {0.825, -0.8}}},
		// v₁ = 0.5 g₁ = (0.25, −1); v₂ = 0.5 v₁ + 0.5 g₂ = (0.625, 0); θ −= 0.1 v.
		{"momentum v←βv+(1−β)g", Weight, &Momentum{Eta: 0.1, Beta: 0.5, Form: MomentumAverage}, [2][2]float64{{0.975, -0.9}, {0.9125, -0.9}}},
		// v₁ = (0.05, −0.2), θ₁ = θ₀ − (0.5 v₁ + 0.1 g₁) = (0.925, −0.7);
		// v₂ = (0.125, 0), θ₂ = θ₁ − (0.5 v₂ + 0.1 g₂) = (0.7625, −0.8).
		{"Nesterov", Weight, &Nesterov{Eta: 0.1, Beta: 0.5}, [2][2]float64{{0.925, -0.7}, {0.7625, -0.8}}},
		// s₁ = 0.5 g₁² = (0.125, 2): θ₁ = θ₀ − 0.1 g₁/√s₁ = θ₀ ∓ 0.1·√2;
		// s₂ = 0.5 s₁ + 0.5 g₂² = (0.5625, 1.5): θ₂ = θ₁ − 0.1 (1/0.75, 1/√1.5).
		{"RMSprop", Weight, &RMSprop{Eta: 0.1, Beta: 0.5, Eps: DefaultEps}, [2][2]float64{{0.8585786477626904, -0.8585786447626905}, {0.7252453162071348, -0.9402283021887965}}},
		// t = 1: m̂ = g, ŝ = g², so the step is η·sign(g) (ε aside).
		// t = 2: m₂ = (0.145, −0.08), s₂ = (0.00124975, 0.004996),
		// m̂ = m₂/0.19, ŝ = s₂/0.001999.
		{"Adam", Weight, NewAdam(0.1), [2][2]float64{{0.9000000019999999, -0.9000000005}, {0.8034818006385093, -0.8733662967024315}}},
		// t = 1: Adam's step η·sign(g₁) plus η λ θ₀ = 0.05·(1, −1).
		{"AdamW weight", Weight, NewAdamW(0.1, 0.5), [2][2]float64{{0.850000002, -0.8500000005}, {math.NaN(), math.NaN()}}},
		// Biases are not decayed: as Adam.
		{"AdamW bias", Bias, NewAdamW(0.1, 0.5), [2][2]float64{{0.9000000019999999, -0.9000000005}, {0.8034818006385093, -0.8733662967024315}}},
		// Without bias correction m₁ = 0.1 g, s₁ = 0.001 g²: the step is
		// η·0.1/√0.001 = η·√10 times sign(g).
		{"Adam without correction", Weight, &Adam{Eta: 0.1, Beta1: DefaultBeta, Beta2: DefaultBeta2, Eps: DefaultEps, NoBiasCorrection: true}, [2][2]float64{{1 - 0.1*0.05/(math.Sqrt(0.00025)+1e-8), -1 + 0.1*0.2/(math.Sqrt(0.004)+1e-8)}, {math.NaN(), math.NaN()}}},
	} {
		p := pointParam(1, -1, tc.kind)
		for k, g := range [][]float64{{0.5, -2}, {1, 1}} {
			p.Grad.SetRow(0, g)
			tc.opt.Step([]*Param{p})
			if math.IsNaN(tc.want[k][0]) {
				continue
			}
			got := p.Value.RawRowView(0)
			for i := range 2 {
				if !closeTo(got[i], tc.want[k][i], 1e-7*math.Abs(tc.want[k][i])+1e-12) {
					t.Errorf("%s: θ%d = %v, want %v", tc.name, k+1, got, tc.want[k])
					break
				}
			}
		}
	}
}

// quadGrad fills p.Grad with the gradient A θ of C = ½ θᵀAθ for A =
// diag(l1, l2) and returns C.
func quadGrad(p *Param, l1, l2 float64) float64 {
	th := p.Value.RawRowView(0)
	p.Grad.SetRow(0, []float64{l1 * th[0], l2 * th[1]})
	return 0.5 * (l1*th[0]*th[0] + l2*th[1]*th[1])
}

func trajectory(opt Optimizer, steps int, l1, l2 float64) [][2]float64 {
	p := pointParam(-4, 2, Weight)
	var path [][2]float64
	for range steps {
		quadGrad(p, l1, l2)
		opt.Step([]*Param{p})
		th := p.Value.RawRowView(0)
		path = append(path, [2]float64{th[0], th[1]})
	}
	return path
}

// TestMomentumFormsCorrespond checks that v ← βv + ηg, θ ← θ − v and
// v' ← βv' + (1−β)g, θ ← θ − η'v' give the same trajectory exactly when
// η = (1−β) η' (then v = η' v'), and that the notes' rescaling by
// 1/(β−1) does not.
func TestMomentumFormsCorrespond(t *testing.T) {
	const beta, etaAvg, steps = 0.9, 0.1, 200
	avg := trajectory(&Momentum{Eta: etaAvg, Beta: beta, Form: MomentumAverage}, steps, 0.5, 10)
	vel := trajectory(&Momentum{Eta: (1 - beta) * etaAvg, Beta: beta}, steps, 0.5, 10)
	notes := trajectory(&Momentum{Eta: etaAvg / (beta - 1), Beta: beta}, steps, 0.5, 10)
	maxDiff, notesDiff := 0.0, 0.0
	for k := range avg {
		for i := range 2 {
			maxDiff = math.Max(maxDiff, math.Abs(avg[k][i]-vel[k][i]))
			notesDiff = math.Max(notesDiff, math.Abs(avg[k][i]-notes[k][i]))
		}
	}
	if maxDiff > 1e-12 {
		t.Errorf("forms with η = (1−β)η' differ by %g", maxDiff)
	}
	if notesDiff < 1 {
		t.Errorf("the notes' rescaling 1/(β−1) gave nearly the same trajectory (max difference %g)", notesDiff)
	}
}

// TestNesterovLookAhead checks Nesterov against the look-ahead form
// v ← βv + η∇C(φ − βv), φ ← φ − v, whose look-ahead point φ − βv is the θ
// that Nesterov stores.
func TestNesterovLookAhead(t *testing.T) {
	const beta, eta, l1, l2 = 0.8, 0.05, 1.0, 8.0
	got := trajectory(&Nesterov{Eta: eta, Beta: beta}, 50, l1, l2)
	phi := [2]float64{-4, 2} // θ₀ = φ₀ − β·0
	var v [2]float64
	for k := range got {
		look := [2]float64{phi[0] - beta*v[0], phi[1] - beta*v[1]}
		g := [2]float64{l1 * look[0], l2 * look[1]}
		for i := range 2 {
			v[i] = beta*v[i] + eta*g[i]
			phi[i] -= v[i]
		}
		for i := range 2 {
			if want := phi[i] - beta*v[i]; !closeTo(got[k][i], want, 1e-12) {
				t.Fatalf("step %d: θ = %v, look-ahead point %v", k+1, got[k], [2]float64{phi[0] - beta*v[0], phi[1] - beta*v[1]})
			}
		}
	}
}

// TestOptimizersIllConditioned runs every optimizer on C = ½(θ₁² + 100θ₂²)
// (condition number 100) from (−4, 2), where C₀ = 208, and requires the
// cost to fall below 1e-6 within the step budget; momentum must need fewer
// steps than plain gradient descent at the same stable η.
func TestOptimizersIllConditioned(t *testing.T) {
	const l1, l2 = 1.0, 100.0
	stepsTo := func(opt Optimizer, budget int, sched Schedule) int {
		p := pointParam(-4, 2, Weight)
		lr, _ := opt.(LearningRater)
		eta := 0.0
		if lr != nil {
			eta = lr.LearningRate()
		}
		for k := 1; k <= budget; k++ {
			if sched != nil {
				lr.SetLearningRate(sched.Rate(eta, TrainStep{Epoch: k, Epochs: budget, Batch: 1, Batches: 1}))
			}
			quadGrad(p, l1, l2)
			opt.Step([]*Param{p})
			if c := quadGrad(p, l1, l2); c < 1e-6 {
				return k
			}
		}
		return -1
	}
	results := map[string]int{}
	for _, tc := range []struct {
		name   string
		opt    Optimizer
		budget int
		sched  Schedule
	}{
		{"SGD", &SGD{Eta: 0.019}, 2000, nil},
		{"Momentum", &Momentum{Eta: 0.01, Beta: 0.8}, 2000, nil},
		{"Momentum average", &Momentum{Eta: 0.01 / 0.2, Beta: 0.8, Form: MomentumAverage}, 2000, nil},
		{"Nesterov", &Nesterov{Eta: 0.01, Beta: 0.8}, 2000, nil},
		{"RMSprop", NewRMSprop(0.05), 3000, Cosine{}},
		{"Adam", NewAdam(0.1), 3000, Cosine{}},
		{"AdamW", NewAdamW(0.1, 0.01), 3000, Cosine{}},
	} {
		n := stepsTo(tc.opt, tc.budget, tc.sched)
		if n < 0 {
			t.Errorf("%s did not reach C < 1e-6 in %d steps", tc.name, tc.budget)
		}
		results[tc.name] = n
	}
	t.Logf("steps to C < 1e-6: %v", results)
	if results["Momentum"] >= results["SGD"] {
		t.Errorf("momentum needed %d steps, gradient descent %d", results["Momentum"], results["SGD"])
	}
}

func TestOptimizerStateKeyedByParam(t *testing.T) {
	a, b := pointParam(1, 1, Weight), pointParam(1, 1, Weight)
	a.Grad.SetRow(0, []float64{1, 1})
	b.Grad.SetRow(0, []float64{1, 1})
	o := &Momentum{Eta: 0.1, Beta: 0.5}
	o.Step([]*Param{a, b})
	o.Step([]*Param{a}) // b's velocity must not advance
	if va, vb := o.Velocity(a)[0], o.Velocity(b)[0]; !closeTo(va, 0.15, 1e-15) || vb != 0.1 {
		t.Errorf("velocities %g and %g, want 0.15 and 0.1", va, vb)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic after the parameter changed size")
		}
	}()
	a.Value, a.Grad = mat.NewDense(1, 3, nil), mat.NewDense(1, 3, nil)
	o.Step([]*Param{a})
}

// TestOptimizerZeroIsAValue checks that coefficients set to zero are zero,
// not defaults (issue 12, case 4), and that the constructors set the usual
// values.
func TestOptimizerZeroIsAValue(t *testing.T) {
	// With β = 0 (β₁ = β₂ = 0 for Adam) and ε = 0 the step of RMSprop and
	// Adam is η·sign(g) at every step, whatever came before: g₁ = (0.5,
	// −2), g₂ = (1, 1) from θ₀ = (1, −1) give θ₂ = (0.8, −1).
	for _, tc := range []struct {
		name string
		opt  Optimizer
	}{
		{"RMSprop", &RMSprop{Eta: 0.1}},
		{"Adam", &Adam{Eta: 0.1}},
		{"AdamW", &AdamW{Adam: Adam{Eta: 0.1}}},
	} {
		p := pointParam(1, -1, Weight)
		for _, g := range [][]float64{{0.5, -2}, {1, 1}} {
			p.Grad.SetRow(0, g)
			tc.opt.Step([]*Param{p})
		}
		if got := p.Value.RawRowView(0); !closeTo(got[0], 0.8, 1e-15) || !closeTo(got[1], -1, 1e-15) {
			t.Errorf("%s with zero coefficients: θ₂ = %v, want [0.8 -1]", tc.name, got)
		}
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"NewMomentum", *NewMomentum(0.1), Momentum{Eta: 0.1, Beta: 0.9}},
		{"NewNesterov", *NewNesterov(0.1), Nesterov{Eta: 0.1, Beta: 0.9}},
		{"NewRMSprop", *NewRMSprop(0.1), RMSprop{Eta: 0.1, Beta: 0.9, Eps: 1e-8}},
		{"NewAdam", *NewAdam(0.1), Adam{Eta: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{"NewAdamW", *NewAdamW(0.1, 0.01), AdamW{Adam: Adam{Eta: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, WeightDecay: 0.01}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
}

// Zero is a value for ε too: with ε = 0 (and any β), a parameter whose
// gradients have all been zero stays where it is instead of becoming 0/0.
func TestAdaptiveStepsWithZeroEpsilonAndZeroGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Optimizer
	}{
		{"RMSprop{Eta: 0.1}", &RMSprop{Eta: 0.1}},
		{"Adam{Eta: 0.1}", &Adam{Eta: 0.1}},
		{"AdamW{Eta: 0.1, WeightDecay: 0.01}", &AdamW{Adam: Adam{Eta: 0.1}, WeightDecay: 0.01}},
	} {
		p := &Param{Name: "W", Kind: Weight, Value: mat.NewDense(1, 2, []float64{1, 1}), Grad: mat.NewDense(1, 2, []float64{0, 1})}
		for range 3 {
			tc.opt.Step([]*Param{p})
		}
		got := p.Value.RawMatrix().Data
		want := 1.0
		if w, ok := tc.opt.(*AdamW); ok {
			want = math.Pow(1-w.Eta*w.WeightDecay, 3) // only the decoupled decay
		}
		if got[0] != want {
			t.Errorf("%s: the parameter with zero gradient is %v, want %v", tc.name, got[0], want)
		}
		if !(got[1] < 1) || math.IsNaN(got[1]) {
			t.Errorf("%s: the parameter with gradient 1 is %v, want a step down from 1", tc.name, got[1])
		}
	}
}
