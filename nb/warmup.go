package nb

// Helpers for notebooks/04_5_Warmup.ipynb (§4.5 of the notes): a
// per-epoch schedule as a plottable step line, and the spread over seeds
// of runs trained by TrainRuns (runs.go) that share a label, which is how
// §4.5's experiments compare starts with and without warmup.

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot/plotter"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// ScheduleSeries returns the rates of epochs 1, …, epochs under the
// per-epoch schedule s for base rate eta as a series named name, drawn as
// steps: each rate is held for the whole epoch [e−1, e), which is how
// nn.Train applies it (the first rate is repeated at x = 0 and the line is
// drawn with plotter.PreStep, see plotting.Series.Step).
func ScheduleSeries(name string, s nn.Schedule, eta float64, epochs int) plotting.Series {
	r := nn.Rates(s, eta, epochs, 1)
	if epochs < 1 {
		return plotting.Series{Name: name}
	}
	x := make([]float64, epochs+1)
	for i := range x {
		x[i] = float64(i)
	}
	return plotting.Series{Name: name, X: x, Y: append([]float64{r[0]}, r...), Step: plotter.PreStep}
}

// SeedStats is the spread of a metric after the last epoch over the runs
// that share a label: the same settings trained with different seeds.
type SeedStats struct {
	Label string
	// Values holds the metric of every run that trained without failing,
	// in the order of the runs (accuracies in %).
	Values []float64
	// Mean, Std (the sample standard deviation, 0 for one run), Min and
	// Max are those of Values, NaN when every run failed.
	Mean, Std, Min, Max float64
	// Failed counts the runs of the label whose training failed.
	Failed int
}

// SeedSpread returns one SeedStats per label of runs, in the order of
// first appearance, with the statistics of gonum/stat and floats.
func SeedSpread(runs []Result, m Metric) []SeedStats {
	var out []SeedStats
	at := map[string]int{}
	for _, r := range runs {
		i, ok := at[r.Label()]
		if !ok {
			i = len(out)
			at[r.Label()] = i
			out = append(out, SeedStats{Label: r.Label()})
		}
		if r.Err != nil || len(r.History) == 0 {
			out[i].Failed++
			continue
		}
		out[i].Values = append(out[i].Values, m.Of(r.History.Last()))
	}
	for i := range out {
		s := &out[i]
		s.Mean, s.Std, s.Min, s.Max = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		if len(s.Values) > 0 {
			s.Mean, s.Std = stat.MeanStdDev(s.Values, nil)
			if len(s.Values) == 1 {
				s.Std = 0 // stat gives NaN: no spread in one value
			}
			s.Min, s.Max = floats.Min(s.Values), floats.Max(s.Values)
		}
	}
	return out
}

// SeedTable shows SeedSpread(runs, m): one row per label with the mean,
// standard deviation, minimum and maximum over its seeds, the failed runs
// and every seed's value, its words in the current language.
func SeedTable(caption string, runs []Result, m Metric) Table {
	t := Table{Caption: caption, Header: []string{T("run"), T("mean"), T("std"), T("min"), T("max"), T("failed"), T("per seed")}}
	for _, s := range SeedSpread(runs, m) {
		per := make([]string, len(s.Values))
		for i, v := range s.Values {
			per[i] = fmt.Sprintf("%.4g", v)
		}
		t.Rows = append(t.Rows, []string{s.Label, m.format(s.Mean), fmt.Sprintf("%.2f", s.Std), m.format(s.Min), m.format(s.Max),
			Tf("%d of %d", s.Failed, s.Failed+len(s.Values)), strings.Join(per, " ")})
	}
	return t
}
