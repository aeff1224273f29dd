package nb

// Helpers for notebooks/04_5_Warmup.ipynb (§4.5 of the notes): schedules
// as plottable series, and training runs with and without warmup over
// several seeds.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// ScheduleSeries returns the rates of epochs 1, …, epochs under the
// per-epoch schedule s for base rate eta as a series named name (x: epoch).
func ScheduleSeries(name string, s nn.Schedule, eta float64, epochs int) plotting.Series {
	r := nn.Rates(s, eta, epochs, 1)
	x := make([]float64, epochs)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return plotting.Series{Name: name, X: x, Y: r}
}

// SteppedSeries returns a series of per-epoch values (x: epochs 1, 2, …)
// drawn as steps, each value held for the whole epoch [e−1, e), which is
// how Train applies a rate: the first value is repeated at x = 0 and the
// line is drawn with plotter.PreStep (see plotting.Series.Step).
func SteppedSeries(s plotting.Series) plotting.Series {
	if len(s.X) == 0 {
		return s
	}
	return plotting.Series{
		Name: s.Name,
		X:    append([]float64{s.X[0] - 1}, s.X...),
		Y:    append([]float64{s.Y[0]}, s.Y...),
		Step: plotter.PreStep,
	}
}

// RateOptimizer is an optimizer whose learning rate can be set.
type RateOptimizer interface {
	nn.Optimizer
	nn.LearningRater
}

// WarmupMode is one way of starting training: no warmup (a nil Schedule),
// the notes' per-epoch warmup (nn.Warmup) or a per-minibatch one
// (nn.BatchWarmup).
type WarmupMode struct {
	Name     string
	Schedule nn.Schedule
}

// WarmupRun is one training run of CompareWarmup.
type WarmupRun struct {
	Mode string
	Seed uint64
	// History holds the epochs trained (fewer when Err is set).
	History nn.History
	// Rates and Costs are the rate used and the cost of every minibatch,
	// as nn.Train reports them.
	Rates, Costs []float64
	// Err is a training failure such as a non-finite cost.
	Err error
}

// WarmupConfig configures CompareWarmup.
type WarmupConfig struct {
	Modes  []WarmupMode
	Seeds  int // seeds 1, …, Seeds
	Epochs int
	// BatchSize is the minibatch size m; 0 means nn.DefaultBatchSize.
	BatchSize int
}

// CompareWarmup trains, for every seed and every mode, a network from
// newNet (with the seed's rng: the modes of a seed start from the same
// weights and see the same minibatches) with a fresh optimizer from
// newOpt, validating after every epoch. A run whose cost becomes
// non-finite is kept with its error; an interrupt stops the comparison.
func (d *Display) CompareWarmup(newNet func(rng *rand.Rand) *nn.Network, newOpt func() RateOptimizer, train, validation *nn.Dataset, cfg WarmupConfig) ([]WarmupRun, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := cfg.BatchSize
	if m <= 0 {
		m = nn.DefaultBatchSize
	}
	mb, _ := newNet(rand.New(rand.NewPCG(1, 0))).MinBatch()
	batches := nn.Minibatches(train.Len(), m, mb)
	p := d.NewProgress(ProgressConfig{Label: "minibatch", Total: cfg.Seeds * len(cfg.Modes) * cfg.Epochs * batches})
	done := 0
	var runs []WarmupRun
	for seed := uint64(1); seed <= uint64(cfg.Seeds); seed++ {
		for _, mode := range cfg.Modes {
			net := newNet(rand.New(rand.NewPCG(seed, 0)))
			run := WarmupRun{Mode: mode.Name, Seed: seed}
			h, err := nn.Train(ctx, net, train, nn.TrainConfig{Epochs: cfg.Epochs, BatchSize: m, Optimizer: newOpt(), Schedule: mode.Schedule,
				Validation: validation, Rand: rand.New(rand.NewPCG(seed, 1)),
				OnBatch: func(b nn.BatchInfo) {
					run.Rates = append(run.Rates, b.Eta)
					run.Costs = append(run.Costs, b.Cost)
					p.Update(done+b.Step, b.RunningCost, b.RunningAccuracy)
				}})
			run.History, run.Err = h, err
			done += cfg.Epochs * batches
			if err != nil && ctx.Err() != nil {
				p.Done()
				return runs, err
			}
			runs = append(runs, run)
		}
	}
	p.Done()
	return runs, nil
}

// CompareWarmup runs on the Default display; an interrupt ends the cell.
func CompareWarmup(newNet func(rng *rand.Rand) *nn.Network, newOpt func() RateOptimizer, train, validation *nn.Dataset, cfg WarmupConfig) []WarmupRun {
	runs, err := Default().CompareWarmup(newNet, newOpt, train, validation, cfg)
	exitOn(err)
	return runs
}

// FinalAccuracy returns the validation accuracy after the run's last
// epoch, or NaN when training failed.
func (r WarmupRun) FinalAccuracy() float64 {
	if r.Err != nil || len(r.History) == 0 {
		return math.NaN()
	}
	return r.History.Last().ValidationAccuracy
}

// WarmupSummary is the spread over seeds of one mode's final validation
// accuracy.
type WarmupSummary struct {
	Mode                string
	Mean, Std, Min, Max float64
	Failed, Runs        int
}

// SummarizeWarmup returns one summary per mode, in the order of first
// appearance. Failed runs count as failed and are left out of the
// statistics.
func SummarizeWarmup(runs []WarmupRun) []WarmupSummary {
	var order []string
	acc := map[string][]float64{}
	failed := map[string]int{}
	for _, r := range runs {
		if _, ok := acc[r.Mode]; !ok {
			order = append(order, r.Mode)
			acc[r.Mode] = nil
		}
		if a := r.FinalAccuracy(); math.IsNaN(a) {
			failed[r.Mode]++
		} else {
			acc[r.Mode] = append(acc[r.Mode], a)
		}
	}
	var out []WarmupSummary
	for _, m := range order {
		s := WarmupSummary{Mode: m, Failed: failed[m], Runs: len(acc[m]) + failed[m], Mean: math.NaN(), Std: math.NaN(), Min: math.NaN(), Max: math.NaN()}
		if len(acc[m]) > 0 {
			sp := SpreadOf(columns(acc[m]))
			s.Mean, s.Std, s.Min, s.Max = sp.Mean[0], sp.Std[0], sp.Min[0], sp.Max[0]
		}
		out = append(out, s)
	}
	return out
}

// columns turns values into one-column rows for SpreadOf.
func columns(v []float64) [][]float64 {
	rows := make([][]float64, len(v))
	for i, x := range v {
		rows[i] = []float64{x}
	}
	return rows
}

// WarmupTable shows the summaries and every seed's accuracy.
func WarmupTable(caption string, runs []WarmupRun) Table {
	t := Table{Caption: caption, Header: []string{"start", "mean", "std", "min", "max", "failed", "per seed"}}
	for _, s := range SummarizeWarmup(runs) {
		per := ""
		for _, r := range runs {
			if r.Mode != s.Mode {
				continue
			}
			if a := r.FinalAccuracy(); math.IsNaN(a) {
				per += " NaN"
			} else {
				per += fmt.Sprintf(" %.1f", 100*a)
			}
		}
		t.Rows = append(t.Rows, []string{s.Mode, fmt.Sprintf("%.2f%%", 100*s.Mean), fmt.Sprintf("%.2f", 100*s.Std),
			fmt.Sprintf("%.2f%%", 100*s.Min), fmt.Sprintf("%.2f%%", 100*s.Max), fmt.Sprintf("%d of %d", s.Failed, s.Runs), per})
	}
	return t
}

// WarmupPlots returns the validation accuracy against epochs, averaged
// over the seeds that trained without failing (one line per mode), and the
// rate of every minibatch of the first seed's runs.
func WarmupPlots(runs []WarmupRun) (accuracy, rates *plot.Plot) {
	var order []string
	sum := map[string][]float64{}
	count := map[string]int{}
	var rs []plotting.Series
	for _, r := range runs {
		if _, ok := sum[r.Mode]; !ok {
			order = append(order, r.Mode)
			sum[r.Mode] = nil
		}
		if r.Err == nil {
			if len(sum[r.Mode]) < len(r.History) {
				sum[r.Mode] = append(sum[r.Mode], make([]float64, len(r.History)-len(sum[r.Mode]))...)
			}
			for i, s := range r.History {
				sum[r.Mode][i] += 100 * s.ValidationAccuracy
			}
			count[r.Mode]++
		}
		if r.Seed == 1 {
			steps := make([]float64, len(r.Rates))
			for i := range steps {
				steps[i] = float64(i + 1)
			}
			rs = append(rs, plotting.Series{Name: r.Mode, X: steps, Y: r.Rates})
		}
	}
	var acc []plotting.Series
	for _, m := range order {
		var x, y []float64
		for i, v := range sum[m] {
			x = append(x, float64(i+1))
			y = append(y, v/float64(count[m]))
		}
		acc = append(acc, plotting.Series{Name: fmt.Sprintf("%s (%d seeds)", m, count[m]), X: x, Y: y})
	}
	accuracy = plotting.Lines(plotting.Config{Title: "Validation accuracy, mean over seeds", XLabel: "epoch", YLabel: "accuracy (%)", Legend: plotting.BottomRight}, acc...)
	rates = plotting.Lines(plotting.Config{Title: "Learning rate of every minibatch (seed 1)", XLabel: "minibatch", YLabel: "η", Legend: plotting.BottomRight}, rs...)
	return accuracy, rates
}
