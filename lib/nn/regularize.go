package nn

import (
	"fmt"
	"math"
)

// The regularizers of §4.1 penalize the weights W_t only: the notes' W_t is
// θ_t with every bias set to 0, and the scales γ and shifts β of batch
// normalization are left alone too (Kind Scale and Bias). Every penalty is
// normalized by the training-set size n, as Nielsen does, so that λ keeps
// its meaning when the minibatch size changes:
//
//	L1: C = C₀ + (λ/n) Σ|w|,          ∂/∂w = (λ/n) sign(w)
//	L2: C = C₀ + (λ/2n) Σ w²,         ∂/∂w = (λ/n) w
//	Lm: C = C₀ + (λ/(m·n)) Σ |w|^m,   ∂/∂w = (λ/n) sign(w) |w|^(m−1)
//
// The notes write the same formulas without the 1/n (n = 1 in the formulas
// above).

// L1 is the "lasso" penalty (λ/n) ‖W‖₁ (§4.1).
type L1 struct {
	// Lambda is λ ≥ 0.
	Lambda float64
}

// Penalty returns (λ/n) Σ|w| over the weights.
func (r L1) Penalty(params []*Param, n int) float64 {
	k := regScale("L1", r.Lambda, n)
	return k * sumWeights(params, math.Abs)
}

// AddGrad adds (λ/n) sign(w) to the gradient of every weight (0 at w = 0,
// the subgradient that keeps zero weights at zero).
func (r L1) AddGrad(params []*Param, n int) {
	k := regScale("L1", r.Lambda, n)
	addWeightGrads(params, func(w float64) float64 { return k * sign(w) })
}

func (r L1) String() string { return fmt.Sprintf("L1(λ=%g)", r.Lambda) }

// L2 is the "ridge" penalty (λ/2n) ‖W‖₂² (§4.1). With plain SGD it is
// weight decay: w ← (1 − ηλ/n) w − η ∂C₀/∂w.
type L2 struct {
	// Lambda is λ ≥ 0.
	Lambda float64
}

// Penalty returns (λ/2n) Σ w² over the weights.
func (r L2) Penalty(params []*Param, n int) float64 {
	k := regScale("L2", r.Lambda, n)
	return k / 2 * sumWeights(params, func(w float64) float64 { return w * w })
}

// AddGrad adds (λ/n) w to the gradient of every weight.
func (r L2) AddGrad(params []*Param, n int) {
	k := regScale("L2", r.Lambda, n)
	addWeightGrads(params, func(w float64) float64 { return k * w })
}

func (r L2) String() string { return fmt.Sprintf("L2(λ=%g)", r.Lambda) }

// Lm is the notes' generalization (λ/(m·n)) ‖W‖_m^m (§4.1): m = 1 is L1
// and m = 2 is L2.
type Lm struct {
	// Lambda is λ ≥ 0.
	Lambda float64
	// M is the exponent m ≥ 1; 0 means 2.
	M float64
}

func (r Lm) m() float64 {
	m := r.M
	if m == 0 {
		m = 2
	}
	if !(m >= 1) || math.IsInf(m, 0) {
		panic(fmt.Sprintf("nn: Lm: exponent m must be a finite number ≥ 1, got %v", r.M))
	}
	return m
}

// Penalty returns (λ/(m·n)) Σ |w|^m over the weights.
func (r Lm) Penalty(params []*Param, n int) float64 {
	k := regScale("Lm", r.Lambda, n)
	m := r.m()
	return k / m * sumWeights(params, func(w float64) float64 { return absPow(w, m) })
}

// AddGrad adds (λ/n) sign(w) |w|^(m−1) to the gradient of every weight.
func (r Lm) AddGrad(params []*Param, n int) {
	k := regScale("Lm", r.Lambda, n)
	m := r.m()
	addWeightGrads(params, func(w float64) float64 { return k * sign(w) * absPow(w, m-1) })
}

func (r Lm) String() string { return fmt.Sprintf("L%g(λ=%g)", r.m(), r.Lambda) }

// WeightDecay is decoupled weight decay (§4.1): it wraps an optimizer whose
// update is ΔW_t and applies W_{t+1} = (1 − λ) W_t + ΔW_t to the weights
// (biases and batch-normalization parameters get θ_{t+1} = θ_t + Δθ_t).
// Unlike a penalty it does not touch the gradient, so it works the same
// with adaptive optimizers such as Adam (§4.4).
//
// With plain SGD, ΔW_t = −η ∂C₀/∂W, and weight decay with λ equals the L2
// penalty with λ_L2 = λ·n/η (Nielsen's normalization by the training-set
// size n; λ_L2 = λ/η in the notes' formulas without n).
//
// The learning rate stays the wrapped optimizer's: WeightDecay forwards
// LearningRate and SetLearningRate to it, so Train's Schedule works
// through it. λ is not scaled by the schedule.
type WeightDecay struct {
	// Optimizer computes ΔW_t; it must not be nil.
	Optimizer Optimizer
	// Lambda is the decay λ per step, 0 ≤ λ < 1.
	Lambda float64
}

// Step multiplies every weight by 1 − λ and lets the wrapped optimizer
// add its update, which is computed from the gradients only.
func (o *WeightDecay) Step(params []*Param) {
	if o.Optimizer == nil {
		panic("nn: WeightDecay: nil Optimizer; wrap one, such as &nn.SGD{Eta: 0.1}")
	}
	if !(o.Lambda >= 0 && o.Lambda < 1) {
		panic(fmt.Sprintf("nn: WeightDecay: λ must be in [0, 1), got %v", o.Lambda))
	}
	for _, p := range params {
		if p.Kind != Weight {
			continue
		}
		v := contiguous(p.Value, "WeightDecay.Step")
		for i := range v {
			v[i] *= 1 - o.Lambda
		}
	}
	o.Optimizer.Step(params)
}

// LearningRate returns the wrapped optimizer's η, or NaN when it has none
// (Train then refuses a Schedule, as for any optimizer without a rate).
func (o *WeightDecay) LearningRate() float64 {
	if lr, ok := o.Optimizer.(LearningRater); ok {
		return lr.LearningRate()
	}
	return math.NaN()
}

// SetLearningRate sets the wrapped optimizer's η. It panics when the
// wrapped optimizer has no settable learning rate.
func (o *WeightDecay) SetLearningRate(eta float64) {
	lr, ok := o.Optimizer.(LearningRater)
	if !ok {
		panic(fmt.Sprintf("nn: WeightDecay: wrapped optimizer %T has no settable learning rate (pass a pointer, such as &nn.SGD{...})", o.Optimizer))
	}
	lr.SetLearningRate(eta)
}

// regScale returns λ/n after checking both.
func regScale(who string, lambda float64, n int) float64 {
	if !(lambda >= 0) || math.IsInf(lambda, 0) {
		panic(fmt.Sprintf("nn: %s: λ must be a finite number ≥ 0, got %v", who, lambda))
	}
	if n <= 0 {
		panic(fmt.Sprintf("nn: %s: training-set size n must be positive, got %d", who, n))
	}
	return lambda / float64(n)
}

// sumWeights returns Σ f(w) over every weight.
func sumWeights(params []*Param, f func(float64) float64) float64 {
	s := 0.0
	for _, p := range params {
		if p.Kind != Weight {
			continue
		}
		for _, w := range contiguous(p.Value, "Regularizer.Penalty") {
			s += f(w)
		}
	}
	return s
}

// addWeightGrads adds f(w) to the gradient of every weight w.
func addWeightGrads(params []*Param, f func(float64) float64) {
	for _, p := range params {
		if p.Kind != Weight {
			continue
		}
		v := contiguous(p.Value, "Regularizer.AddGrad")
		g := contiguous(p.Grad, "Regularizer.AddGrad")
		for i, w := range v {
			g[i] += f(w)
		}
	}
}

// absPow returns |x|^e, by repeated multiplication for small whole e
// (several times faster than math.Pow, which matters in a training loop).
func absPow(x, e float64) float64 {
	x = math.Abs(x)
	if n := int(e); float64(n) == e && n >= 0 && n <= 8 {
		p := 1.0
		for range n {
			p *= x
		}
		return p
	}
	return math.Pow(x, e)
}
