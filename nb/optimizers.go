package nb

// Helpers for notebooks/04_4_Optimizers.ipynb (§4.4 of the notes): the
// optimizers of lib/nn on 2-D test surfaces (the same types that train
// networks, stepping a 1×2 parameter whose gradient comes from the
// surface), momentum's unrolled sum, the Taylor expansion behind the
// Hessian technique, full-batch Newton and conjugate gradient against
// gradient descent, and optimizers compared on MNIST against epochs and
// wall time.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
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
	cost = plotting.Lines(plotting.Config{Title: s.Name + ": cost against step", XLabel: "step t", YLabel: "C(θ_t) − C_min", Legend: plotting.BottomLeft, LogY: true}, cs...)
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

// UnrolledMomentum returns Σ_{k=0}^{t} β^k (1−β) g_{t−k} for the gradients
// g_0, …, g_t (grads[i] is g_i): the unrolled form of the velocity v_{t+1}
// of momentum's averaging form with v₀ = 0.
func UnrolledMomentum(grads [][]float64, beta float64) []float64 {
	if len(grads) == 0 {
		return nil
	}
	t := len(grads) - 1
	v := make([]float64, len(grads[0]))
	for k := 0; k <= t; k++ {
		w := math.Pow(beta, float64(k)) * (1 - beta)
		for i := range v {
			v[i] += w * grads[t-k][i]
		}
	}
	return v
}

// TaylorErrors compares, for each step size h in hs, the cost of p at
// θ + hΔ with its first-order Taylor polynomial C + h ∇C·Δ and its
// second-order one C + h ∇C·Δ + ½ h² ΔᵀHΔ (H by finite differences of the
// gradient at θ). It returns the absolute errors of both; for a smooth C
// they shrink like h² and h³.
func TaylorErrors(p optimize.Problem, theta, dir, hs []float64) (first, second []float64) {
	n := len(theta)
	g := make([]float64, n)
	p.Grad(g, theta)
	c0 := p.Func(theta)
	h := nn.Hessian(nil, p.Grad, theta, 0)
	gd, dHd := 0.0, 0.0
	for i := range n {
		gd += g[i] * dir[i]
		for j := range n {
			dHd += dir[i] * h.At(i, j) * dir[j]
		}
	}
	x := make([]float64, n)
	for _, s := range hs {
		for i := range x {
			x[i] = theta[i] + s*dir[i]
		}
		c := p.Func(x)
		first = append(first, math.Abs(c-(c0+s*gd)))
		second = append(second, math.Abs(c-(c0+s*gd+0.5*s*s*dHd)))
	}
	p.Func(theta) // leave the network at θ
	return first, second
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

// FullBatchRun is the cost of a full-batch method after each iteration.
type FullBatchRun struct {
	Name string
	// Cost[k] and Seconds[k] after k iterations (Cost[0] at the start).
	Cost, Seconds []float64
	// Evaluations counts the gradient evaluations (backward passes).
	Evaluations int
}

// CompareFullBatch trains a fresh network from newNet (the same initial θ
// for every method) on all of data with: gradient descent at rate eta
// (full batch, one update per iteration), Newton's method (NewtonStep with
// Levenberg damping), and nonlinear conjugate gradient in the
// Fletcher–Reeves and Polak–Ribière variants (gonum/optimize), for iters
// iterations each.
func CompareFullBatch(newNet func() *nn.Network, data *nn.Dataset, eta float64, iters int) ([]FullBatchRun, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var runs []FullBatchRun

	// gradient descent
	net := newNet()
	c0 := nn.FullBatchProblem(net, data, nil).Func(nn.FlatParams(nil, net.Params()))
	gd := FullBatchRun{Name: fmt.Sprintf("gradient descent, η = %g", eta), Cost: []float64{c0}, Seconds: []float64{0}}
	var spent time.Duration
	_, err := nn.Train(ctx, net, data, nn.TrainConfig{Epochs: iters, BatchSize: data.Len(), Optimizer: &nn.SGD{Eta: eta},
		OnEpoch: func(s nn.EpochStats) {
			spent += s.Duration
			c, _ := net.Evaluate(data)
			gd.Cost = append(gd.Cost, c)
			gd.Seconds = append(gd.Seconds, spent.Seconds())
		}})
	if err != nil {
		return runs, err
	}
	gd.Evaluations = iters
	runs = append(runs, gd)

	// Newton
	net = newNet()
	nh, err := nn.NewtonTrain(ctx, net, data, nil, iters, nn.NewtonConfig{Damping: 1e-3})
	if err != nil {
		return runs, err
	}
	runs = append(runs, FullBatchRun{Name: "Newton (Levenberg–Marquardt)", Cost: nh.Costs, Seconds: nh.Seconds, Evaluations: nh.Evaluations})

	// conjugate gradient
	for _, v := range []struct {
		name string
		v    optimize.CGVariant
	}{{"conjugate gradient (Fletcher–Reeves)", &optimize.FletcherReeves{}}, {"conjugate gradient (Polak–Ribière)", &optimize.PolakRibierePolyak{}}} {
		net := newNet()
		res, err := nn.MinimizeFullBatch(ctx, net, data, nil, &optimize.CG{Variant: v.v}, iters)
		if err != nil && res.Result == nil {
			return runs, err
		}
		runs = append(runs, FullBatchRun{Name: v.name, Cost: res.Costs, Seconds: res.Seconds, Evaluations: res.GradEvaluations})
	}
	return runs, nil
}

// FullBatchPlots returns the cost against iterations and against gradient
// evaluations, on log axes.
func FullBatchPlots(runs []FullBatchRun) (byIter, byTime *plot.Plot) {
	var it, tm []plotting.Series
	for _, r := range runs {
		x := make([]float64, len(r.Cost))
		for k := range x {
			x[k] = float64(k)
		}
		it = append(it, plotting.Series{Name: r.Name, X: x, Y: r.Cost})
		tm = append(tm, plotting.Series{Name: r.Name, X: r.Seconds, Y: r.Cost})
	}
	byIter = plotting.Lines(plotting.Config{Title: "Full-batch cost against iterations", XLabel: "iteration", YLabel: "C", Legend: plotting.BottomLeft, LogY: true}, it...)
	byTime = plotting.Lines(plotting.Config{Title: "Full-batch cost against time", XLabel: "seconds", YLabel: "C", Legend: plotting.BottomLeft, LogY: true}, tm...)
	return byIter, byTime
}

// OptimizerRun is one training run of CompareOptimizers.
type OptimizerRun struct {
	Name    string
	History nn.History
}

// CompareOptimizers trains a fresh network from newNet(rng) (equally
// seeded for every optimizer, so all start from the same θ) with each
// optimizer of specs, through TrainCached under key + the optimizer's
// name, with cfg (whose Optimizer is replaced). Interrupting the kernel
// returns the runs done with the error.
func (d *Display) CompareOptimizers(key string, specs []OptimizerSpec, newNet func(rng *rand.Rand) *nn.Network, train *nn.Dataset, cfg nn.TrainConfig, seed uint64) ([]OptimizerRun, error) {
	var runs []OptimizerRun
	for _, sp := range specs {
		net := newNet(rand.New(rand.NewPCG(seed, 0)))
		c := cfg
		c.Optimizer = sp.New()
		c.Rand = rand.New(rand.NewPCG(seed, 1))
		d.Markdown(fmt.Sprintf("**%s**", sp.Name))
		h, err := d.TrainCached(key+"-"+sp.Name, net, train, c)
		if err != nil {
			return runs, fmt.Errorf("%s: %w", sp.Name, err)
		}
		runs = append(runs, OptimizerRun{Name: sp.Name, History: h})
	}
	return runs, nil
}

// CompareOptimizers runs on the Default display; an error ends the cell.
func CompareOptimizers(key string, specs []OptimizerSpec, newNet func(rng *rand.Rand) *nn.Network, train *nn.Dataset, cfg nn.TrainConfig, seed uint64) []OptimizerRun {
	runs, err := Default().CompareOptimizers(key, specs, newNet, train, cfg, seed)
	exitOn(err)
	return runs
}

// OptimizerPlots returns the validation cost against epochs and against
// wall time (seconds since training started) of each run.
func OptimizerPlots(runs []OptimizerRun) (byEpoch, byTime *plot.Plot) {
	var ep, tm []plotting.Series
	for _, r := range runs {
		var x, t, c []float64
		for _, s := range r.History {
			x = append(x, float64(s.Epoch))
			t = append(t, s.Elapsed.Seconds())
			c = append(c, s.ValidationCost)
		}
		ep = append(ep, plotting.Series{Name: r.Name, X: x, Y: c})
		tm = append(tm, plotting.Series{Name: r.Name, X: t, Y: c})
	}
	byEpoch = plotting.Lines(plotting.Config{Title: "Validation cost against epochs", XLabel: "epoch", YLabel: "C (validation)", Legend: plotting.TopRight, LogY: true}, ep...)
	byTime = plotting.Lines(plotting.Config{Title: "Validation cost against wall time", XLabel: "seconds", YLabel: "C (validation)", Legend: plotting.TopRight, LogY: true}, tm...)
	return byEpoch, byTime
}

// OptimizerTable lists each run's last and best validation accuracy and
// its mean epoch time.
func OptimizerTable(caption string, runs []OptimizerRun) Table {
	t := Table{Caption: caption, Header: []string{"optimizer", "validation accuracy (last epoch)", "best (epoch)", "final validation cost", "s / epoch"}}
	for _, r := range runs {
		last := r.History.Last()
		b := r.History.Best()
		best := r.History[b-1]
		t.Rows = append(t.Rows, []string{r.Name,
			fmt.Sprintf("%.2f%%", 100*last.ValidationAccuracy),
			fmt.Sprintf("%.2f%% (%d)", 100*best.ValidationAccuracy, b),
			fmt.Sprintf("%.4f", last.ValidationCost),
			fmt.Sprintf("%.2f", MeanEpochTime(r.History).Seconds()),
		})
	}
	return t
}
