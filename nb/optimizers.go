package nb

// Helpers for notebooks/04_4_Optimizers.ipynb (§4.4 of the notes): the
// optimizers of lib/nn on 2-D test surfaces (the same types that train
// networks, stepping a 1×2 parameter whose gradient comes from the
// surface), the slope that reads an order off a log-log plot, and
// full-batch Newton and conjugate gradient in the form of TrainRuns'
// results (optimizers compared on MNIST are Runs of TrainRuns, runs.go).

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// OptimizerSpec names an optimizer and makes fresh instances of it (each
// run needs its own state).
type OptimizerSpec struct {
	Name string
	New  func() nn.Optimizer
}

// PathOf runs steps steps of opt from θ₀ = (t1, t2) on s: each step fills
// the Grad of a 1×2 nn.Param from s.Grad and calls opt.Step, exactly as
// training fills a network's parameters by backpropagation. Points stop
// being added once the path is no longer finite.
func PathOf(s Surface2D, opt nn.Optimizer, t1, t2 float64, steps int) Path {
	p := NewPoint(t1, t2)
	path := Path{X: []float64{t1}, Y: []float64{t2}, C: []float64{s.C(t1, t2)}}
	for range steps {
		th := p.Value.RawRowView(0)
		g1, g2 := s.Grad(th[0], th[1])
		p.Grad.SetRow(0, []float64{g1, g2})
		opt.Step([]*nn.Param{p})
		if math.IsNaN(th[0]) || math.IsNaN(th[1]) || math.IsInf(th[0], 0) || math.IsInf(th[1], 0) {
			break
		}
		path.X = append(path.X, th[0])
		path.Y = append(path.Y, th[1])
		path.C = append(path.C, s.C(th[0], th[1]))
	}
	return path
}

// NewPoint returns a 1×2 weight parameter θ = (t1, t2) with a zero
// gradient, for stepping optimizers on a surface.
func NewPoint(t1, t2 float64) *nn.Param {
	return &nn.Param{Name: "θ", Kind: nn.Weight, Value: mat.NewDense(1, 2, []float64{t1, t2}), Grad: mat.NewDense(1, 2, nil)}
}

// SurfacePaths runs every optimizer of specs on s from (t1, t2) and
// returns their paths, in order.
func SurfacePaths(s Surface2D, specs []OptimizerSpec, t1, t2 float64, steps int) []Path {
	paths := make([]Path, len(specs))
	for i, sp := range specs {
		paths[i] = PathOf(s, sp.New(), t1, t2, steps)
	}
	return paths
}

// SurfacePlots returns a contour plot of s with every path drawn on it
// (each cut where it first leaves the window) and a plot of C(θ_t)
// against t, shifted by shift so that a log axis can show it (C − C_min
// with C_min the surface's minimum; shift = −C_min).
func SurfacePlots(s Surface2D, specs []OptimizerSpec, paths []Path, shift float64) (contour, cost *plot.Plot) {
	var ser, cs []plotting.Series
	for i, p := range paths {
		ser = append(ser, p.Until(s.X, s.Y).Series(specs[i].Name))
		c := make([]float64, len(p.C))
		for t := range c {
			c[t] = math.Max(p.C[t]+shift, 1e-16)
		}
		cs = append(cs, plotting.Series{Name: specs[i].Name, X: p.Steps(), Y: c})
	}
	contour = plotting.Contour(plotting.Config{Title: s.Name, XLabel: "θ₁", YLabel: "θ₂", Legend: plotting.TopRight}, s.C, s.X, s.Y, ser...)
	cost = plotting.Lines(plotting.Config{Title: Tf("%s: cost against step", s.Name), XLabel: T("step t"), YLabel: "C(θₜ) − Cₘᵢₙ", Legend: plotting.BottomLeft, LogY: true}, cs...)
	return contour, cost
}

// FinalCosts returns C at the end of each path, for a table.
func FinalCosts(paths []Path) []float64 {
	out := make([]float64, len(paths))
	for i, p := range paths {
		out[i] = p.C[len(p.C)-1]
	}
	return out
}

// Slope returns the least-squares slope of log y against log x: the order
// p of y ∝ x^p.
func Slope(x, y []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(x))
	for i := range x {
		lx, ly := math.Log(x[i]), math.Log(y[i])
		sx += lx
		sy += ly
		sxx += lx * lx
		sxy += lx * ly
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// SecondOrderRuns trains a fresh network from newNet (called with
// Rand(seed, 0), so every method starts from the same θ) on all of data
// with Newton's method (nn.NewtonTrain with Levenberg damping 1e-3) and
// with nonlinear conjugate gradient in the Fletcher–Reeves and
// Polak–Ribière variants (gonum/optimize through nn.MinimizeFullBatch),
// iters iterations each. These methods have their own loops, not
// nn.Train's; their results are given in TrainRuns' form so that Curves
// and RunTable show them beside a full-batch gradient-descent run: the
// cost of the whole training set after iteration k is the ValidationCost
// of epoch k (Start holds the cost before the first), as for a Run whose
// validation set is its training set, and Gradients counts the gradient
// evaluations. Interrupting the kernel returns the methods finished so
// far with the error.
func SecondOrderRuns(newNet func(rng *rand.Rand) *nn.Network, data *nn.Dataset, seed uint64, iters int) ([]Result, error) {
	ctx, stop := interruptContext()
	defer stop()
	runs, err := secondOrderRuns(ctx, newNet, data, seed, iters)
	if err != nil && ctx.Err() != nil {
		in := &Interrupted{Run: "the second-order methods"}
		for _, r := range runs {
			in.Finished = append(in.Finished, r.Label())
		}
		return runs, in
	}
	return runs, err
}

// secondOrderRuns is SecondOrderRuns with the context that the interrupt
// cancels.
func secondOrderRuns(ctx context.Context, newNet func(rng *rand.Rand) *nn.Network, data *nn.Dataset, seed uint64, iters int) ([]Result, error) {
	var runs []Result
	result := func(label string, net *nn.Network, costs, seconds []float64, grads int) Result {
		r := Result{
			Run:       Run{Label: label, NewNet: newNet, Data: data, Seed: seed, Config: nn.TrainConfig{Epochs: iters, BatchSize: data.Len(), Validation: data}, Start: true, Uncached: true},
			Net:       net,
			Start:     &nn.EpochStats{TrainCost: math.NaN(), TrainAccuracy: math.NaN(), ValidationCost: costs[0], ValidationAccuracy: math.NaN()},
			Gradients: grads,
		}
		for k := 1; k < len(costs); k++ {
			r.History = append(r.History, nn.EpochStats{Epoch: k, TrainCost: math.NaN(), TrainAccuracy: math.NaN(),
				ValidationCost: costs[k], ValidationAccuracy: math.NaN(),
				Duration: time.Duration((seconds[k] - seconds[k-1]) * float64(time.Second)), Elapsed: time.Duration(seconds[k] * float64(time.Second))})
		}
		return r
	}

	net := newNet(Rand(seed, 0))
	nh, err := nn.NewtonTrain(ctx, net, data, nil, iters, nn.NewtonConfig{Damping: 1e-3})
	if err != nil {
		return runs, err
	}
	runs = append(runs, result("Newton (Levenberg–Marquardt)", net, nh.Costs, nh.Seconds, nh.Evaluations))

	for _, v := range []struct {
		name string
		v    optimize.CGVariant
	}{{T("conjugate gradient (Fletcher–Reeves)"), &optimize.FletcherReeves{}}, {T("conjugate gradient (Polak–Ribière)"), &optimize.PolakRibierePolyak{}}} {
		net := newNet(Rand(seed, 0))
		res, err := nn.MinimizeFullBatch(ctx, net, data, nil, &optimize.CG{Variant: v.v}, iters)
		if err != nil && res.Result == nil {
			return runs, err
		}
		runs = append(runs, result(v.name, net, res.Costs, res.Seconds, res.GradEvaluations))
	}
	return runs, nil
}
