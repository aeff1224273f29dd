package nb

// Helpers for notebooks/04_3_Hyperparameters.ipynb (§4.3 of the notes)
// (its training runs that differ in one setting are Runs of TrainRuns,
// runs.go): digit subsets for initialization from a related task, and
// the results of a hyperparameter search as a table and a plot.

import (
	"fmt"
	"sort"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

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
// time, its words in the current language.
func SearchTable(caption string, res nn.Results) Table {
	t := Table{Caption: caption}
	if len(res) == 0 {
		return t
	}
	t.Header = append(append([]string{T("rank")}, res[0].Point.Names...), T("validation accuracy"), T("validation cost"), T("epochs"), T("seconds"))
	for i, tr := range res.Sorted() {
		row := []string{fmt.Sprint(i + 1)}
		for _, v := range tr.Point.Values {
			row = append(row, fmt.Sprintf("%.4g", v))
		}
		acc, cost := fmt.Sprintf("%.2f%%", 100*tr.ValidationAccuracy), fmt.Sprintf("%.4f", tr.ValidationCost)
		if tr.Err != nil {
			acc, cost = T("failed"), "NaN"
		}
		t.Rows = append(t.Rows, append(row, acc, cost, fmt.Sprint(tr.Epochs), fmt.Sprintf("%.1f", tr.Duration.Seconds())))
	}
	return t
}

// SearchPlot draws the trials of several searches in the plane of two
// hyperparameters x and y (log axes when logX, logY), one series of points
// per search, named by its key in searches, and returns it with the best
// trial of each marked in the legend. The axes are labelled with the
// hyperparameters' names in the current language (T), x and y being the
// names the search space gives them.
func SearchPlot(title, x, y string, logX, logY bool, searches map[string]nn.Results) *plot.Plot {
	names := make([]string, 0, len(searches))
	for n := range searches {
		names = append(names, n)
	}
	sort.Strings(names)
	p := plotting.Lines(plotting.Config{Title: title, XLabel: T(x), YLabel: T(y), Legend: plotting.TopRight, LogX: logX, LogY: logY})
	var pts []plotting.Series
	for _, n := range names {
		res := searches[n]
		var xs, ys []float64
		for _, tr := range res {
			xs = append(xs, tr.Point.Get(x))
			ys = append(ys, tr.Point.Get(y))
		}
		b := res.Best()
		pts = append(pts, plotting.Series{Name: Tf("%s (best %.1f%% at %s=%.3g, %s=%.3g)", n, 100*b.Score, T(x), b.Point.Get(x), T(y), b.Point.Get(y)), X: xs, Y: ys})
	}
	plotting.AddPoints(p, pts...)
	return p
}
