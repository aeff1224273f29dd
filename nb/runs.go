package nb

// Training runs and their comparison, for every notebook from §2 on: a
// Run names a network, its data, its training settings and a seed;
// TrainRuns trains a list of them (interrupts, seeding, progress and the
// model cache in one place); Curves and RunTable show the results.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// Rand returns a generator of the PCG family seeded with (seed, stream).
// The course's runs draw the initial weights from stream 0 and shuffle
// the minibatches with stream 1 of their seed (see Run); other uses pick
// other streams, so no two draw the same numbers.
func Rand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Run is one training run: a network, the data and settings to train it
// with, and the seed of everything random in it.
type Run struct {
	// Label names the run in progress lines, legends, tables and the
	// file name of its cached model. It is only a name, which a notebook
	// writes in the current language (T): the model is cached and found
	// under a digest of everything else (see TrainRuns).
	Label string
	// NewNet builds the network from Rand(Seed, 0); runs that differ only
	// in their settings and share a seed start from the same weights.
	// Anything else random in the network (a dropout mask) should come
	// from that generator or from Seed too. Net is the alternative: a
	// network built by the caller, trained in place. Exactly one of the
	// two must be set.
	NewNet func(rng *rand.Rand) *nn.Network
	Net    *nn.Network
	// Data is the training set.
	Data *nn.Dataset
	// Config holds the training settings: epochs, minibatch size, the
	// optimizer (which holds η; each run needs its own), regularizer, schedule, early stopping and
	// validation set. Its Rand is replaced by Rand(Seed, 1), which
	// shuffles the minibatches. Its OnBatch and OnEpoch callbacks are
	// called as usual, but not for a run loaded from the cache.
	Config nn.TrainConfig
	// Seed seeds the initial weights (through NewNet) and the shuffling.
	Seed uint64
	// Start also measures Config.Validation before the first epoch, as
	// Result.Start (epoch 0 of the curves).
	Start bool
	// Uncached trains the run every time instead of loading a model
	// trained earlier with the same settings: for runs whose callbacks
	// record something, or whose timing is the point.
	Uncached bool
}

// network returns the run's network, building it when NewNet is set.
func (r Run) network() *nn.Network {
	if (r.NewNet == nil) == (r.Net == nil) {
		panic(fmt.Sprintf("nb: Run %q: set exactly one of NewNet and Net", r.Label))
	}
	if r.Data == nil {
		panic(fmt.Sprintf("nb: Run %q: no training data", r.Label))
	}
	if r.Start && r.Config.Validation == nil {
		panic(fmt.Sprintf("nb: Run %q: Start needs Config.Validation", r.Label))
	}
	if r.Net != nil {
		return r.Net
	}
	return r.NewNet(Rand(r.Seed, 0))
}

// Result is a trained run.
type Result struct {
	Run Run
	// Net is the trained network (under early stopping, with the weights
	// of the best epoch restored).
	Net *nn.Network
	// History holds the statistics of every epoch trained.
	History nn.History
	// Start holds the validation cost and accuracy before training
	// (Epoch 0, training figures NaN) when Run.Start asked for them, and
	// is nil otherwise.
	Start *nn.EpochStats
	// Gradients counts the gradient evaluations (backward passes over a
	// minibatch) made in training: one per update for the first-order
	// optimizers.
	Gradients int
	// Err is a failure of training, such as a cost that stopped being
	// finite for a too large η; History then holds the epochs completed.
	Err error
}

// Label returns the run's label.
func (r Result) Label() string { return r.Run.Label }

// TrainRuns trains every run in turn, each with a live progress line, and
// returns their results in order.
//
// Each run is seeded from its Seed (see Run), so runs that differ in one
// setting differ only in it. Unless Uncached, a run is first looked up in
// the model cache (the class's shared cache, then the user's own, as
// described at CacheDir): under its label followed by a digest of
// everything that decides the trained weights — the network's layers and
// initial weights, the training and validation data, every setting of
// Config (the optimizer's and regularizer's fields included), the seed,
// quick mode and the code of the course. A change to any of them trains
// again; the label only makes the file name readable, and a model cached
// under another label with the same digest (the run's label in another
// language) is loaded too. A newly trained run is saved to the cache.
//
// A run whose training fails (a non-finite cost) is kept with its error in
// Result.Err and the epochs it completed, and the next run starts.
// Interrupting the kernel (the ■ button, or I I) stops the current run
// after its minibatch and returns the runs finished before it with an
// *Interrupted error, which names the runs kept in the cache; an error of
// the cache (a file that cannot be written) stops too.
func (d *Display) TrainRuns(runs []Run) ([]Result, error) {
	ctx, stop := interruptContext()
	defer stop()
	return d.trainRuns(ctx, runs)
}

// trainRuns is TrainRuns with the context that the interrupt cancels.
func (d *Display) trainRuns(ctx context.Context, runs []Run) ([]Result, error) {
	sharedOptimizer(runs)
	out := make([]Result, 0, len(runs))
	var kept, finished []string
	for _, r := range runs {
		res, err := d.trainRun(ctx, r)
		if err != nil {
			if ctx.Err() != nil {
				return out, &Interrupted{Run: runName(r), Epochs: len(res.History), Total: max(r.Config.Epochs, 1), Kept: kept, Finished: finished}
			}
			return out, fmt.Errorf("%s: %w", runName(r), err)
		}
		if r.Uncached || res.Err != nil {
			finished = append(finished, runName(r))
		} else {
			kept = append(kept, runName(r))
		}
		if res.Err != nil {
			d.Markdown(Tf("*%s stopped:* %v", runName(r), res.Err))
		}
		out = append(out, res)
	}
	return out, nil
}

// TrainRuns trains the runs on the Default display; an interrupt or an
// error of the cache ends the cell with its message.
func TrainRuns(runs ...Run) []Result {
	res, err := Default().TrainRuns(runs)
	exitOn(err)
	return res
}

// TrainRun trains one run on the Default display and returns its result;
// any error, a failure of training included, ends the cell.
func TrainRun(r Run) Result {
	res := TrainRuns(r)[0]
	exitOn(res.Err)
	return res
}

// sharedOptimizer panics when two runs hold the same optimizer: its state
// (velocities, moments, step count) would carry from one run to the next.
func sharedOptimizer(runs []Run) {
	seen := map[nn.Optimizer]string{}
	for _, r := range runs {
		o := r.Config.Optimizer
		if o == nil || reflect.ValueOf(o).Kind() != reflect.Pointer {
			continue
		}
		if prev, ok := seen[o]; ok {
			panic(fmt.Sprintf("nb: runs %q and %q share one optimizer; give each run its own", prev, r.Label))
		}
		seen[o] = r.Label
	}
}

func runName(r Run) string {
	if r.Label == "" {
		return "the run"
	}
	return r.Label
}

// trainRun trains (or loads) one run. The error is an interrupt or a
// failure of the cache; a failure of training goes to Result.Err.
func (d *Display) trainRun(ctx context.Context, r Run) (Result, error) {
	net := r.network()
	cfg := r.Config
	cfg.Rand = Rand(r.Seed, 1)
	res := Result{Run: r, Net: net}
	var name string
	known := false
	if !r.Uncached {
		code := codeFingerprint()
		var err error
		name, err = modelKey(r.Label, Quick(), r.Seed, r.Start, net, r.Data, cfg, code)
		if err != nil {
			return res, err
		}
		known = !strings.HasPrefix(code, "unknown-")
		if dir := SharedCacheDir(); dir != "" && known {
			if c, ok := loadCached(cachedBase(dir, name), net); ok {
				d.Markdown(Tf("%s: loaded the network trained earlier from the class's shared cache.", runName(r)))
				return c.result(res), nil
			}
		}
		if c, ok := loadCached(cachedBase(CacheDir(), name), net); ok {
			d.Markdown(Tf("%s: loaded the network trained earlier from the cache.", runName(r)))
			return c.result(res), nil
		}
	}
	if r.Start {
		c, a := net.Evaluate(cfg.Validation)
		res.Start = &nn.EpochStats{TrainCost: math.NaN(), TrainAccuracy: math.NaN(), ValidationCost: c, ValidationAccuracy: a}
	}
	label := T("minibatch")
	if r.Label != "" {
		label = Tf("%s: minibatch", r.Label)
	}
	var err error
	res.History, res.Gradients, err = d.train(ctx, label, net, r.Data, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return res, err
		}
		res.Err = err
		return res, nil
	}
	if r.Uncached {
		return res, nil
	}
	run := cachedRun{History: res.History, Start: res.Start, Gradients: res.Gradients}
	if err := saveCached(filepath.Join(CacheDir(), name), net, run); err != nil {
		return res, err
	}
	if dir := os.Getenv(FillSharedCacheDirEnv); dir != "" && known {
		if err := saveCached(filepath.Join(dir, name), net, run); err != nil {
			return res, err
		}
	}
	return res, nil
}

// train runs nn.Train with a progress line labelled label and returns the
// history and the number of minibatches trained. The line appears with
// the first minibatch, which tells the number of minibatches (BatchInfo.Steps),
// so that nb does not repeat Train's defaults.
func (d *Display) train(ctx context.Context, label string, net *nn.Network, data *nn.Dataset, cfg nn.TrainConfig) (nn.History, int, error) {
	var p *Progress
	steps := 0
	user := cfg.OnBatch
	cfg.OnBatch = func(b nn.BatchInfo) {
		if user != nil {
			user(b)
		}
		if p == nil {
			p = d.NewProgress(ProgressConfig{Label: label, Total: b.Steps})
		}
		steps = b.Step
		p.Update(b.Step, b.RunningCost, b.RunningAccuracy)
	}
	hist, err := nn.Train(ctx, net, data, cfg)
	if p != nil {
		p.Done()
	}
	return hist, steps, err
}

// Metric selects a figure of every epoch, for Curves and for the columns
// of RunTable (Last, At, Best).
type Metric int

const (
	// TrainCost is the running training cost of each epoch (the mean over
	// its minibatches, each measured before its update).
	TrainCost Metric = iota
	// ValidationCost is the cost on the validation set after the epoch.
	ValidationCost
	// ValidationAccuracy is the accuracy on the validation set, in %.
	ValidationAccuracy
	// TrainAccuracy is the running training accuracy of each epoch, in %.
	TrainAccuracy
)

// Of returns the metric's value in s (accuracies in %).
func (m Metric) Of(s nn.EpochStats) float64 {
	switch m {
	case TrainCost:
		return s.TrainCost
	case ValidationCost:
		return s.ValidationCost
	case ValidationAccuracy:
		return 100 * s.ValidationAccuracy
	case TrainAccuracy:
		return 100 * s.TrainAccuracy
	}
	panic(fmt.Sprintf("nb: unknown Metric %d", int(m)))
}

// String returns the metric's name with its unit, such as "validation
// accuracy (%)", in the current language (T): it labels figures.
func (m Metric) String() string {
	switch m {
	case TrainCost:
		return T("training cost")
	case ValidationCost:
		return T("validation cost")
	case ValidationAccuracy:
		return T("validation accuracy (%)")
	case TrainAccuracy:
		return T("training accuracy (%)")
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// name is the metric's name without its unit, for table headers.
func (m Metric) name() string { return strings.TrimSuffix(m.String(), " (%)") }

func (m Metric) accuracy() bool { return m == ValidationAccuracy || m == TrainAccuracy }

// format writes a value of the metric for a table.
func (m Metric) format(v float64) string {
	if m.accuracy() {
		return fmt.Sprintf("%.2f%%", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// points returns the run's epochs, seconds of training (the sum of the
// epochs' Durations, evaluations left out) and values of m, from epoch 0
// when Start was measured.
func (r Result) points(m Metric) (epoch, seconds, y []float64) {
	if r.Start != nil {
		epoch, seconds, y = append(epoch, 0), append(seconds, 0), append(y, m.Of(*r.Start))
	}
	t := 0.0
	for _, s := range r.History {
		t += s.Duration.Seconds()
		epoch = append(epoch, float64(s.Epoch))
		seconds = append(seconds, t)
		y = append(y, m.Of(s))
	}
	return epoch, seconds, y
}

// Curves returns metric against epochs and against seconds of training
// (evaluations not counted), one line per label; costs get a log axis.
//
// Runs that share a label (the same settings over several seeds) are
// drawn as one line, the mean over those of them that trained without
// failing, named with their number of seeds. A run with early stopping
// gets its best epoch and its last epoch marked on the first figure.
func Curves(runs []Result, metric Metric) (byEpoch, byTime *plot.Plot) {
	var order []string
	groups := map[string][]Result{}
	for _, r := range runs {
		if _, ok := groups[r.Label()]; !ok {
			order = append(order, r.Label())
		}
		groups[r.Label()] = append(groups[r.Label()], r)
	}
	var ep, tm, marks []plotting.Series
	for _, label := range order {
		g := groups[label]
		if len(g) == 1 {
			x, t, y := g[0].points(metric)
			ep = append(ep, plotting.Series{Name: label, X: x, Y: y})
			tm = append(tm, plotting.Series{Name: label, X: t, Y: y})
			if m, ok := stopMarks(g[0], metric); ok {
				marks = append(marks, m)
			}
			continue
		}
		x, t, y := meanPoints(g, metric)
		name := Tf("%s (mean of %d seeds)", label, len(okRuns(g)))
		ep = append(ep, plotting.Series{Name: name, X: x, Y: y})
		tm = append(tm, plotting.Series{Name: name, X: t, Y: y})
	}
	legend := plotting.TopRight
	if metric.accuracy() {
		legend = plotting.BottomRight
	}
	logY := !metric.accuracy()
	byEpoch = plotting.Lines(plotting.Config{Title: Tf("%s against epochs", metric), XLabel: T("epoch"), YLabel: metric.String(), Legend: legend, LogY: logY}, ep...)
	plotting.AddPoints(byEpoch, marks...)
	byTime = plotting.Lines(plotting.Config{Title: Tf("%s against training time", metric), XLabel: T("seconds of training"), YLabel: metric.String(), Legend: legend, LogY: logY}, tm...)
	return byEpoch, byTime
}

// stopMarks returns the best and the last epoch of a run with early
// stopping as two points.
func stopMarks(r Result, m Metric) (plotting.Series, bool) {
	best := r.History.Best()
	if r.Run.Config.EarlyStopping == nil || best == 0 {
		return plotting.Series{}, false
	}
	b, last := r.History[best-1], r.History.Last()
	return plotting.Series{
		Name: Tf("%s: best epoch %d, stop %d", r.Label(), b.Epoch, last.Epoch),
		X:    []float64{float64(b.Epoch), float64(last.Epoch)},
		Y:    []float64{m.Of(b), m.Of(last)},
	}, true
}

// okRuns returns the runs that trained without failing.
func okRuns(g []Result) []Result {
	var ok []Result
	for _, r := range g {
		if r.Err == nil {
			ok = append(ok, r)
		}
	}
	return ok
}

// meanPoints averages the points of the runs of g that did not fail, epoch
// by epoch, over the epochs all of them reached.
func meanPoints(g []Result, m Metric) (epoch, seconds, y []float64) {
	ok := okRuns(g)
	if len(ok) == 0 {
		return nil, nil, nil
	}
	var xs, ts, ys [][]float64
	n := math.MaxInt
	for _, r := range ok {
		x, t, v := r.points(m)
		xs, ts, ys = append(xs, x), append(ts, t), append(ys, v)
		n = min(n, len(x))
	}
	for k := range n {
		st, sy := 0.0, 0.0
		for i := range ok {
			st += ts[i][k]
			sy += ys[i][k]
		}
		epoch = append(epoch, xs[0][k])
		seconds = append(seconds, st/float64(len(ok)))
		y = append(y, sy/float64(len(ok)))
	}
	return epoch, seconds, y
}

// RunColumn is one column of RunTable: a header and the text of a run's
// cell.
type RunColumn struct {
	Header string
	Value  func(Result) string
}

// Named returns the column with another header.
func (c RunColumn) Named(header string) RunColumn {
	c.Header = header
	return c
}

// Last is the column of the metric after the run's last epoch.
func (metric Metric) Last() RunColumn {
	return RunColumn{Header: Tf("%s, last epoch", metric.name()), Value: func(r Result) string {
		if len(r.History) == 0 {
			return "—"
		}
		return metric.format(metric.Of(r.History.Last()))
	}}
}

// At is the column of the metric after epoch k (counted from 1).
func (metric Metric) At(k int) RunColumn {
	return RunColumn{Header: Tf("%s after epoch %d", metric.name(), k), Value: func(r Result) string {
		if k < 1 || k > len(r.History) {
			return "—"
		}
		return metric.format(metric.Of(r.History[k-1]))
	}}
}

// Best is the column of the best value of the metric over the epochs (the
// highest accuracy or the lowest cost; the earliest wins a tie) and the
// epoch it came at.
func (metric Metric) Best() RunColumn {
	return RunColumn{Header: Tf("best %s (epoch)", metric.name()), Value: func(r Result) string {
		best, at := math.NaN(), 0
		for _, s := range r.History {
			v := metric.Of(s)
			if at == 0 || (metric.accuracy() && v > best) || (!metric.accuracy() && v < best) {
				best, at = v, s.Epoch
			}
		}
		if at == 0 {
			return "—"
		}
		return fmt.Sprintf("%s (%d)", metric.format(best), at)
	}}
}

// EpochsTrained returns the column of the epochs trained, with the best
// epoch of a run with early stopping.
func EpochsTrained() RunColumn {
	return RunColumn{Header: T("epochs"), Value: func(r Result) string {
		if r.Run.Config.EarlyStopping != nil {
			return Tf("%d (best %d)", len(r.History), r.History.Best())
		}
		return fmt.Sprint(len(r.History))
	}}
}

// GradientCount returns the column of the gradient evaluations
// (Result.Gradients).
func GradientCount() RunColumn {
	return RunColumn{Header: T("gradient evaluations"), Value: func(r Result) string { return fmt.Sprint(r.Gradients) }}
}

// TrainingTime returns the column of the seconds spent training (the
// epochs' Durations added up, evaluations left out).
func TrainingTime() RunColumn {
	return RunColumn{Header: T("seconds of training"), Value: func(r Result) string {
		_, t, _ := r.points(TrainCost)
		if len(t) == 0 {
			return "0.000"
		}
		return fmt.Sprintf("%.3f", t[len(t)-1])
	}}
}

// EpochTime returns the column of the mean time of an epoch's
// minibatches.
func EpochTime() RunColumn {
	return RunColumn{Header: T("s / epoch"), Value: func(r Result) string {
		return fmt.Sprintf("%.3f", MeanEpochTime(r.History).Seconds())
	}}
}

// RunTable returns a table of the runs with a first column of labels (and
// the seed when runs share a label), then the given columns:
//
//	nb.ShowTable(nb.RunTable(nb.T("After 30 epochs"), runs, nb.TrainCost.Last(), nb.ValidationAccuracy.Best()))
//
// A run that failed says so after its label. In quick mode the caption
// ends with QuickNote. The caption and the headers are shown as given;
// the columns that nb makes (Metric's, EpochsTrained, ...) have theirs
// in the current language (T), and so should those a notebook gives.
func RunTable(caption string, runs []Result, cols ...RunColumn) Table {
	seen := map[string]int{}
	for _, r := range runs {
		seen[r.Label()]++
	}
	t := Table{Caption: quickCaption(caption), Header: []string{T("run")}}
	for _, c := range cols {
		t.Header = append(t.Header, c.Header)
	}
	for _, r := range runs {
		name := r.Label()
		if seen[name] > 1 {
			name += " " + Tf("(seed %d)", r.Run.Seed)
		}
		if r.Err != nil {
			name += " " + T("(failed)")
		}
		row := []string{name}
		for _, c := range cols {
			row = append(row, c.Value(r))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
