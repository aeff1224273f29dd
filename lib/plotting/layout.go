package plotting

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// This file lays out a figure when PNG or SVG draws it, when its final
// size is known: the size of its text for print, long axis labels wrapped
// to their axis, and its legend where it hides no data. Each panel is
// drawn from a copy of its *plot.Plot, so the caller's figure is left as
// it was and can be drawn again at another size.

// The course's PDF is printed by Chromium from course.html on A4 paper
// with 12 mm side margins. A figure w points wide is shown at PixelSize,
// w/72·96 CSS pixels, and Chromium prints a CSS pixel as 1/96 inch, so the
// figure prints w points wide, unless it is wider than the output area:
// then its <img> (max-width: 100%) is shrunk to it.
const (
	// PrintColumn is the width of the output area of course.html printed
	// on A4: the page's 186 mm (210 mm − 2·12 mm) less the prompt column.
	// Measured in Chromium with print media on a 186 mm (703 CSS px) wide
	// page: a 1152 px row of two panels is drawn 609 px = 161 mm wide
	// (issue 19; on the pages of single notebooks, 593 px = 157 mm).
	PrintColumn = 161 * vg.Millimeter
	// MinPrintedText is the smallest size of a figure's text, title, axis
	// and tick labels and legend, on the printed page.
	MinPrintedText = 8 * vg.Length(1) // points
)

// PrintScale returns the factor by which the PDF shrinks a figure w points
// wide: min(1, PrintColumn/w). A figure of DefaultWidth (152 mm) prints at
// its size, a row of two panels (12 in, 305 mm) at 0.53 of it. It panics
// if w is not positive.
func PrintScale(w vg.Length) float64 {
	if !(w > 0) {
		panic("plotting: PrintScale of a figure of no width")
	}
	return math.Min(1, float64(PrintColumn/w))
}

// PrintedSize returns the size in points at which text of the given size
// prints in a figure w points wide: size · PrintScale(w).
func PrintedSize(size, w vg.Length) vg.Length { return size * vg.Length(PrintScale(w)) }

// minTextSize returns the smallest font size that prints at
// MinPrintedText or more in a figure w points wide.
func minTextSize(w vg.Length) vg.Length {
	return vg.Length(math.Ceil(float64(MinPrintedText)/PrintScale(w)*10) / 10)
}

// textStyles returns the text styles of p that a reader must read.
func textStyles(p *plot.Plot) []*text.Style {
	return []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle}
}

// layoutCopy returns a copy of p with every text at least min points
// large. The copy shares p's plotters and legend entries, which drawing
// does not change.
func layoutCopy(p *plot.Plot, min vg.Length) *plot.Plot {
	q := *p
	for _, s := range textStyles(&q) {
		if s.Font.Size < min {
			s.Font.Size = min
		}
	}
	return &q
}

// fitLabels wraps the axis labels of p, and shrinks them if wrapping is
// not enough (never below min points), so that each fits the length of
// its axis when p is drawn on c; and the title to the width of c.
func fitLabels(p *plot.Plot, c draw.Canvas, min vg.Length) {
	if p.Title.Text != "" {
		fitText(&p.Title.Text, &p.Title.TextStyle, c.Size().X, min)
	}
	// An axis label may be as long as the data area's side when the axis
	// has no label (the label's own room is not part of that side).
	fitAxisLabel := func(label *string, style *text.Style, side func(data vg.Point) vg.Length) {
		if *label == "" {
			return
		}
		saved := *label
		*label = ""
		length := side(p.DataCanvas(c).Size())
		*label = saved
		fitText(label, style, length, min)
	}
	for range 2 { // the y label's length depends on the x label's height, and the x label's on the y label's width
		fitAxisLabel(&p.Y.Label.Text, &p.Y.Label.TextStyle, func(size vg.Point) vg.Length { return size.Y })
		fitAxisLabel(&p.X.Label.Text, &p.X.Label.TextStyle, func(size vg.Point) vg.Length { return size.X })
	}
}

// fitTicks labels fewer powers of ten on a logarithmic axis of p (see
// LogAxis) whose labels, drawn on c, would overlap: every second, third …
// power, the first stride whose labels, each with a fifth of its size as
// space, fit the axis, or else the last that keeps two labels.
func fitTicks(p *plot.Plot, c draw.Canvas) {
	data := p.DataCanvas(c)
	for _, ax := range []struct {
		a        *plot.Axis
		length   vg.Length
		vertical bool
	}{{&p.X, data.Size().X, false}, {&p.Y, data.Size().Y, true}} {
		if _, ok := ax.a.Tick.Marker.(powerTicks); !ok || ax.length <= 0 {
			continue
		}
		for every := 1; every <= 12; every++ {
			t := powerTicks{every: every}
			var need vg.Length
			labels := 0
			ticks := t.Ticks(ax.a.Min, ax.a.Max)
			for _, tk := range ticks {
				if tk.Label != "" {
					labels++
				}
			}
			if labels < 2 && every > 1 {
				break // keep two labels at least, if they overlap
			}
			for _, tk := range ticks {
				if tk.Label == "" {
					continue
				}
				if ax.vertical {
					need += ax.a.Tick.Label.Height(tk.Label) * 1.2
				} else {
					need += ax.a.Tick.Label.Width(tk.Label) * 1.2
				}
			}
			ax.a.Tick.Marker = t
			if need <= ax.length {
				break
			}
		}
	}
}

// fitText makes txt, drawn in style, at most length wide: unchanged if it
// fits; else broken at spaces into the fewest lines (at most 3) that fit,
// each line as long as the others; else, in 2 or 3 lines, in a font shrunk
// to fit, but not below min points. A text with line breaks of its own is
// only shrunk.
func fitText(txt *string, style *text.Style, length, min vg.Length) {
	if length <= 0 || style.Width(*txt) <= length {
		return
	}
	words := strings.Fields(*txt)
	best := *txt
	if !strings.Contains(*txt, "\n") {
		for lines := 2; lines <= 3 && lines <= len(words); lines++ {
			best = balancedLines(words, lines, style)
			if style.Width(best) <= length {
				*txt = best
				return
			}
		}
	}
	*txt = best
	w := style.Width(best)
	size := style.Font.Size * length / w
	size = vg.Length(math.Floor(float64(size)*10) / 10)
	if size < min {
		size = min
	}
	if size < style.Font.Size {
		style.Font.Size = size
	}
}

// balancedLines breaks words into n lines so that the widest line, drawn in
// style, is as narrow as it can be.
func balancedLines(words []string, n int, style *text.Style) string {
	best, bestW := "", vg.Length(math.Inf(1))
	var try func(start, left int, lines []string)
	try = func(start, left int, lines []string) {
		if left == 1 {
			all := append(lines, strings.Join(words[start:], " "))
			s := strings.Join(all, "\n")
			if w := style.Width(s); w < bestW {
				best, bestW = s, w
			}
			return
		}
		for end := start + 1; end <= len(words)-left+1; end++ {
			try(end, left-1, append(lines[:len(lines):len(lines)], strings.Join(words[start:end], " ")))
		}
	}
	try(0, n, nil)
	return best
}

// legendGap is the space between the legend's box and the data area's
// edge, and around the legend's entries inside the box.
const legendGap = 4 * vg.Length(1)

// legendPlace is where drawPanel draws a legend.
type legendPlace struct {
	rect    vg.Rectangle // the legend's box
	left    bool         // thumbnails on the left of the names
	outside bool         // beside or below the data area, which shrinks to make room
	plot    draw.Canvas  // the canvas of the rest of the figure
}

// legendSize returns the size of p's legend without its box: the widest
// entry and the height of all entries.
func legendSize(p *plot.Plot, names []string) (w, h vg.Length) {
	l := &p.Legend
	var entry vg.Length
	for _, n := range names {
		w = max(w, l.ThumbnailWidth+l.TextStyle.Width(" "+n))
		entry = max(entry, l.TextStyle.Rectangle(n).Max.Y) // as plot.Legend measures an entry
	}
	h = entry*vg.Length(len(names)) + l.Padding*vg.Length(len(names)-1) + 2*l.TextStyle.FontExtents().Descent
	return w, h
}

// placeLegend chooses where to draw the legend of p on c: the corner of
// the data area that p's legend asks for (Config.Legend, PlaceLegend) if
// no data lie under the legend's box there; else the first other corner
// where none do; else the place nearest that corner, along the four edges
// of the data area, where none do; else outside the data area, on the
// right or below it, whichever leaves the data the larger area.
func placeLegend(p *plot.Plot, c draw.Canvas, names []string) legendPlace {
	w, h := legendSize(p, names)
	w, h = w+2*legendGap, h+2*legendGap
	data := p.DataCanvas(c)
	obstacles := dataMarks(p, c)
	want := TopLeft
	switch {
	case p.Legend.Top && !p.Legend.Left:
		want = TopRight
	case !p.Legend.Top && p.Legend.Left:
		want = BottomLeft
	case !p.Legend.Top && !p.Legend.Left:
		want = BottomRight
	}
	inside := data.Rectangle
	inside.Min.X += legendGap
	inside.Min.Y += legendGap
	inside.Max.X -= legendGap
	inside.Max.Y -= legendGap
	if inside.Size().X >= w && inside.Size().Y >= h {
		for _, corner := range []Corner{want, TopLeft, TopRight, BottomRight, BottomLeft} {
			r := cornerRect(data.Rectangle, corner, w, h)
			if !obstacles.hit(r) {
				return legendPlace{rect: r, left: corner == TopLeft || corner == BottomLeft, plot: c}
			}
		}
		// Slide the box along the edges, nearest the wanted corner first.
		home := cornerRect(data.Rectangle, want, w, h).Min
		var best vg.Rectangle
		bestD := vg.Length(math.Inf(1))
		const steps = 20
		dx, dy := (inside.Size().X-w)/steps, (inside.Size().Y-h)/steps
		for i := range steps + 1 {
			for j := range steps + 1 {
				if i != 0 && i != steps && j != 0 && j != steps {
					continue // not on an edge
				}
				min := vg.Point{X: inside.Min.X + vg.Length(i)*dx, Y: inside.Min.Y + vg.Length(j)*dy}
				r := vg.Rectangle{Min: min, Max: vg.Point{X: min.X + w, Y: min.Y + h}}
				d := vg.Length(math.Hypot(float64(min.X-home.X), float64(min.Y-home.Y)))
				if d < bestD && !obstacles.hit(r) {
					best, bestD = r, d
				}
			}
		}
		if !math.IsInf(float64(bestD), 1) {
			return legendPlace{rect: best, left: best.Min.X+w/2 < data.Center().X, plot: c}
		}
	}
	W, H := c.Size().X, c.Size().Y
	right := c
	right.Max.X -= w
	below := c
	below.Min.Y += h
	if (W-w)*H >= W*(H-h) && w < W/2 {
		top := p.DataCanvas(right).Max.Y
		return legendPlace{rect: vg.Rectangle{Min: vg.Point{X: right.Max.X, Y: top - h}, Max: vg.Point{X: c.Max.X, Y: top}}, left: true, outside: true, plot: right}
	}
	left := p.DataCanvas(below).Min.X
	return legendPlace{rect: vg.Rectangle{Min: vg.Point{X: left, Y: c.Min.Y}, Max: vg.Point{X: left + w, Y: c.Min.Y + h}}, left: true, outside: true, plot: below}
}

// cornerRect returns a box of w × h in corner k of the rectangle r, legendGap
// inside its edges.
func cornerRect(r vg.Rectangle, k Corner, w, h vg.Length) vg.Rectangle {
	var b vg.Rectangle
	if k == TopLeft || k == BottomLeft {
		b.Min.X = r.Min.X + legendGap
	} else {
		b.Min.X = r.Max.X - legendGap - w
	}
	if k == TopLeft || k == TopRight {
		b.Min.Y = r.Max.Y - legendGap - h
	} else {
		b.Min.Y = r.Min.Y + legendGap
	}
	b.Max = vg.Point{X: b.Min.X + w, Y: b.Min.Y + h}
	return b
}

// marks are the data that a figure draws, in the coordinates of its
// canvas: the segments of its lines and the bounding boxes of its filled
// shapes (markers, bars).
type marks struct {
	segments [][2]vg.Point
	boxes    []vg.Rectangle
}

// Colours of what a figure draws over its whole data area and a legend may
// cover: the background grid (plotter.NewGrid) and contour lines.
var (
	gridColor    = color.Gray{Y: 128}
	contourColor = color.Gray{Y: 70}
)

// dataMarks records what p draws on c, without its legend, and returns
// the lines and shapes drawn inside p's data area: everything but the
// background, text, images (a colour map), the grid and contour lines.
func dataMarks(p *plot.Plot, c draw.Canvas) marks {
	q := *p
	q.Legend = emptyLegend(p)
	rec := new(recorder.Canvas)
	rc := draw.Canvas{Canvas: rec, Rectangle: c.Rectangle}
	q.Draw(rc)
	data := q.DataCanvas(rc).Rectangle
	var m marks
	var col color.Color = color.Black
	transformed := 0 // depth of Push with a Translate, Rotate or Scale after it: text
	var stack []bool
	moved := false
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			col = a.Color
		case *recorder.Push:
			stack = append(stack, moved)
			moved = false
		case *recorder.Pop:
			if moved {
				transformed--
			}
			if n := len(stack); n > 0 {
				moved, stack = stack[n-1], stack[:n-1]
			}
		case *recorder.Translate, *recorder.Rotate, *recorder.Scale:
			if !moved {
				moved = true
				transformed++
			}
		case *recorder.Stroke:
			if transformed > 0 || sameColor(col, gridColor) || sameColor(col, contourColor) {
				continue
			}
			m.addPath(a.Path, data, false)
		case *recorder.Fill:
			if transformed > 0 || (p.BackgroundColor != nil && sameColor(col, p.BackgroundColor)) {
				continue
			}
			m.addPath(a.Path, data, true)
		}
	}
	return m
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// addPath adds the segments of a stroked path, or the bounding box of a
// filled one, that lie in the data area (the axes lie on its edges or
// outside it).
func (m *marks) addPath(path vg.Path, data vg.Rectangle, filled bool) {
	inner := vg.Rectangle{Min: vg.Point{X: data.Min.X + 0.5, Y: data.Min.Y + 0.5}, Max: vg.Point{X: data.Max.X - 0.5, Y: data.Max.Y - 0.5}}
	var box vg.Rectangle
	first := true
	grow := func(r vg.Rectangle) {
		if first {
			box, first = r, false
			return
		}
		box.Min.X, box.Min.Y = min(box.Min.X, r.Min.X), min(box.Min.Y, r.Min.Y)
		box.Max.X, box.Max.Y = max(box.Max.X, r.Max.X), max(box.Max.Y, r.Max.Y)
	}
	var start, cur vg.Point
	for _, pc := range path {
		switch pc.Type {
		case vg.MoveComp:
			start, cur = pc.Pos, pc.Pos
			grow(vg.Rectangle{Min: pc.Pos, Max: pc.Pos})
		case vg.LineComp, vg.CurveComp:
			if !filled {
				m.addSegment(cur, pc.Pos, inner)
			}
			cur = pc.Pos
			grow(vg.Rectangle{Min: pc.Pos, Max: pc.Pos})
		case vg.ArcComp:
			r := pc.Radius
			grow(vg.Rectangle{Min: vg.Point{X: pc.Pos.X - r, Y: pc.Pos.Y - r}, Max: vg.Point{X: pc.Pos.X + r, Y: pc.Pos.Y + r}})
			if !filled {
				m.boxes = append(m.boxes, vg.Rectangle{Min: vg.Point{X: pc.Pos.X - r, Y: pc.Pos.Y - r}, Max: vg.Point{X: pc.Pos.X + r, Y: pc.Pos.Y + r}})
			}
		case vg.CloseComp:
			if !filled {
				m.addSegment(cur, start, inner)
			}
			cur = start
		}
	}
	if filled && !first {
		// Clip the box to the data area: a bar reaching the axis is still data.
		box.Min.X, box.Min.Y = max(box.Min.X, data.Min.X), max(box.Min.Y, data.Min.Y)
		box.Max.X, box.Max.Y = min(box.Max.X, data.Max.X), min(box.Max.Y, data.Max.Y)
		if box.Min.X <= box.Max.X && box.Min.Y <= box.Max.Y && !(box.Min.X <= data.Min.X && box.Max.X >= data.Max.X && box.Min.Y <= data.Min.Y && box.Max.Y >= data.Max.Y) {
			m.boxes = append(m.boxes, box)
		}
	}
}

// addSegment adds the segment a–b if any of it lies inside r.
func (m *marks) addSegment(a, b vg.Point, r vg.Rectangle) {
	if segmentHits(a, b, r) {
		m.segments = append(m.segments, [2]vg.Point{a, b})
	}
}

// hit reports whether any mark lies in r, or within half a line's width
// of it.
func (m marks) hit(r vg.Rectangle) bool {
	pad := vg.Points(1)
	r = vg.Rectangle{Min: vg.Point{X: r.Min.X - pad, Y: r.Min.Y - pad}, Max: vg.Point{X: r.Max.X + pad, Y: r.Max.Y + pad}}
	for _, s := range m.segments {
		if segmentHits(s[0], s[1], r) {
			return true
		}
	}
	for _, b := range m.boxes {
		if b.Min.X <= r.Max.X && b.Max.X >= r.Min.X && b.Min.Y <= r.Max.Y && b.Max.Y >= r.Min.Y {
			return true
		}
	}
	return false
}

// segmentHits reports whether the segment a–b meets the rectangle r
// (Liang–Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)},
		{dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)},
		{dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// emptyLegend returns a legend in p's style without entries.
func emptyLegend(p *plot.Plot) plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = p.Legend.TextStyle
	return l
}

// legendBackground fills a legend's box: white, a little transparent, so
// that a legend over a colour map stays readable.
var legendBackground = color.NRGBA{R: 255, G: 255, B: 255, A: 220}

// drawPanel draws the figure p (a layout copy) on c with its legend placed
// by placeLegend.
//
// drawPanel draws the y label itself, centred on the data area: gonum/plot
// reserves room for it at the height of the arithmetic mean of the axis's
// range, which on a log axis lies near its top, and so squeezes the data
// area (issue 19: 02's "mean squared error of the minibatch gradient").
// The axis keeps a blank label of as many lines, which takes the same
// width.
//
// It returns where it drew the legend (no legend: a zero rect) and the
// data area.
func drawPanel(p *plot.Plot, c draw.Canvas) (place legendPlace, data draw.Canvas) {
	q := *p
	ylabel := q.Y.Label
	if ylabel.Text != "" {
		q.Y.Label.Text = strings.Repeat(" \n", strings.Count(ylabel.Text, "\n")) + " "
	}
	defer keepRanges(p, &q)
	names := LegendEntries(&q)
	place = legendPlace{plot: c}
	if len(names) > 0 {
		place = placeLegend(&q, c, names)
	}
	fitTicks(&q, place.plot)
	p.X.Tick.Marker, p.Y.Tick.Marker = q.X.Tick.Marker, q.Y.Tick.Marker // p is a layout copy: keep what was drawn
	legend := q.Legend
	q.Legend = emptyLegend(p)
	if place.outside && p.BackgroundColor != nil {
		// The figure's background under the legend too.
		c.SetColor(p.BackgroundColor)
		c.Fill(c.Rectangle.Path())
	}
	q.Draw(place.plot)
	data = q.DataCanvas(place.plot)
	if ylabel.Text != "" {
		sty := ylabel.TextStyle
		sty.Rotation += math.Pi / 2
		x := place.plot.Min.X + ylabel.TextStyle.Height(ylabel.Text) - ylabel.TextStyle.FontExtents().Descent
		place.plot.FillText(sty, vg.Point{X: x, Y: data.Center().Y}, ylabel.Text)
	}
	if len(names) == 0 {
		return place, data
	}
	r := place.rect
	c.SetColor(legendBackground)
	c.Fill(r.Path())
	legend.Top, legend.Left = true, place.left
	legend.XOffs, legend.YOffs = 0, 0
	inner := vg.Rectangle{Min: vg.Point{X: r.Min.X + legendGap, Y: r.Min.Y + legendGap}, Max: vg.Point{X: r.Max.X - legendGap, Y: r.Max.Y - legendGap}}
	legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: inner})
	return place, data
}

// DataMargin is the fraction of an axis's length that figures made by
// Lines, Functions and Histogram leave empty beyond each end of the data, so
// that no curve runs along the frame or under the title: 4 %, as a
// Normalizer (margin) rather than a wider range, so that the ticks stay
// within the data. Histogram leaves no margin below its bars, which stand
// on the count 0; Contour none, as its colour map fills the sampled
// rectangle.
const DataMargin = 0.04

// margin is an axis scale that maps the data range to
// [lo, 1 − hi] of the axis instead of [0, 1], leaving a margin of the
// fractions lo and hi of the axis at its ends.
type margin struct {
	plot.Normalizer
	lo, hi float64
}

// Normalize returns the fractional distance of x along the axis.
func (m margin) Normalize(min, max, x float64) float64 {
	return m.lo + (1-m.lo-m.hi)*m.Normalizer.Normalize(min, max, x)
}

// withoutMargin returns the scale s without a margin.
func withoutMargin(s plot.Normalizer) plot.Normalizer {
	if m, ok := s.(margin); ok {
		return m.Normalizer
	}
	return s
}

// sharedLegend returns the entries of the legend that the panels of a
// grid share: at least two panels have a legend, and all of them the same
// entries (the same series, so the same colours, as in a row of a metric
// against epochs and against time).
func sharedLegend(panels [][]*plot.Plot) (names []string, from *plot.Plot, ok bool) {
	count := 0
	for _, row := range panels {
		for _, p := range row {
			n := LegendEntries(p)
			if len(n) == 0 {
				continue
			}
			if count > 0 && strings.Join(n, "\x00") != strings.Join(names, "\x00") {
				return nil, nil, false
			}
			names, from = n, p
			count++
		}
	}
	return names, from, count >= 2
}

// legendColumns returns how the entries of p's legend fill columns across
// a width w: the number of columns and rows, the width of a column and
// the height of the whole, each with legendGap around it.
func legendColumns(p *plot.Plot, names []string, w vg.Length) (cols, rows int, colW, h vg.Length) {
	ew, _ := legendSize(p, names)
	colW = ew + 2*legendGap
	cols = max(1, min(len(names), int(w/colW)))
	rows = (len(names) + cols - 1) / cols
	_, h = legendSize(p, names[:rows])
	return cols, rows, colW, h + 2*legendGap
}

// drawLegendColumns draws the legend of p in cols columns of rows entries
// each, left to right from the top left of r: each column is the whole
// legend drawn shifted up by the entries of the columns before it, on a
// canvas that keeps only what falls in the column (gonum/plot keeps a
// legend's entries unexported, so they cannot be split into legends of
// their own).
func drawLegendColumns(c draw.Canvas, p *plot.Plot, r vg.Rectangle, cols, rows int, colW vg.Length) {
	l := p.Legend
	l.Top, l.Left, l.XOffs, l.YOffs = true, true, 0, 0
	var entry vg.Length
	for _, n := range LegendEntries(p) {
		entry = max(entry, l.TextStyle.Rectangle(n).Max.Y) // as plot.Legend measures an entry
	}
	for k := range cols {
		col := vg.Rectangle{Min: vg.Point{X: r.Min.X + vg.Length(k)*colW, Y: r.Min.Y}, Max: vg.Point{X: r.Min.X + vg.Length(k+1)*colW, Y: r.Max.Y}}
		inner := vg.Rectangle{Min: vg.Point{X: col.Min.X + legendGap, Y: col.Min.Y + legendGap}, Max: vg.Point{X: col.Max.X - legendGap, Y: col.Max.Y - legendGap}}
		// The band of this column's entries: the middle of each lies in it,
		// the middles of the entries above and below do not.
		top := inner.Max.Y - l.TextStyle.FontExtents().Descent
		band := vg.Rectangle{Min: vg.Point{X: col.Min.X, Y: top - vg.Length(rows)*(entry+l.Padding) + l.Padding/2}, Max: vg.Point{X: col.Max.X, Y: top}}
		inner.Max.Y += vg.Length(k*rows) * (entry + l.Padding)
		l.Draw(draw.Canvas{Canvas: keepIn{Canvas: c.Canvas, r: band}, Rectangle: inner})
	}
}

// keepIn is a canvas that draws only the shapes and text whose vertical
// middle lies in r.
type keepIn struct {
	vg.Canvas
	r vg.Rectangle
}

func (k keepIn) keeps(path vg.Path) bool {
	lo, hi := vg.Length(math.Inf(1)), vg.Length(math.Inf(-1))
	for _, pc := range path {
		if pc.Type == vg.CloseComp {
			continue
		}
		lo, hi = min(lo, pc.Pos.Y-pc.Radius), max(hi, pc.Pos.Y+pc.Radius)
	}
	mid := (lo + hi) / 2
	return mid >= k.r.Min.Y && mid <= k.r.Max.Y
}

func (k keepIn) Stroke(path vg.Path) {
	if k.keeps(path) {
		k.Canvas.Stroke(path)
	}
}

func (k keepIn) Fill(path vg.Path) {
	if k.keeps(path) {
		k.Canvas.Fill(path)
	}
}

func (k keepIn) FillString(f font.Face, pt vg.Point, s string) {
	if mid := pt.Y + f.Extents().Ascent/2; mid >= k.r.Min.Y && mid <= k.r.Max.Y {
		k.Canvas.FillString(f, pt, s)
	}
}
