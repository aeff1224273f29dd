package nb

// Helpers of the notebook B_Activations_and_Costs (Appendix B.1 and B.2):
// panels of activations, per-sample costs and output errors as plain
// vectors, Jacobians and gradients by central differences, checks of whole
// vectors and matrices, line fits for the regression costs, Nielsen's
// single-neuron experiment and accuracy curves for comparing costs on MNIST
// (Tracked, for runs trained through TrainRuns).

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// ActivationPanel returns a figure of an element-wise activation σ and its
// derivative σ′ over r, titled with the activation's name.
func ActivationPanel(act nn.Scalar, r plotting.Range) *plot.Plot {
	return plotting.Functions(
		plotting.Config{Title: act.String(), XLabel: "z"},
		r,
		plotting.Func{Name: "σ(z)", F: act.F},
		plotting.Func{Name: "σ′(z)", F: act.Prime},
	)
}

// PanelGrid arranges figures in rows of cols panels, row by row. It panics
// if cols is not positive.
func PanelGrid(cols int, panels ...*plot.Plot) plotting.Grid {
	if cols <= 0 {
		panic(fmt.Sprintf("nb: PanelGrid with %d columns", cols))
	}
	var g plotting.Grid
	for i := 0; i < len(panels); i += cols {
		g = append(g, panels[i:min(i+cols, len(panels))])
	}
	return g
}

// column returns v as a len(v) × 1 matrix (a copy), one sample.
func column(v []float64) *mat.Dense {
	return mat.NewDense(len(v), 1, append([]float64(nil), v...))
}

// Activate returns σ(z) for one sample z (a column), through act.Apply, so
// that it works for softmax as well as for element-wise activations.
func Activate(act nn.Activation, z []float64) []float64 {
	a := mat.NewDense(len(z), 1, nil)
	act.Apply(a, column(z))
	return a.RawMatrix().Data
}

// SampleCost returns the cost C_x(a, ŷ) of one sample.
func SampleCost(c nn.Cost, a, y []float64) float64 {
	checkLen("SampleCost", a, y)
	return c.Value(column(a), column(y))
}

// SampleCostGrad returns ∂C_x/∂a for one sample, by the cost's Grad.
func SampleCostGrad(c nn.Cost, a, y []float64) []float64 {
	checkLen("SampleCostGrad", a, y)
	da := mat.NewDense(len(a), 1, nil)
	c.Grad(da, column(a), column(y))
	return da.RawMatrix().Data
}

// NumericCostGrad returns ∂C_x/∂a for one sample by central differences of
// SampleCost.
func NumericCostGrad(c nn.Cost, a, y []float64) []float64 {
	checkLen("NumericCostGrad", a, y)
	return nn.NumericGradient(nil, func(v []float64) float64 { return SampleCost(c, v, y) }, a, 0)
}

// OutputDelta returns δ^(L) = ∂C_x/∂z^(L) of one sample with output
// a = act(z), computed by the general chain rule of backpropagation: the
// cost's Grad (∂C/∂a) passed through the activation's Backprop. It ignores
// any simplified δ^(L) the cost may have (see SimplifiedDelta).
func OutputDelta(act nn.Activation, c nn.Cost, z, y []float64) []float64 {
	checkLen("OutputDelta", z, y)
	zc := column(z)
	a := mat.NewDense(len(z), 1, nil)
	act.Apply(a, zc)
	da := mat.NewDense(len(z), 1, nil)
	c.Grad(da, a, column(y))
	dz := mat.NewDense(len(z), 1, nil)
	act.Backprop(dz, da, zc, a)
	return dz.RawMatrix().Data
}

// SimplifiedDelta returns the cost's simplified δ^(L) for output
// activation act (nn.DeltaCost), and false if the cost has none for act.
func SimplifiedDelta(act nn.Activation, c nn.Cost, z, y []float64) ([]float64, bool) {
	checkLen("SimplifiedDelta", z, y)
	dc, ok := c.(nn.DeltaCost)
	if !ok {
		return nil, false
	}
	zc := column(z)
	a := mat.NewDense(len(z), 1, nil)
	act.Apply(a, zc)
	dz := mat.NewDense(len(z), 1, nil)
	if !dc.Delta(dz, zc, a, column(y), act) {
		return nil, false
	}
	return dz.RawMatrix().Data, true
}

// NumericOutputDelta returns δ^(L) = ∂C_x/∂z^(L) of one sample by central
// differences of z ↦ C_x(act(z), ŷ): the reference that OutputDelta,
// SimplifiedDelta and the notes' formulas are checked against. Where the
// cost has a form in z for act (nn.LogitCost: log-sum-exp, log-sigmoid) it
// differentiates that form, which stays exact where a rounds to 0 or 1.
func NumericOutputDelta(act nn.Activation, c nn.Cost, z, y []float64) []float64 {
	checkLen("NumericOutputDelta", z, y)
	return nn.NumericGradient(nil, func(v []float64) float64 {
		return SampleCostFromZ(act, c, v, y)
	}, z, 0)
}

// SampleCostFromZ returns the cost C_x(act(z), ŷ) of one sample, computed
// from z where the cost has such a form for act (nn.LogitCost) and as
// SampleCost of act(z) otherwise.
func SampleCostFromZ(act nn.Activation, c nn.Cost, z, y []float64) float64 {
	checkLen("SampleCostFromZ", z, y)
	a := Activate(act, z)
	if lc, ok := c.(nn.LogitCost); ok {
		if v, ok := lc.ValueFromZ(column(z), column(a), column(y), act); ok {
			return v
		}
	}
	return SampleCost(c, a, y)
}

// NumericJacobian returns the m × len(x) Jacobian ∂f_i/∂x_j of f at x by
// central differences; f stores its m outputs in y.
func NumericJacobian(f func(y, x []float64), m int, x []float64) *mat.Dense {
	j := mat.NewDense(m, len(x), nil)
	fd.Jacobian(j, f, x, &fd.JacobianSettings{Formula: fd.Central, Step: nn.DefaultStep})
	return j
}

// SoftmaxJacobianNumeric returns the Jacobian ∂a_i/∂z_j of a = f_c(z) by
// central differences.
func SoftmaxJacobianNumeric(s nn.Softmax, z []float64) *mat.Dense {
	return NumericJacobian(func(y, x []float64) { s.F(y, x) }, len(z), z)
}

// Bars is a named group of bar heights, one per category.
type Bars struct {
	Name   string
	Values []float64
}

// GroupedBars returns a bar chart with one bar per group side by side in
// each category, categories labelled along the x axis. A NaN or infinite
// value gets no bar; the title notes how many there were. It panics if a
// group does not have one value per category.
func GroupedBars(cfg plotting.Config, categories []string, groups ...Bars) *plot.Plot {
	for _, g := range groups {
		if len(g.Values) != len(categories) {
			panic(fmt.Sprintf("nb: GroupedBars: group %q has %d values for %d categories", g.Name, len(g.Values), len(categories)))
		}
	}
	p := plotting.Lines(cfg)
	if len(groups) == 0 || len(categories) == 0 {
		return p
	}
	width := vg.Points(min(60/float64(len(groups)), 14))
	bad := 0
	for i, g := range groups {
		vals := make(plotter.Values, len(g.Values))
		for k, v := range g.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad++
				v = 0
			}
			vals[k] = v
		}
		b, err := plotter.NewBarChart(vals, width)
		if err != nil {
			panic("nb: GroupedBars: " + err.Error())
		}
		b.Color = plotting.SeriesColor(i)
		b.LineStyle.Width = 0
		b.Offset = (vg.Length(i) - vg.Length(len(groups)-1)/2) * width
		p.Add(b)
		p.Legend.Add(g.Name, b)
	}
	p.NominalX(categories...)
	p.Title.Text = withNote(p.Title.Text, bad)
	return p
}

// withNote returns title with a note on a new line, in the current
// language, saying that n NaN or infinite values were not drawn; title
// itself when n is zero.
func withNote(title string, n int) string {
	if n == 0 {
		return title
	}
	note := T("(1 NaN/Inf value not drawn)")
	if n > 1 {
		note = Tf("(%d NaN/Inf values not drawn)", n)
	}
	if title == "" {
		return note
	}
	return title + "\n" + note
}

// RegressionPlot returns a scatter plot of a one-input regression set, the
// inliers in grey and the outliers (outlier[i]) as red crosses, with lines
// drawn over it: the first line black and dashed (the truth), the others
// in the palette's colours.
func RegressionPlot(cfg plotting.Config, data *nn.Dataset, outlier []bool, lines ...plotting.Series) *plot.Plot {
	x, y := data.X.RawMatrix().Data, data.Y.RawMatrix().Data
	if len(x) != len(y) || len(outlier) != len(x) {
		panic(fmt.Sprintf("nb: RegressionPlot: %d inputs, %d targets, %d outlier flags", len(x), len(y), len(outlier)))
	}
	p := plotting.Lines(cfg)
	var in, out plotter.XYs
	for i := range x {
		if outlier[i] {
			out = append(out, plotter.XY{X: x[i], Y: y[i]})
		} else {
			in = append(in, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	addScatter := func(pts plotter.XYs, name string, c color.Color, shape draw.GlyphDrawer) {
		if len(pts) == 0 {
			return
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			panic("nb: RegressionPlot: " + err.Error())
		}
		s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: shape}
		p.Add(s)
		p.Legend.Add(name, s)
	}
	addScatter(in, T("data"), color.Gray{Y: 140}, draw.CircleGlyph{})
	addScatter(out, T("outliers"), color.RGBA{R: 200, A: 255}, draw.CrossGlyph{})
	for i, s := range lines {
		xy := make(plotter.XYs, len(s.X))
		for k := range s.X {
			xy[k] = plotter.XY{X: s.X[k], Y: s.Y[k]}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			panic("nb: RegressionPlot: " + err.Error())
		}
		l.LineStyle.Width = vg.Points(1.5)
		if i == 0 {
			l.LineStyle.Color = color.Black
			l.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		} else {
			l.LineStyle = plotting.SeriesStyle(i - 1)
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	return p
}

// LineFit is a straight line a = w x + b fitted to a one-input data set.
type LineFit struct {
	Slope, Intercept float64
	// Costs is the cost of the whole set at the start of every epoch of
	// gradient descent (empty for fits computed otherwise).
	Costs []float64
}

// Line returns the fitted line sampled at the ends of [lo, hi], as a series
// for RegressionPlot.
func (f LineFit) Line(name string, lo, hi float64) plotting.Series {
	return plotting.Series{Name: name, X: []float64{lo, hi}, Y: []float64{f.Slope*lo + f.Intercept, f.Slope*hi + f.Intercept}}
}

// LineCost returns the cost of the line a = w x + b on a one-input set.
func LineCost(data *nn.Dataset, cost nn.Cost, w, b float64) float64 {
	x := data.X.RawMatrix().Data
	a := mat.NewDense(1, len(x), nil)
	ad := a.RawMatrix().Data
	for i, v := range x {
		ad[i] = w*v + b
	}
	return cost.Value(a, data.Y)
}

// FitLine trains a single linear neuron a = w x + b (an nn.Dense layer
// 1 → 1 with nn.Linear, starting at w = b = 0) on a one-input set by
// full-batch gradient descent with learning rate eta for the given number
// of epochs, one step per epoch. It stops early with the context's error.
func FitLine(ctx context.Context, data *nn.Dataset, cost nn.Cost, eta float64, epochs int) (LineFit, error) {
	layer := nn.NewDense(1, 1, nn.Linear{}, nn.InitScaled, rand.New(rand.NewPCG(1, 0)))
	layer.W.Value.Set(0, 0, 0)
	layer.B.Value.Set(0, 0, 0)
	net := nn.NewNetwork(cost, layer)
	var fit LineFit
	_, err := nn.Train(ctx, net, data, nn.TrainConfig{
		Epochs: epochs, BatchSize: data.Len(), Optimizer: &nn.SGD{Eta: eta},
		OnEpoch: func(s nn.EpochStats) { fit.Costs = append(fit.Costs, s.TrainCost) },
	})
	fit.Slope, fit.Intercept = layer.W.Value.At(0, 0), layer.B.Value.At(0, 0)
	return fit, err
}

// LeastSquaresLine returns the line that minimizes the quadratic cost,
// from the normal equations: w = cov(x, y)/var(x), b = ȳ − w x̄.
func LeastSquaresLine(x, y []float64) LineFit {
	checkLen("LeastSquaresLine", x, y)
	mx, my := floats.Sum(x)/float64(len(x)), floats.Sum(y)/float64(len(y))
	sxy, sxx := 0.0, 0.0
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	w := sxy / sxx
	return LineFit{Slope: w, Intercept: my - w*mx}
}

// LeastAbsoluteLine returns a line that minimizes the absolute-error cost
// (MAE). Such a minimum is attained by a line through two of the points
// (the cost is convex and piecewise linear in (w, b), so a vertex of its
// pieces is optimal), and LeastAbsoluteLine tries every pair: exact, and
// quadratic in the number of points.
func LeastAbsoluteLine(x, y []float64) LineFit {
	checkLen("LeastAbsoluteLine", x, y)
	best, bestCost := LineFit{}, math.Inf(1)
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			if x[i] == x[j] {
				continue
			}
			w := (y[j] - y[i]) / (x[j] - x[i])
			b := y[i] - w*x[i]
			s := 0.0
			for k := range x {
				s += math.Abs(w*x[k] + b - y[k])
			}
			if s < bestCost {
				best, bestCost = LineFit{Slope: w, Intercept: b}, s
			}
		}
	}
	return best
}

// MinimizeLine returns the line that minimizes a cost on a one-input set,
// found by gonum's Nelder–Mead simplex method (no derivatives) started at
// the least-squares line: an independent reference for FitLine.
func MinimizeLine(data *nn.Dataset, cost nn.Cost) (LineFit, error) {
	ls := LeastSquaresLine(data.X.RawMatrix().Data, data.Y.RawMatrix().Data)
	res, err := optimize.Minimize(optimize.Problem{
		Func: func(p []float64) float64 { return LineCost(data, cost, p[0], p[1]) },
	}, []float64{ls.Slope, ls.Intercept}, &optimize.Settings{
		Converger: &optimize.FunctionConverge{Absolute: 1e-13, Iterations: 400},
	}, &optimize.NelderMead{})
	if err != nil {
		return LineFit{}, fmt.Errorf("nb: MinimizeLine: %w", err)
	}
	return LineFit{Slope: res.X[0], Intercept: res.X[1]}, nil
}

// NeuronRun records Nielsen's single-neuron experiment (chapter 3): index
// t holds the cost and the output a after t gradient-descent steps (t = 0
// is the start).
type NeuronRun struct {
	Cost, Output []float64
	// W and B are the final weight and bias.
	W, B float64
}

// TrainNeuron trains one sigmoid neuron a = σ(w x + b) on the single
// sample (x, ŷ) by gradient descent with learning rate eta for the given
// number of epochs (one step each), starting from (w, b), and records its
// cost and output. It runs an nn.Network of one Dense layer, so the
// gradient is the library's backpropagation, simplified δ^(L) included.
func TrainNeuron(cost nn.Cost, w, b, x, y, eta float64, epochs int) NeuronRun {
	layer := nn.NewDense(1, 1, nn.Sigmoid{}, nn.InitScaled, rand.New(rand.NewPCG(1, 0)))
	layer.W.Value.Set(0, 0, w)
	layer.B.Value.Set(0, 0, b)
	net := nn.NewNetwork(cost, layer)
	xs, ys := mat.NewDense(1, 1, []float64{x}), mat.NewDense(1, 1, []float64{y})
	sgd := nn.SGD{Eta: eta}
	var run NeuronRun
	for range epochs {
		c := net.Gradient(xs, ys)
		run.Cost = append(run.Cost, c)
		run.Output = append(run.Output, layer.A.At(0, 0))
		sgd.Step(net.Params())
	}
	a := net.Forward(xs, nn.Inference)
	run.Cost = append(run.Cost, net.OutputCost(a, ys))
	run.Output = append(run.Output, a.At(0, 0))
	run.W, run.B = layer.W.Value.At(0, 0), layer.B.Value.At(0, 0)
	return run
}

// FirstAtOrBelow returns the first index i with v[i] ≤ threshold, or −1.
func FirstAtOrBelow(v []float64, threshold float64) int {
	for i, x := range v {
		if x <= threshold {
			return i
		}
	}
	return -1
}

// Curve is an accuracy curve recorded during training: Accuracy[k] is the
// accuracy on a tracking set after Images[k] training images.
type Curve struct {
	Images, Accuracy []float64
}

// ImagesToReach returns the number of training images after which the
// accuracy first reached acc, or NaN if it never did.
func (c Curve) ImagesToReach(acc float64) float64 {
	for k, a := range c.Accuracy {
		if a >= acc {
			return c.Images[k]
		}
	}
	return math.NaN()
}

// Tracked returns r set up to record an accuracy curve on track while it
// trains through TrainRuns: the accuracy of the untrained network (recorded
// at once), then after every `every` minibatches and at the end of every
// epoch, against the number of training images seen. The run's network is
// built here, from NewNet with Rand(Seed, 0) as TrainRuns would build it,
// so that the recorder can evaluate it; the run is Uncached, since a run
// loaded from the cache would record nothing. A callback already in
// r.Config.OnBatch is still called. Keep track small: it is evaluated many
// times. It panics if every is not positive.
func Tracked(r Run, track *nn.Dataset, every int) (Run, *Curve) {
	if every <= 0 {
		panic(fmt.Sprintf("nb: Tracked every %d minibatches", every))
	}
	if r.Net == nil && r.NewNet != nil {
		r.Net, r.NewNet = r.NewNet(Rand(r.Seed, 0)), nil
	}
	net := r.network()
	m := r.Config.BatchSize
	if m <= 0 {
		m = nn.DefaultBatchSize
	}
	m = min(m, r.Data.Len())
	c := &Curve{}
	record := func(images int) {
		_, acc := net.Evaluate(track)
		c.Images = append(c.Images, float64(images))
		c.Accuracy = append(c.Accuracy, acc)
	}
	record(0)
	user, n := r.Config.OnBatch, r.Data.Len()
	r.Config.OnBatch = func(b nn.BatchInfo) {
		if user != nil {
			user(b)
		}
		if b.Batch%every == 0 || b.Batch == b.Batches {
			record((b.Epoch-1)*n + min(b.Batch*m, n))
		}
	}
	r.Uncached = true
	return r, c
}

func checkLen(who string, a, b []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("nb: %s: lengths %d and %d differ", who, len(a), len(b)))
	}
}
