package plotting

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Histogram returns a histogram of the values v: bins bars of equal width
// over [lo, hi], the height of each the number of values in it (gonum/plot's
// plotter.Histogram). Values outside [lo, hi], ±Inf included, are counted
// in the end bins, so that every finite value is seen; NaN values are not
// counted and the title notes how many there were. An empty cfg.YLabel
// means "count", in English: a figure drawn in another language sets its
// own. It panics unless lo < hi and bins > 0.
func Histogram(cfg Config, v []float64, lo, hi float64, bins int) *plot.Plot {
	if !(lo < hi) || bins <= 0 {
		panic(fmt.Sprintf("plotting: histogram needs lo < hi and bins > 0, got [%v, %v] and %d", lo, hi, bins))
	}
	if cfg.YLabel == "" {
		cfg.YLabel = "count"
	}
	h, nans := histogram(v, lo, hi, bins)
	h.LogY = cfg.LogY
	p := newPlot(cfg)
	// The bars stand on the count 0 (or, on a log axis, the smallest
	// count): no margin below them.
	p.Y.Scale = margin{Normalizer: withoutMargin(p.Y.Scale), hi: DataMargin}
	p.X.Min, p.X.Max = lo, hi
	p.Add(h)
	if nans > 0 {
		note := fmt.Sprintf("(%d NaN values not counted)", nans)
		if nans == 1 {
			note = "(1 NaN value not counted)"
		}
		if p.Title.Text == "" {
			p.Title.Text = note
		} else {
			p.Title.Text += "\n" + note
		}
	}
	return p
}

// histogram returns the bars of Histogram and the number of NaN values.
func histogram(v []float64, lo, hi float64, bins int) (h *plotter.Histogram, nans int) {
	// The bins are made here, not by plotter.NewHistogram, which bins the
	// range of the data rather than [lo, hi].
	w := (hi - lo) / float64(bins)
	h = &plotter.Histogram{Bins: make([]plotter.HistogramBin, bins), Width: w, FillColor: color.Gray{Y: 128}, LineStyle: plotter.DefaultLineStyle}
	for i := range h.Bins {
		h.Bins[i].Min, h.Bins[i].Max = lo+float64(i)*w, lo+float64(i+1)*w
	}
	h.Bins[bins-1].Max = hi
	for _, x := range v {
		if math.IsNaN(x) {
			nans++
			continue
		}
		// Clamped, so values beyond the ends (±Inf too) count in the end bins.
		k := max(0, min(bins-1, int(math.Floor((math.Max(lo, math.Min(hi, x))-lo)/w))))
		h.Bins[k].Weight++
	}
	return h, nans
}
