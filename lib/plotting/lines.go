package plotting

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Config holds the labels of a figure. The zero value draws a figure with
// no title and no axis labels.
type Config struct {
	Title  string // Title above the figure.
	XLabel string // Label of the horizontal axis.
	YLabel string // Label of the vertical axis.
	// Legend is the corner of the data area where the legend goes if no
	// data lie under it there (default TopLeft); else PNG and SVG move it
	// to another corner, along an edge or outside the data area.
	Legend Corner
	// LogX and LogY make an axis logarithmic (see LogAxis). Lines,
	// Functions, AddPaths and AddPoints leave out the points with a value
	// ≤ 0 on a logarithmic axis, which cannot show them, and note their
	// number in the title.
	LogX, LogY bool
}

// Corner is a corner of the plotting area.
type Corner int

const (
	TopLeft Corner = iota
	TopRight
	BottomLeft
	BottomRight
)

// Series is a named sequence of points (X[i], Y[i]) drawn as one line.
// Points where X[i] or Y[i] is NaN or ±Inf are not drawn: the line is broken
// there.
type Series struct {
	Name string // Legend entry; an empty name adds no legend entry.
	X, Y []float64
	// Step draws the line as steps (gonum/plot's plotter.Line StepStyle)
	// instead of straight segments from point to point. With
	// plotter.PreStep, Y[i] is held over [X[i−1], X[i]]: a value that
	// applies to the interval ending at X[i], such as a learning rate used
	// during epoch i. With plotter.PostStep, Y[i] is held over
	// [X[i], X[i+1]]. The zero value, plotter.NoStep, draws straight
	// segments.
	Step plotter.StepKind
}

// Func is a named function of one variable, such as an activation σ or its
// derivative σ′.
type Func struct {
	Name string
	F    func(float64) float64
}

// Range is the closed interval [Min, Max] sampled at N evenly spaced points.
// N zero means DefaultSamples.
type Range struct {
	Min, Max float64
	N        int
}

// DefaultSamples is the number of points at which Functions samples each
// function when Range.N is zero: enough for smooth curves at any size.
const DefaultSamples = 401

// Lines returns a figure with one line per series, each in its own colour
// and dashes (SeriesStyle),
// with a legend of the series' names and a background grid.
//
// Points with a NaN or infinite coordinate, or a coordinate ≤ 0 on a
// logarithmic axis (Config.LogX, LogY), are dropped and the title gains a
// note with their number. Lines panics if a series has X and Y of different
// lengths.
func Lines(cfg Config, series ...Series) *plot.Plot {
	p := newPlot(cfg)
	var dropped droppedPoints
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plotting: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y)))
		}
		style := SeriesStyle(i)
		segments, n := drawableSegments(p, s.X, s.Y)
		dropped.add(n)
		var legend plot.Thumbnailer
		for _, seg := range segments {
			if len(seg) == 1 {
				// A lone point between gaps: draw it as a dot so it is not lost.
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					panic("plotting: " + err.Error()) // unreachable: seg is finite
				}
				sc.GlyphStyle.Color = style.Color
				sc.GlyphStyle.Radius = vg.Points(2)
				sc.GlyphStyle.Shape = draw.CircleGlyph{}
				p.Add(sc)
				if legend == nil {
					legend = sc
				}
				continue
			}
			l, err := plotter.NewLine(seg)
			if err != nil {
				panic("plotting: " + err.Error()) // unreachable: seg is finite
			}
			l.LineStyle = style
			l.StepStyle = s.Step
			p.Add(l)
			if legend == nil {
				legend = l
			}
		}
		if s.Name != "" {
			if legend == nil {
				// Every point was dropped: keep the entry so the reader sees the series existed.
				l := &plotter.Line{LineStyle: style}
				legend = l
			}
			p.Legend.Add(s.Name, legend)
		}
	}
	noteDropped(p, dropped)
	return p
}

// Functions returns a figure with each function sampled at r.N points of
// [r.Min, r.Max], drawn as by Lines. It panics if r.Min ≥ r.Max, if r.N is
// negative or 1, or if a function is nil.
func Functions(cfg Config, r Range, fs ...Func) *plot.Plot {
	n := r.N
	if n == 0 {
		n = DefaultSamples
	}
	if !(r.Min < r.Max) || n < 2 {
		panic(fmt.Sprintf("plotting: invalid range [%v, %v] with %d samples", r.Min, r.Max, r.N))
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = r.Min + (r.Max-r.Min)*float64(i)/float64(n-1)
	}
	series := make([]Series, len(fs))
	for i, f := range fs {
		if f.F == nil {
			panic(fmt.Sprintf("plotting: function %q is nil", f.Name))
		}
		y := make([]float64, n)
		for j, xj := range x {
			y[j] = f.F(xj)
		}
		series[i] = Series{Name: f.Name, X: x, Y: y}
	}
	return Lines(cfg, series...)
}

// PlaceLegend asks for the legend of p in corner c of the data area, as
// Config.Legend does when the figure is made: PNG and SVG draw it there
// unless data lie under it (see Config.Legend). p.Draw, called directly,
// draws it there in any case.
func PlaceLegend(p *plot.Plot, c Corner) {
	p.Legend.Top = c == TopLeft || c == TopRight
	p.Legend.Left = c == TopLeft || c == BottomLeft
	p.Legend.XOffs, p.Legend.YOffs = 0, 0
	if !p.Legend.Left {
		// Keep the thumbnails of a right-hand legend off the figure's edge.
		p.Legend.XOffs = -vg.Points(12)
	}
	if !p.Legend.Top {
		p.Legend.YOffs = vg.Points(6)
	}
}

func newPlot(cfg Config) *plot.Plot {
	p := New()
	p.Title.Text = cfg.Title
	p.X.Label.Text = cfg.XLabel
	p.Y.Label.Text = cfg.YLabel
	p.Add(plotter.NewGrid())
	PlaceLegend(p, cfg.Legend)
	p.Legend.ThumbnailWidth = vg.Points(20)
	p.X.Scale = margin{Normalizer: p.X.Scale, lo: DataMargin, hi: DataMargin}
	p.Y.Scale = margin{Normalizer: p.Y.Scale, lo: DataMargin, hi: DataMargin}
	if cfg.LogX {
		LogAxis(&p.X)
	}
	if cfg.LogY {
		LogAxis(&p.Y)
	}
	return p
}

// droppedPoints counts the points left out of a figure.
type droppedPoints struct {
	nonFinite   int // a coordinate is NaN or ±Inf
	nonPositive int // a coordinate is ≤ 0 on a logarithmic axis
}

func (d *droppedPoints) add(e droppedPoints) {
	d.nonFinite += e.nonFinite
	d.nonPositive += e.nonPositive
}

// drawableSegments splits the points into maximal runs of points that p
// can draw, finite and, on a logarithmic axis of p, positive, and counts
// the points left out.
func drawableSegments(p *plot.Plot, x, y []float64) (segments []plotter.XYs, dropped droppedPoints) {
	logX, logY := isLogScale(p.X.Scale), isLogScale(p.Y.Scale)
	var cur plotter.XYs
	for i := range x {
		finite := isFinite(x[i]) && isFinite(y[i])
		if !finite || (logX && x[i] <= 0) || (logY && y[i] <= 0) {
			if finite {
				dropped.nonPositive++
			} else {
				dropped.nonFinite++
			}
			if len(cur) > 0 {
				segments = append(segments, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: x[i], Y: y[i]})
	}
	if len(cur) > 0 {
		segments = append(segments, cur)
	}
	return segments, dropped
}

// noteDropped adds to the title a note saying how many points were not drawn.
func noteDropped(p *plot.Plot, dropped droppedPoints) {
	points := func(n int) string {
		if n == 1 {
			return "point"
		}
		return "points"
	}
	var notes []string
	if n := dropped.nonFinite; n > 0 {
		notes = append(notes, fmt.Sprintf("(%d NaN/Inf %s not drawn)", n, points(n)))
	}
	if n := dropped.nonPositive; n > 0 {
		notes = append(notes, fmt.Sprintf("(%d %s ≤ 0 not drawn on the log axis)", n, points(n)))
	}
	for _, note := range notes {
		if p.Title.Text == "" {
			p.Title.Text = note
		} else {
			p.Title.Text += "\n" + note
		}
	}
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// AddVerticalLine draws a dashed grey line at x across the y range that p
// has so far (so add it after the data), named in the legend unless name
// is empty: a threshold such as a largest stable learning rate. It panics
// if x is not finite.
func AddVerticalLine(p *plot.Plot, x float64, name string) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		panic(fmt.Sprintf("plotting: vertical line at %v", x))
	}
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}})
	if err != nil {
		panic("plotting: " + err.Error()) // unreachable: the points are finite
	}
	l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x55}, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
}
