package nn

import (
	"fmt"
	"math"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// Optimizers of §2 and §4.4. Every one is a pointer type that implements
// Optimizer and LearningRater. The optimizer is the one home of the
// learning rate η, its field Eta: Train takes it as the base rate and,
// with a TrainConfig.Schedule, sets the rate of every minibatch from it
// and puts the base rate back when it returns. An optimizer keeps its
// state (velocities, moment estimates) per parameter, keyed by the
// *Param: calling Step again with the same parameter list continues where
// the last call left off, and the state is inspectable for plots
// (Velocity, Moments). The same types step a network's parameters and a
// 1×2 Param whose Grad is filled from a 2-D test surface.
//
// The formulas, with g = ∇C(θ_t) and all operations element-wise:
//
//	SGD (§2, §2.1):
//	    θ ← θ − η g
//	Momentum, form MomentumVelocity (the notes' first form):
//	    v ← β v + η g,        θ ← θ − v
//	Momentum, form MomentumAverage (the notes' second form):
//	    v ← β v + (1−β) g,    θ ← θ − η v
//	Nesterov (Sutskever et al. 2013, in the form of Bengio et al. 2013):
//	    v ← β v + η g,        θ ← θ − (β v + η g)
//	RMSprop (Hinton, Neural Networks for Machine Learning, lecture 6e):
//	    s ← β s + (1−β) g²,   θ ← θ − η g / (√s + ε)
//	Adam (Kingma and Ba 2015), t counted from 1:
//	    m ← β₁ m + (1−β₁) g,  s ← β₂ s + (1−β₂) g²,
//	    m̂ = m / (1−β₁ᵗ),      ŝ = s / (1−β₂ᵗ),
//	    θ ← θ − η m̂ / (√ŝ + ε)
//	AdamW (Loshchilov and Hutter 2019): Adam's step plus, for weights only,
//	    θ ← θ − η λ θ
//
// The two momentum forms give the same trajectory when η_velocity =
// (1−β) η_average (for a constant η): their velocities are then related by
// v_velocity = η_average v_average.
//
// Zero is a value: every field means exactly what it holds, so β = 0 is
// plain gradient descent and ε = 0 divides by √s alone. The constructors
// NewSGD, NewMomentum, NewNesterov, NewRMSprop, NewAdam and NewAdamW fill in the
// usual values (DefaultBeta, DefaultBeta2, DefaultEps); a struct literal
// that leaves a field out sets it to zero.

// Usual values of the optimizers' coefficients, which their constructors
// set: β (and Adam's β₁) = 0.9, Adam's β₂ = 0.999, ε = 1e-8 (Kingma and Ba
// 2015; Hinton's lecture 6e).
const (
	DefaultBeta  = 0.9
	DefaultBeta2 = 0.999
	DefaultEps   = 1e-8
)

// Optimizer updates the parameters from their gradients after each
// minibatch.
type Optimizer interface {
	// Step updates every parameter from its Grad.
	Step(params []*Param)
}

// LearningRater is implemented by optimizers that hold a learning rate η.
// Train reads it with LearningRate (the base rate of a Schedule, and the
// rate it reports) and is the only caller of SetLearningRate: with a
// Schedule it sets the rate of every minibatch and restores the base rate
// when it returns.
type LearningRater interface {
	LearningRate() float64
	SetLearningRate(eta float64)
}

// SGD is plain gradient descent, θ ← θ − η ∇C (§2): with the gradient of a
// minibatch it is the stochastic gradient descent of §2.1.
type SGD struct {
	// Eta is the learning rate η. There is no default: η = 0 leaves the
	// parameters unchanged while Train still measures the costs.
	Eta float64
}

// NewSGD returns plain gradient descent with learning rate eta.
func NewSGD(eta float64) *SGD { return &SGD{Eta: eta} }

// LearningRate returns η.
func (s *SGD) LearningRate() float64 { return s.Eta }

// SetLearningRate sets η.
func (s *SGD) SetLearningRate(eta float64) { s.Eta = eta }

// Step sets θ ← θ − η ∇C for every parameter.
func (s *SGD) Step(params []*Param) {
	for _, p := range params {
		v := contiguous(p.Value, "SGD.Step")
		g := contiguous(p.Grad, "SGD.Step")
		kernel.AddScaled(v, -s.Eta, g) // θ ← θ − η g
	}
}

// optState holds one vector per parameter, allocated at the first step.
type optState map[*Param][]float64

// of returns the vector of p, allocating a zero one on first use. It panics
// if p changed size since.
func (s *optState) of(p *Param, who string) []float64 {
	if *s == nil {
		*s = make(optState)
	}
	v, ok := (*s)[p]
	if !ok {
		v = make([]float64, p.Len())
		(*s)[p] = v
	} else if len(v) != p.Len() {
		panic(fmt.Sprintf("nn: %s: parameter %s has %d values, its state has %d (call Reset after changing the network)", who, p.Name, p.Len(), len(v)))
	}
	return v
}

// MomentumForm selects one of the two ways the notes write momentum.
type MomentumForm int

const (
	// MomentumVelocity is v ← β v + η ∇C, θ ← θ − v: the velocity carries
	// the learning rate.
	MomentumVelocity MomentumForm = iota
	// MomentumAverage is v ← β v + (1−β) ∇C, θ ← θ − η v: v is an
	// exponential moving average of the gradients.
	MomentumAverage
)

func (f MomentumForm) String() string {
	switch f {
	case MomentumVelocity:
		return "v ← βv + η∇C"
	case MomentumAverage:
		return "v ← βv + (1−β)∇C"
	}
	return "unknown momentum form"
}

// Momentum is gradient descent with momentum (§4.4), v₀ = 0.
type Momentum struct {
	// Eta is the learning rate η.
	Eta float64
	// Beta is the momentum coefficient β; 0 is plain gradient descent
	// (NewMomentum sets DefaultBeta).
	Beta float64
	// Form is the form of the update; the zero value is MomentumVelocity.
	Form MomentumForm

	v optState
}

// NewMomentum returns momentum with learning rate eta, β = DefaultBeta
// (0.9) and the form MomentumVelocity.
func NewMomentum(eta float64) *Momentum { return &Momentum{Eta: eta, Beta: DefaultBeta} }

// LearningRate returns η.
func (o *Momentum) LearningRate() float64 { return o.Eta }

// SetLearningRate sets η.
func (o *Momentum) SetLearningRate(eta float64) { o.Eta = eta }

// Velocity returns the velocity v of p (nil before its first step). It is
// the optimizer's own state: do not modify it.
func (o *Momentum) Velocity(p *Param) []float64 { return o.v[p] }

// Reset forgets the velocities.
func (o *Momentum) Reset() { o.v = nil }

// Step updates every parameter from its Grad.
func (o *Momentum) Step(params []*Param) {
	beta := o.Beta
	var gs, vs float64 // v ← β v + gs·g, θ ← θ − vs·v
	switch o.Form {
	case MomentumVelocity:
		gs, vs = o.Eta, 1
	case MomentumAverage:
		gs, vs = 1-beta, o.Eta
	default:
		panic(fmt.Sprintf("nn: Momentum: unknown form %d", o.Form))
	}
	for _, p := range params {
		th := contiguous(p.Value, "Momentum.Step")
		g := contiguous(p.Grad, "Momentum.Step")
		v := o.v.of(p, "Momentum.Step")
		for i := range th {
			v[i] = beta*v[i] + gs*g[i]
			th[i] -= vs * v[i]
		}
	}
}

// Nesterov is Nesterov's accelerated gradient in the form that needs only
// the gradient at the current parameters (Bengio et al. 2013):
//
//	v ← β v + η ∇C(θ),  θ ← θ − (β v + η ∇C(θ)).
//
// It is the classic "look-ahead" method v ← β v + η ∇C(θ' − β v), θ' ← θ'
// − v, written for θ = θ' − β v, the point where the look-ahead gradient
// is taken.
type Nesterov struct {
	// Eta is the learning rate η.
	Eta float64
	// Beta is the momentum coefficient β; 0 is plain gradient descent
	// (NewNesterov sets DefaultBeta).
	Beta float64

	v optState
}

// NewNesterov returns Nesterov's method with learning rate eta and
// β = DefaultBeta (0.9).
func NewNesterov(eta float64) *Nesterov { return &Nesterov{Eta: eta, Beta: DefaultBeta} }

// LearningRate returns η.
func (o *Nesterov) LearningRate() float64 { return o.Eta }

// SetLearningRate sets η.
func (o *Nesterov) SetLearningRate(eta float64) { o.Eta = eta }

// Velocity returns the velocity v of p (nil before its first step).
func (o *Nesterov) Velocity(p *Param) []float64 { return o.v[p] }

// Reset forgets the velocities.
func (o *Nesterov) Reset() { o.v = nil }

// Step updates every parameter from its Grad.
func (o *Nesterov) Step(params []*Param) {
	beta := o.Beta
	for _, p := range params {
		th := contiguous(p.Value, "Nesterov.Step")
		g := contiguous(p.Grad, "Nesterov.Step")
		v := o.v.of(p, "Nesterov.Step")
		for i := range th {
			v[i] = beta*v[i] + o.Eta*g[i]
			th[i] -= beta*v[i] + o.Eta*g[i]
		}
	}
}

// RMSprop divides each parameter's step by the root of a moving average of
// its squared gradients (Hinton, lecture 6e), so every parameter gets its
// own effective learning rate η / (√s + ε):
//
//	s ← β s + (1−β) g²,  θ ← θ − η g / (√s + ε).
type RMSprop struct {
	// Eta is the learning rate η (0.001 is common).
	Eta float64
	// Beta is the decay β of the average; 0 keeps only the last squared
	// gradient (NewRMSprop sets DefaultBeta).
	Beta float64
	// Eps is ε, added to √s (NewRMSprop sets DefaultEps).
	Eps float64

	s optState
}

// NewRMSprop returns RMSprop with learning rate eta, β = DefaultBeta (0.9)
// and ε = DefaultEps (1e-8).
func NewRMSprop(eta float64) *RMSprop {
	return &RMSprop{Eta: eta, Beta: DefaultBeta, Eps: DefaultEps}
}

// LearningRate returns η.
func (o *RMSprop) LearningRate() float64 { return o.Eta }

// SetLearningRate sets η.
func (o *RMSprop) SetLearningRate(eta float64) { o.Eta = eta }

// MeanSquare returns s, the moving average of p's squared gradients (nil
// before its first step).
func (o *RMSprop) MeanSquare(p *Param) []float64 { return o.s[p] }

// Reset forgets the averages.
func (o *RMSprop) Reset() { o.s = nil }

// Step updates every parameter from its Grad.
func (o *RMSprop) Step(params []*Param) {
	beta, eps := o.Beta, o.Eps
	for _, p := range params {
		th := contiguous(p.Value, "RMSprop.Step")
		g := contiguous(p.Grad, "RMSprop.Step")
		s := o.s.of(p, "RMSprop.Step")
		for i := range th {
			s[i] = beta*s[i] + (1-beta)*g[i]*g[i]
			// With ε = 0, s = 0 only where g = 0: the step is 0, not 0/0.
			if d := math.Sqrt(s[i]) + eps; d != 0 {
				th[i] -= o.Eta * g[i] / d
			}
		}
	}
}

// Adam keeps moving averages of the gradients (m, first moment) and of
// their squares (s, second moment), corrects both for starting at zero and
// steps by η m̂ / (√ŝ + ε) (Kingma and Ba 2015). The notes write the
// second moment v and put ε under the root, η/√(v̂+ε); this package follows
// the paper (and PyTorch, Keras): ε outside the root.
type Adam struct {
	// Eta is the learning rate η (0.001 is the paper's).
	Eta float64
	// Beta1 and Beta2 are the decays β₁ and β₂; β₁ = 0 steps without
	// momentum (NewAdam sets DefaultBeta and DefaultBeta2).
	Beta1, Beta2 float64
	// Eps is ε (NewAdam sets DefaultEps).
	Eps float64
	// NoBiasCorrection, when true, steps by η m / (√s + ε) without the
	// corrections 1/(1−βᵗ): only for showing what they do.
	NoBiasCorrection bool

	// T is the number of steps taken (t of the last step).
	T    int
	m, s optState
}

// NewAdam returns Adam with learning rate eta and the paper's β₁ = 0.9,
// β₂ = 0.999, ε = 1e-8.
func NewAdam(eta float64) *Adam {
	return &Adam{Eta: eta, Beta1: DefaultBeta, Beta2: DefaultBeta2, Eps: DefaultEps}
}

// LearningRate returns η.
func (o *Adam) LearningRate() float64 { return o.Eta }

// SetLearningRate sets η.
func (o *Adam) SetLearningRate(eta float64) { o.Eta = eta }

// Moments returns m and s, the moving averages of p's gradients and
// squared gradients before bias correction (nil before its first step).
func (o *Adam) Moments(p *Param) (m, s []float64) { return o.m[p], o.s[p] }

// Reset forgets the moments and sets T to 0.
func (o *Adam) Reset() { o.m, o.s, o.T = nil, nil, 0 }

// Step updates every parameter from its Grad.
func (o *Adam) Step(params []*Param) { o.step(params, 0, "Adam.Step") }

// step is Adam's step with decoupled weight decay lambda on the weights.
func (o *Adam) step(params []*Param, lambda float64, who string) {
	b1, b2, eps := o.Beta1, o.Beta2, o.Eps
	o.T++
	c1, c2 := 1-math.Pow(b1, float64(o.T)), 1-math.Pow(b2, float64(o.T))
	if o.NoBiasCorrection {
		c1, c2 = 1, 1
	}
	for _, p := range params {
		th := contiguous(p.Value, who)
		g := contiguous(p.Grad, who)
		m := o.m.of(p, who)
		s := o.s.of(p, who)
		decay := 0.0
		if p.Kind == Weight {
			decay = o.Eta * lambda
		}
		for i := range th {
			m[i] = b1*m[i] + (1-b1)*g[i]
			s[i] = b2*s[i] + (1-b2)*g[i]*g[i]
			step := decay * th[i]
			// With ε = 0, s = 0 only where every gradient so far was 0, and
			// then m = 0 too: the adaptive step is 0, not 0/0.
			if d := math.Sqrt(s[i]/c2) + eps; d != 0 {
				step += o.Eta * (m[i] / c1) / d
			}
			th[i] -= step
		}
	}
}

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter 2019):
// after Adam's step every weight (Kind Weight; biases are not decayed)
// shrinks by η λ θ, taken from the value before the step:
//
//	θ ← θ − η (m̂ / (√ŝ + ε) + λ θ).
//
// The decay does not pass through the adaptive denominator, as an L2
// penalty's gradient λθ/n would in plain Adam. The notes write the step as
// θ − (η m̂/(√ŝ + ε) + λ W): their λ is η·WeightDecay here. Scaling the
// decay by η makes a Schedule scale both terms, as the paper recommends.
type AdamW struct {
	Adam
	// WeightDecay is λ; 0 makes AdamW plain Adam.
	WeightDecay float64
}

// NewAdamW returns AdamW with learning rate eta, weight decay lambda and
// Adam's usual β₁, β₂ and ε (see NewAdam).
func NewAdamW(eta, lambda float64) *AdamW {
	return &AdamW{Adam: *NewAdam(eta), WeightDecay: lambda}
}

// Step updates every parameter from its Grad.
func (o *AdamW) Step(params []*Param) { o.step(params, o.WeightDecay, "AdamW.Step") }
