package plotting

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// histogramOf returns the bars of Histogram and the figure's title, and
// renders the figure.
func histogramOf(t *testing.T, cfg Config, v []float64, lo, hi float64, bins int) (*plotter.Histogram, string) {
	t.Helper()
	p := Histogram(cfg, v, lo, hi, bins)
	if _, err := PNG(p, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	h, _ := histogram(v, lo, hi, bins)
	return h, p.Title.Text
}

func TestHistogramCounts(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name      string
		v         []float64
		lo, hi    float64
		bins      int
		want      []float64
		titleNote string
	}{
		{"inside", []float64{0.1, 0.2, 0.6, 0.9}, 0, 1, 2, []float64{2, 2}, ""},
		{"ends belong to the end bins", []float64{0, 1, 0.5}, 0, 1, 2, []float64{1, 2}, ""},
		{"outside is clamped", []float64{-5, 7, -inf, inf, 0.3}, 0, 1, 4, []float64{2, 1, 0, 2}, ""},
		{"bins span [lo, hi], not the data", []float64{0.1, 0.1}, -1, 1, 4, []float64{0, 0, 2, 0}, ""},
		{"NaN not counted", []float64{nan, 0.5, nan}, 0, 1, 1, []float64{1}, "(2 NaN values not counted)"},
		{"one NaN", []float64{nan}, 0, 1, 2, []float64{0, 0}, "(1 NaN value not counted)"},
		{"no values", nil, -2, 2, 3, []float64{0, 0, 0}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, title := histogramOf(t, Config{Title: "w"}, tc.v, tc.lo, tc.hi, tc.bins)
			if len(h.Bins) != tc.bins {
				t.Fatalf("%d bins, want %d", len(h.Bins), tc.bins)
			}
			for i, b := range h.Bins {
				if b.Weight != tc.want[i] {
					t.Errorf("bin %d [%g, %g] counts %g, want %g", i, b.Min, b.Max, b.Weight, tc.want[i])
				}
			}
			if h.Bins[0].Min != tc.lo || h.Bins[tc.bins-1].Max != tc.hi {
				t.Errorf("bins span [%g, %g], want [%g, %g]", h.Bins[0].Min, h.Bins[tc.bins-1].Max, tc.lo, tc.hi)
			}
			if !strings.HasPrefix(title, "w") || !strings.Contains(title, tc.titleNote) || (tc.titleNote == "" && title != "w") {
				t.Errorf("title %q, want %q and note %q", title, "w", tc.titleNote)
			}
		})
	}
}

func TestHistogramLabels(t *testing.T) {
	p := Histogram(Config{XLabel: "w"}, []float64{1}, 0, 2, 2)
	if p.X.Label.Text != "w" || p.Y.Label.Text != "count" {
		t.Errorf("labels %q, %q; want w and the default count", p.X.Label.Text, p.Y.Label.Text)
	}
	if p.X.Min != 0 || p.X.Max != 2 {
		t.Errorf("x axis [%g, %g], want [0, 2]", p.X.Min, p.X.Max)
	}
	if p := Histogram(Config{YLabel: "images"}, nil, 0, 1, 1); p.Y.Label.Text != "images" {
		t.Errorf("y label %q, want the one given", p.Y.Label.Text)
	}
}

func TestHistogramPanics(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		bins   int
	}{{1, 1, 3}, {2, 1, 3}, {0, 1, 0}, {math.NaN(), 1, 2}} {
		expectPanic(t, fmt.Sprintf("[%g, %g] with %d bins", tc.lo, tc.hi, tc.bins), "histogram needs lo < hi", func() { Histogram(Config{}, nil, tc.lo, tc.hi, tc.bins) })
	}
}

func TestLinesStep(t *testing.T) {
	// Record the drawing: the step line from three points is a path of
	// five (a vertical and a horizontal piece per step), the plain line
	// one of three; grid lines, ticks and legend thumbnails have two.
	p := Lines(Config{},
		Series{Name: "rate", X: []float64{0, 1, 2}, Y: []float64{1, 1, 2}, Step: plotter.PreStep},
		Series{Name: "cost", X: []float64{0, 1, 2}, Y: []float64{3, 2, 1}},
	)
	var rec recorder.Canvas
	p.Draw(draw.NewCanvas(&rec, 4*vg.Inch, 3*vg.Inch))
	var lens []int
	for _, a := range rec.Actions {
		if s, ok := a.(*recorder.Stroke); ok && len(s.Path) > 2 {
			lens = append(lens, len(s.Path))
		}
	}
	if len(lens) != 2 || lens[0] != 5 || lens[1] != 3 {
		t.Errorf("paths of %v points, want [5 3]", lens)
	}
}
