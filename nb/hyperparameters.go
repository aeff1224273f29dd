package nb

// Helpers for notebooks/04_3_Hyperparameters.ipynb (§4.3 of the notes):
// training runs that differ in one setting compared against epochs and
// wall time, the spread of an initialization, digit subsets for
// initialization from a related task, and the results of a
// hyperparameter search as a table and a plot.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// RunSpec is one training run of CompareRuns: a name, a network builder
// (nil means CompareRuns' default) and the training configuration.
type RunSpec struct {
	Name   string
	Net    func(rng *rand.Rand) *nn.Network
	Config nn.TrainConfig
}

// CompareRuns trains one network per spec, each initialized from an rng
// seeded with seed and shuffled by another seeded with seed, so that runs
// differ only in what their specs change. Runs go through TrainCached
// under key + the spec's name; a run that fails (a non-finite cost for a
// too large η) is kept with the epochs it completed, and its error is
// shown; an interrupt stops the comparison.
func (d *Display) CompareRuns(key string, specs []RunSpec, newNet func(rng *rand.Rand) *nn.Network, train *nn.Dataset, seed uint64) ([]OptimizerRun, error) {
	var runs []OptimizerRun
	for _, sp := range specs {
		build := sp.Net
		if build == nil {
			build = newNet
		}
		net := build(rand.New(rand.NewPCG(seed, 0)))
		c := sp.Config
		c.Rand = rand.New(rand.NewPCG(seed, 1))
		d.Markdown(fmt.Sprintf("**%s**", sp.Name))
		h, err := d.TrainCached(key+"-"+sp.Name, net, train, c)
		if err != nil {
			if len(h) == 0 || errors.Is(err, context.Canceled) {
				return runs, fmt.Errorf("%s: %w", sp.Name, err)
			}
			d.Markdown(fmt.Sprintf("*%s stopped:* %v", sp.Name, err))
		}
		runs = append(runs, OptimizerRun{Name: sp.Name, History: h})
	}
	return runs, nil
}

// CompareRuns runs on the Default display; an error ends the cell.
func CompareRuns(key string, specs []RunSpec, newNet func(rng *rand.Rand) *nn.Network, train *nn.Dataset, seed uint64) []OptimizerRun {
	runs, err := Default().CompareRuns(key, specs, newNet, train, seed)
	exitOn(err)
	return runs
}

// Metric selects what RunPlots draws.
type Metric int

const (
	// TrainCost is the running training cost of each epoch.
	TrainCost Metric = iota
	// ValidationCost is the cost on the validation set.
	ValidationCost
	// ValidationAccuracy is the accuracy on the validation set, in %.
	ValidationAccuracy
)

func (m Metric) of(s nn.EpochStats) float64 {
	switch m {
	case TrainCost:
		return s.TrainCost
	case ValidationCost:
		return s.ValidationCost
	case ValidationAccuracy:
		return 100 * s.ValidationAccuracy
	}
	panic("nb: unknown Metric")
}

func (m Metric) String() string {
	return [...]string{"training cost", "validation cost", "validation accuracy (%)"}[m]
}

// RunPlots returns metric against epochs and against wall time (seconds
// since the start of training, evaluations included), one line per run.
// Costs get a log axis.
func RunPlots(runs []OptimizerRun, metric Metric) (byEpoch, byTime *plot.Plot) {
	var ep, tm []plotting.Series
	for _, r := range runs {
		var x, t, y []float64
		for _, s := range r.History {
			x = append(x, float64(s.Epoch))
			t = append(t, s.Elapsed.Seconds())
			y = append(y, metric.of(s))
		}
		ep = append(ep, plotting.Series{Name: r.Name, X: x, Y: y})
		tm = append(tm, plotting.Series{Name: r.Name, X: t, Y: y})
	}
	legend := plotting.TopRight
	if metric == ValidationAccuracy {
		legend = plotting.BottomRight
	}
	logY := metric != ValidationAccuracy
	byEpoch = plotting.Lines(plotting.Config{Title: metric.String() + " against epochs", XLabel: "epoch", YLabel: metric.String(), Legend: legend, LogY: logY}, ep...)
	byTime = plotting.Lines(plotting.Config{Title: metric.String() + " against wall time", XLabel: "seconds", YLabel: metric.String(), Legend: legend, LogY: logY}, tm...)
	return byEpoch, byTime
}

// WeightStd returns the standard deviation of the entries of w (about
// zero mean), to compare an initialization with its formula.
func WeightStd(w *mat.Dense) float64 {
	r, c := w.Dims()
	s, s2 := 0.0, 0.0
	for i := range r {
		for j := range c {
			v := w.At(i, j)
			s += v
			s2 += v * v
		}
	}
	n := float64(r * c)
	return math.Sqrt(s2/n - (s/n)*(s/n))
}

// InitStd returns the standard deviation of the weights of a layer with
// nIn inputs and nOut outputs under init, by the formula of nn.Init.
func InitStd(init nn.Init, nIn, nOut int) float64 {
	switch init {
	case nn.InitScaled:
		return 1 / math.Sqrt(float64(nIn))
	case nn.InitNormal:
		return 1
	case nn.InitXavier:
		return math.Sqrt(2 / float64(nIn+nOut))
	case nn.InitHe:
		return math.Sqrt(2 / float64(nIn))
	}
	panic(fmt.Sprintf("nb: InitStd: unknown init %v", init))
}

// WithLabels returns the samples of d whose label is one of digits, at most n
// of them (all when n ≤ 0), in their original order.
func WithLabels(d *nn.Dataset, n int, digits ...int) *nn.Dataset {
	keep := map[int]bool{}
	for _, k := range digits {
		keep[k] = true
	}
	var idx []int
	for i, l := range d.Labels {
		if keep[l] && (n <= 0 || len(idx) < n) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		panic(fmt.Sprintf("nb: WithLabels: no samples with labels %v", digits))
	}
	return d.Subset(idx)
}

// SearchTable lists the trials of a search from the best validation score
// to the worst, with every hyperparameter, the epochs trained and the
// time.
func SearchTable(caption string, res nn.Results) Table {
	t := Table{Caption: caption}
	if len(res) == 0 {
		return t
	}
	t.Header = append(append([]string{"rank"}, res[0].Point.Names...), "validation accuracy", "validation cost", "epochs", "seconds")
	for i, tr := range res.Sorted() {
		row := []string{fmt.Sprint(i + 1)}
		for _, v := range tr.Point.Values {
			row = append(row, fmt.Sprintf("%.4g", v))
		}
		acc, cost := fmt.Sprintf("%.2f%%", 100*tr.ValidationAccuracy), fmt.Sprintf("%.4f", tr.ValidationCost)
		if tr.Err != nil {
			acc, cost = "failed", "NaN"
		}
		t.Rows = append(t.Rows, append(row, acc, cost, fmt.Sprint(tr.Epochs), fmt.Sprintf("%.1f", tr.Duration.Seconds())))
	}
	return t
}

// SearchPlot draws the trials of several searches in the plane of two
// hyperparameters (log axes when logX, logY), one series of points per
// search, and returns it with the best trial of each marked in the legend.
func SearchPlot(title, x, y string, logX, logY bool, searches map[string]nn.Results) *plot.Plot {
	names := make([]string, 0, len(searches))
	for n := range searches {
		names = append(names, n)
	}
	sort.Strings(names)
	p := plotting.Lines(plotting.Config{Title: title, XLabel: x, YLabel: y, Legend: plotting.TopRight, LogX: logX, LogY: logY})
	var pts []plotting.Series
	for _, n := range names {
		res := searches[n]
		var xs, ys []float64
		for _, tr := range res {
			xs = append(xs, tr.Point.Get(x))
			ys = append(ys, tr.Point.Get(y))
		}
		b := res.Best()
		pts = append(pts, plotting.Series{Name: fmt.Sprintf("%s (best %.1f%% at %s=%.3g, %s=%.3g)", n, 100*b.Score, x, b.Point.Get(x), y, b.Point.Get(y)), X: xs, Y: ys})
	}
	plotting.AddPoints(p, pts...)
	return p
}
