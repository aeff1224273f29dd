package nb

import (
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// TestDegenerateFigures renders the figure helpers of nb on degenerate
// data (a single epoch or point, all-equal values, empty input, NaN and
// Inf, zeros on their log axes, a single bin) to PNG: each gives a figure,
// with a note in the title for values left out, never a panic.
func TestDegenerateFigures(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	epoch := func(e int, cost, acc float64) nn.EpochStats {
		return nn.EpochStats{Epoch: e, TrainCost: cost, ValidationCost: cost, TrainAccuracy: acc, ValidationAccuracy: acc, Elapsed: time.Duration(e) * time.Second}
	}
	oneEpoch := nn.History{epoch(1, 0.3, 0.9)}
	zeroCost := nn.History{epoch(1, 0.5, 0.9), epoch(2, 0, 1), epoch(3, 0.25, 1)}
	first := func(a, _ *plot.Plot) *plot.Plot { return a }
	second := func(_, b *plot.Plot) *plot.Plot { return b }
	trial := func(eta, lambda float64) nn.Trial {
		return nn.Trial{Point: nn.Point{Names: []string{"η", "λ"}, Values: []float64{eta, lambda}}, Score: 0.5}
	}
	for _, tc := range []struct {
		name       string
		fig        func() *plot.Plot
		yMin, yMax float64 // the y range drawn, when not both zero
		note       string  // a note the title must hold
	}{
		{name: "bars: NaN and Inf", fig: func() *plot.Plot {
			return GroupedBars(plotting.Config{Title: "b"}, []string{"a", "b"}, Bars{"g", []float64{nan, 1}}, Bars{"h", []float64{inf, 2}})
		}, note: "(2 NaN/Inf values not drawn)"},
		{name: "bars: no categories", fig: func() *plot.Plot { return GroupedBars(plotting.Config{}, nil, Bars{Name: "g"}) }},
		{name: "bars: all zero", fig: func() *plot.Plot { return GroupedBars(plotting.Config{}, []string{"a"}, Bars{"g", []float64{0}}) }},
		{name: "learning curves: no epochs", fig: func() *plot.Plot { return first(LearningCurves("x", nil)) }},
		{name: "learning curves: one epoch", fig: func() *plot.Plot { return second(LearningCurves("x", oneEpoch)) }},
		{name: "search plot: one trial on log axes", fig: func() *plot.Plot {
			return SearchPlot("s", "η", "λ", true, true, map[string]nn.Results{"random": {trial(0.5, 0.3)}})
		}, yMin: 0.03, yMax: 3},
		{name: "search plot: λ = 0 on a log axis", fig: func() *plot.Plot {
			return SearchPlot("s", "η", "λ", true, true, map[string]nn.Results{"grid": {trial(0.5, 0), trial(0.5, 0.3)}})
		}, yMin: 0.03, yMax: 3, note: "(1 point ≤ 0 not drawn on the log axis)"},
		{name: "curves: one epoch, log cost", fig: func() *plot.Plot {
			return first(Curves([]Result{{Run: Run{Label: "sgd"}, History: oneEpoch}}, TrainCost))
		}, yMin: 0.03, yMax: 3},
		{name: "curves: a zero cost on the log axis", fig: func() *plot.Plot {
			return second(Curves([]Result{{Run: Run{Label: "sgd"}, History: zeroCost}}, ValidationCost))
		}, yMin: 0.25, yMax: 0.5, note: "(1 point ≤ 0 not drawn on the log axis)"},
		{name: "curves: no runs", fig: func() *plot.Plot { return second(Curves(nil, ValidationCost)) }, yMin: 0.1, yMax: 10},
		{name: "curves: before training only", fig: func() *plot.Plot {
			return first(Curves([]Result{{Run: Run{Label: "m = 10"}, Start: &nn.EpochStats{ValidationCost: 0.3}}}, ValidationCost))
		}, yMin: 0.03, yMax: 3},
		{name: "curves: accuracy, one epoch with early stopping", fig: func() *plot.Plot {
			return first(Curves([]Result{{Run: Run{Label: "r", Config: nn.TrainConfig{EarlyStopping: &nn.EarlyStopping{Patience: 1}}}, History: oneEpoch}}, ValidationAccuracy))
		}},
		{name: "curves: seeds that all failed", fig: func() *plot.Plot {
			fail := Result{Run: Run{Label: "r"}, History: oneEpoch, Err: nn.ErrNonFinite}
			return first(Curves([]Result{fail, fail}, ValidationAccuracy))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.fig()
			if _, err := plotting.PNG(p, 0, 0, 72); err != nil {
				t.Fatal(err)
			}
			if tc.note != "" && !strings.Contains(p.Title.Text, tc.note) {
				t.Errorf("title %q does not note %q", p.Title.Text, tc.note)
			}
			if tc.yMin != 0 || tc.yMax != 0 {
				if math.Abs(p.Y.Min-tc.yMin) > 1e-12 || math.Abs(p.Y.Max-tc.yMax) > 1e-12 {
					t.Errorf("y axis drawn over [%v, %v], want [%v, %v]", p.Y.Min, p.Y.Max, tc.yMin, tc.yMax)
				}
			}
		})
	}
}
