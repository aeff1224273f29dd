package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
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
// reg, when not nil, adds its penalty for a training set of data.Len()
// samples. Both functions set net's parameters to θ as they evaluate.
func FullBatchProblem(net *Network, data *Dataset, reg Regularizer) optimize.Problem {
	if err := data.Validate(); err != nil {
		panic(err.Error())
	}
	params := net.Params()
	n := data.Len()
	return optimize.Problem{
		Func: func(theta []float64) float64 {
			SetFlatParams(params, theta)
			c := net.Loss(data.X, data.Y)
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
	// Damping is μ, the first multiple of the identity added to H when H
	// is not positive definite (Levenberg): the step solves (H + μI)Δθ =
	// −∇C, with μ multiplied by 10 until H + μI is positive definite. 0
	// means no damping: NewtonStep then returns an error wrapping
	// ErrNotPositiveDefinite.
	Damping float64
	// Step is the finite-difference step of the Hessian; 0 means 1e-5.
	// Unused when the problem has its own Hess.
	Step float64
}

// NewtonResult describes one Newton step.
type NewtonResult struct {
	// Delta is Δθ = −(H + μI)⁻¹ ∇C.
	Delta []float64
	// Damping is the μ used (0 when H was positive definite).
	Damping float64
	// MinEigen is H's smallest eigenvalue when H was not positive
	// definite (NaN otherwise: it is not computed then).
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
	if !chol.Factorize(h) {
		var eig mat.EigenSym
		if eig.Factorize(h, false) {
			res.MinEigen = eig.Values(nil)[0]
		}
		if cfg.Damping <= 0 {
			return res, fmt.Errorf("nn: NewtonStep: %w (smallest eigenvalue %.3g); set NewtonConfig.Damping for a Levenberg step", ErrNotPositiveDefinite, res.MinEigen)
		}
		hd := mat.NewSymDense(n, nil)
		for mu := cfg.Damping; ; mu *= 10 {
			if mu > 1e12 {
				return res, fmt.Errorf("nn: NewtonStep: %w even with damping μ = %g", ErrNotPositiveDefinite, mu)
			}
			hd.CopySym(h)
			for i := range n {
				hd.SetSym(i, i, h.At(i, i)+mu)
			}
			if chol.Factorize(hd) {
				res.Damping = mu
				break
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

// NewtonTrain takes iters Newton steps on the full-batch cost of net on
// data (with reg when not nil) and returns the cost before the first step
// and after each. It stops with an error on ctx's cancellation or when a
// step fails; the costs so far are returned and net keeps the parameters
// of the last successful step.
func NewtonTrain(ctx context.Context, net *Network, data *Dataset, reg Regularizer, iters int, cfg NewtonConfig) ([]float64, error) {
	p := FullBatchProblem(net, data, reg)
	theta := FlatParams(nil, net.Params())
	costs := []float64{p.Func(theta)}
	for k := range iters {
		if err := ctx.Err(); err != nil {
			return costs, fmt.Errorf("nn: NewtonTrain stopped at step %d: %w", k+1, err)
		}
		res, err := NewtonStep(p, theta, cfg)
		if err != nil {
			SetFlatParams(net.Params(), theta)
			return costs, fmt.Errorf("step %d: %w", k+1, err)
		}
		for i := range theta {
			theta[i] += res.Delta[i]
		}
		costs = append(costs, p.Func(theta))
	}
	SetFlatParams(net.Params(), theta)
	return costs, nil
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
