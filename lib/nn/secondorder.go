package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Second-order and full-batch methods of §4.4. They see the network as a
// function of one flat vector θ (every parameter's values, layer by
// layer, row by row): FullBatchProblem turns a network and a dataset into
// a gonum optimize.Problem, so every gonum method (conjugate gradient,
// BFGS, Newton) trains it through MinimizeFullBatch, and NewtonStep takes
// the notes' step θ ← θ − H⁻¹∇C with the Hessian H from finite differences
// of the gradient.

// FlatParams returns θ, the values of params concatenated, in dst when it
// has the right length (else in a new slice).
func FlatParams(dst []float64, params []*Param) []float64 {
	return flatten(dst, params, func(p *Param) *mat.Dense { return p.Value })
}

// FlatGrads returns the gradients of params concatenated, in the order of
// FlatParams.
func FlatGrads(dst []float64, params []*Param) []float64 {
	return flatten(dst, params, func(p *Param) *mat.Dense { return p.Grad })
}

func flatten(dst []float64, params []*Param, m func(*Param) *mat.Dense) []float64 {
	n := 0
	for _, p := range params {
		n += p.Len()
	}
	if len(dst) != n {
		dst = make([]float64, n)
	}
	off := 0
	for _, p := range params {
		off += copy(dst[off:], contiguous(m(p), "FlatParams"))
	}
	return dst
}

// SetFlatParams sets the values of params from θ, in the order of
// FlatParams. It panics if θ has the wrong length.
func SetFlatParams(params []*Param, theta []float64) {
	n := 0
	for _, p := range params {
		n += p.Len()
	}
	if len(theta) != n {
		panic(fmt.Sprintf("nn: SetFlatParams: θ has %d values, the parameters %d", len(theta), n))
	}
	off := 0
	for _, p := range params {
		off += copy(contiguous(p.Value, "SetFlatParams"), theta[off:])
	}
}

// FullBatchProblem returns the cost of net on all of data as a function of
// the flat parameter vector θ, with its gradient by backpropagation, for
// gonum's optimize package:
//
//	Func(θ) = C(θ) + penalty,  Grad(g, θ) = ∇C(θ) + ∇penalty.
//
// C is the training-mode cost, the function whose gradient
// backpropagation computes: with batch normalization it uses the
// statistics of the whole set (Func runs in Replay mode, so it changes no
// running statistic). A network with dropout has a random training cost,
// which no full-batch method can minimize, and makes FullBatchProblem
// panic. reg, when not nil, adds its penalty for a training set of
// data.Len() samples. Both functions set net's parameters to θ as they
// evaluate.
func FullBatchProblem(net *Network, data *Dataset, reg Regularizer) optimize.Problem {
	if err := data.Validate(); err != nil {
		panic(err.Error())
	}
	for l, layer := range net.Layers {
		if d, ok := layer.(*Dropout); ok && d.Keep < 1 {
			panic(fmt.Sprintf("nn: FullBatchProblem: layer %d is %v, whose training cost is random; a full-batch method needs a fixed function", l+1, d))
		}
	}
	params := net.Params()
	n := data.Len()
	return optimize.Problem{
		Func: func(theta []float64) float64 {
			SetFlatParams(params, theta)
			// The training-mode cost (batch statistics in BatchNorm), which
			// Grad differentiates; Replay changes no running statistic.
			c := net.OutputCost(net.Forward(data.X, Replay), data.Y)
			if reg != nil {
				c += reg.Penalty(params, n)
			}
			return c
		},
		Grad: func(grad, theta []float64) {
			SetFlatParams(params, theta)
			net.Gradient(data.X, data.Y)
			if reg != nil {
				reg.AddGrad(params, n)
			}
			FlatGrads(grad, params)
		},
	}
}

// Hessian sets dst to the Hessian of the function whose gradient is grad,
// at x, by central differences of the gradient (gonum diff/fd.Jacobian),
// symmetrized as (J + Jᵀ)/2. step 0 means 1e-5. dst is allocated when nil
// and must otherwise be len(x) × len(x).
func Hessian(dst *mat.SymDense, grad func(g, x []float64), x []float64, step float64) *mat.SymDense {
	n := len(x)
	if dst == nil {
		dst = mat.NewSymDense(n, nil)
	} else if dst.SymmetricDim() != n {
		panic(fmt.Sprintf("nn: Hessian: dst is %d×%d for %d variables", dst.SymmetricDim(), dst.SymmetricDim(), n))
	}
	if step == 0 {
		step = 1e-5
	}
	j := mat.NewDense(n, n, nil)
	xc := append([]float64(nil), x...) // fd may not change x, but grad might keep it
	fd.Jacobian(j, func(y, x []float64) { grad(y, x) }, xc, &fd.JacobianSettings{Formula: fd.Central, Step: step})
	for r := range n {
		for c := r; c < n; c++ {
			dst.SetSym(r, c, (j.At(r, c)+j.At(c, r))/2)
		}
	}
	return dst
}

// ErrNotPositiveDefinite is wrapped by NewtonStep's error when the Hessian
// is not positive definite and no damping is allowed.
var ErrNotPositiveDefinite = errors.New("Hessian is not positive definite")

// NewtonConfig configures NewtonStep.
type NewtonConfig struct {
	// Damping is Levenberg's μ: when positive the step solves
	// (H + μI)Δθ = −∇C, which is between Newton's step (μ → 0) and a
	// short gradient step −∇C/μ (μ large). If H + μI is not positive
	// definite, μ is raised to Damping − λ_min(H), so that the smallest
	// eigenvalue of H + μI is Damping (and multiplied by 10 if rounding
	// still defeats the factorization). 0 means the pure Newton step,
	// and an error wrapping ErrNotPositiveDefinite when H is not
	// positive definite.
	Damping float64
	// Step is the finite-difference step of the Hessian; 0 means 1e-5.
	// Unused when the problem has its own Hess.
	Step float64
}

// NewtonResult describes one Newton step.
type NewtonResult struct {
	// Delta is Δθ = −(H + μI)⁻¹ ∇C.
	Delta []float64
	// Damping is the μ used (0 for the pure Newton step).
	Damping float64
	// MinEigen is H's smallest eigenvalue when H (or H + μI with the
	// configured μ) was not positive definite; NaN otherwise, when it is
	// not computed.
	MinEigen float64
}

// NewtonStep computes the step of §4.4's Hessian technique at x,
//
//	Δθ = −H⁻¹ ∇C(θ),  θ ← θ + Δθ,
//
// solving H Δθ = −∇C by a Cholesky factorization (gonum mat), which
// succeeds exactly when H is positive definite. H is p.Hess when set, or
// the finite-difference Hessian of p.Grad. x is not changed.
func NewtonStep(p optimize.Problem, x []float64, cfg NewtonConfig) (NewtonResult, error) {
	n := len(x)
	g := make([]float64, n)
	p.Grad(g, x)
	var h *mat.SymDense
	if p.Hess != nil {
		h = mat.NewSymDense(n, nil)
		p.Hess(h, x)
	} else {
		h = Hessian(nil, p.Grad, x, cfg.Step)
	}
	res := NewtonResult{MinEigen: math.NaN()}
	var chol mat.Cholesky
	if cfg.Damping <= 0 {
		if !chol.Factorize(h) {
			res.MinEigen = minEigen(h)
			return res, fmt.Errorf("nn: NewtonStep: %w (smallest eigenvalue %.3g); set NewtonConfig.Damping for a Levenberg step", ErrNotPositiveDefinite, res.MinEigen)
		}
	} else {
		hd := mat.NewSymDense(n, nil)
		shift := func(mu float64) bool {
			hd.CopySym(h)
			for i := range n {
				hd.SetSym(i, i, h.At(i, i)+mu)
			}
			return chol.Factorize(hd)
		}
		res.Damping = cfg.Damping
		if !shift(res.Damping) {
			res.MinEigen = minEigen(h)
			res.Damping = cfg.Damping - math.Min(res.MinEigen, 0)
			for !shift(res.Damping) {
				if res.Damping *= 10; res.Damping > 1e12 || math.IsNaN(res.Damping) {
					return res, fmt.Errorf("nn: NewtonStep: %w even with damping μ = %g", ErrNotPositiveDefinite, res.Damping)
				}
			}
		}
	}
	var d mat.VecDense
	if err := chol.SolveVecTo(&d, mat.NewVecDense(n, g)); err != nil {
		return res, fmt.Errorf("nn: NewtonStep: %w", err)
	}
	res.Delta = make([]float64, n)
	for i := range res.Delta {
		res.Delta[i] = -d.AtVec(i)
	}
	return res, nil
}

// minEigen returns the smallest eigenvalue of h (NaN if gonum fails).
func minEigen(h *mat.SymDense) float64 {
	var eig mat.EigenSym
	if !eig.Factorize(h, false) {
		return math.NaN()
	}
	return eig.Values(nil)[0]
}

// NewtonHistory records a NewtonTrain run.
type NewtonHistory struct {
	// Costs[k], Seconds[k] and Damping[k] after k accepted steps
	// (Costs[0] at the start, Damping[0] = the configured μ).
	Costs, Seconds, Damping []float64
	// Rejected counts the steps that raised the cost and were retried
	// with 10 times the damping.
	Rejected int
	// Evaluations counts the gradient evaluations, 2P per
	// finite-difference Hessian of P parameters plus one per step.
	Evaluations int
}

// NewtonTrain takes iters Newton steps on the full-batch cost of net on
// data (with reg when not nil). With cfg.Damping = 0 they are pure Newton
// steps and the first Hessian that is not positive definite ends the run
// with an error. With Damping > 0 it is the Levenberg–Marquardt scheme: a
// step that lowers the cost is accepted and μ divided by 10 for the next
// one; a step that raises it is rejected and retried with μ multiplied
// by 10. It stops with an error on ctx's cancellation or when a step
// fails; net keeps the parameters of the last accepted step.
func NewtonTrain(ctx context.Context, net *Network, data *Dataset, reg Regularizer, iters int, cfg NewtonConfig) (NewtonHistory, error) {
	if err := data.Validate(); err != nil {
		return NewtonHistory{}, fmt.Errorf("nn: training set: %s", strings.TrimPrefix(err.Error(), "nn: "))
	}
	if err := fullBatchFits(net, data.Len()); err != nil {
		return NewtonHistory{}, err
	}
	p := FullBatchProblem(net, data, reg)
	params := net.Params()
	theta := FlatParams(nil, params)
	c := p.Func(theta)
	h := NewtonHistory{Costs: []float64{c}, Seconds: []float64{0}, Damping: []float64{cfg.Damping}}
	start := time.Now()
	next := make([]float64, len(theta))
	defer func() { SetFlatParams(params, theta) }()
	for k := range iters {
		for {
			if err := ctx.Err(); err != nil {
				return h, fmt.Errorf("nn: NewtonTrain stopped at step %d: %w", k+1, err)
			}
			res, err := NewtonStep(p, theta, cfg)
			h.Evaluations += 1 + 2*len(theta)
			if err != nil {
				return h, fmt.Errorf("step %d: %w", k+1, err)
			}
			for i := range theta {
				next[i] = theta[i] + res.Delta[i]
			}
			cn := p.Func(next)
			if cfg.Damping <= 0 || cn < c {
				copy(theta, next)
				c = cn
				h.Costs = append(h.Costs, c)
				h.Seconds = append(h.Seconds, time.Since(start).Seconds())
				h.Damping = append(h.Damping, res.Damping)
				if cfg.Damping > 0 {
					cfg.Damping = math.Max(res.Damping/10, 1e-12)
				}
				break
			}
			h.Rejected++
			cfg.Damping = res.Damping * 10
			if cfg.Damping > 1e12 {
				return h, fmt.Errorf("nn: NewtonTrain: no step lowers the cost at step %d (damping %g)", k+1, cfg.Damping)
			}
		}
	}
	return h, nil
}

// FullBatchResult is the outcome of MinimizeFullBatch.
type FullBatchResult struct {
	// Result is gonum's: final θ, cost, status, evaluation counts.
	*optimize.Result
	// Costs[k] is the cost after major iteration k (Costs[0] at the
	// start) and Seconds[k] the time spent until then.
	Costs, Seconds []float64
}

// costRecorder collects the cost at every major iteration and stops on
// ctx's cancellation.
type costRecorder struct {
	ctx            context.Context
	start          time.Time
	costs, seconds []float64
}

func (r *costRecorder) Init() error { return nil }

func (r *costRecorder) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if op == optimize.MajorIteration {
		r.costs = append(r.costs, loc.F)
		r.seconds = append(r.seconds, time.Since(r.start).Seconds())
	}
	return r.ctx.Err()
}

// MinimizeFullBatch trains net on the whole of data (plus reg when not
// nil) with a gonum optimize method, through FullBatchProblem. For the
// nonlinear conjugate gradient of §4.4 pass
// &optimize.CG{Variant: &optimize.FletcherReeves{}} or
// &optimize.CG{Variant: &optimize.PolakRibierePolyak{}} (Nocedal and
// Wright, ch. 5), whose line search satisfies the strong Wolfe conditions.
// iters limits the major iterations (0: until gonum's convergence test).
// net ends with the best parameters found.
func MinimizeFullBatch(ctx context.Context, net *Network, data *Dataset, reg Regularizer, method optimize.Method, iters int) (FullBatchResult, error) {
	if err := data.Validate(); err != nil {
		return FullBatchResult{}, fmt.Errorf("nn: training set: %s", strings.TrimPrefix(err.Error(), "nn: "))
	}
	if err := fullBatchFits(net, data.Len()); err != nil {
		return FullBatchResult{}, err
	}
	p := FullBatchProblem(net, data, reg)
	theta := FlatParams(nil, net.Params())
	rec := &costRecorder{ctx: ctx, start: time.Now(), costs: []float64{p.Func(theta)}, seconds: []float64{0}}
	res, err := optimize.Minimize(p, theta, &optimize.Settings{
		MajorIterations: iters,
		Recorder:        rec,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Iterations: 20},
	}, method)
	out := FullBatchResult{Result: res, Costs: rec.costs, Seconds: rec.seconds}
	if res != nil {
		SetFlatParams(net.Params(), res.X)
	}
	if err != nil {
		return out, fmt.Errorf("nn: MinimizeFullBatch: %w", err)
	}
	return out, nil
}

// fullBatchFits returns an error, before any evaluation changes net, when
// a full batch of n samples is too small for a layer of net in training
// (BatchNorm needs 2), or empty.
func fullBatchFits(net *Network, n int) error {
	if n == 0 {
		return errors.New("nn: training set has no samples")
	}
	if minBatch, layer := net.MinBatch(); n < minBatch {
		return fmt.Errorf("nn: cannot train: the training set has N = %d sample(s), but layer %d (%T) needs at least %d samples in a training batch", n, layer, net.Layers[layer-1], minBatch)
	}
	return nil
}
