package plotting

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DefaultGrid is the number of grid points per axis at which Contour
// samples a function when a Range has N zero: 150 × 150 evaluations, smooth
// at the default figure size and fast enough to redraw at every rerun.
const DefaultGrid = 150

// DefaultLevels is the number of contour lines Contour draws when
// ContourStyle.Levels is nil.
const DefaultLevels = 10

// ContourStyle sets how ContourWith draws a function of two variables. The
// zero value is Contour's style.
type ContourStyle struct {
	// Levels are the values at which contour lines are drawn. nil means
	// DefaultLevels lines at evenly spaced quantiles of the sampled values,
	// so that the lines spread over the figure however f is scaled (a cost
	// spanning several decades included).
	Levels []float64
	// Palette colours the background. Colours are spread piecewise linearly
	// over the smallest sampled value, the levels and the largest sampled
	// value, so that each band between two contour lines gets an equal
	// share of the palette. nil means LightSequential().
	Palette palette.Palette
	// Symmetric centres the colours on zero: the palette runs from −M to M,
	// M the largest |value| sampled, so that a diverging palette shows the
	// sign of f (white where f is zero).
	Symmetric bool
}

// Contour returns a figure of f over the rectangle xr × yr: a colour map of
// its values (light for low values, dark for high ones) with contour lines,
// and the given paths drawn on top (see AddPaths), for example gradient
// descent trajectories on a cost surface. The axes span exactly xr and yr:
// paths that leave the rectangle are cut at its edge. Values of f that are
// NaN or infinite are left blank.
//
// Contour samples f at xr.N × yr.N points (DefaultGrid for N zero), at the
// centres of equal cells covering the rectangle. It panics if a range is
// empty or f is nil.
func Contour(cfg Config, f func(x, y float64) float64, xr, yr Range, paths ...Series) *plot.Plot {
	return ContourWith(cfg, ContourStyle{}, f, xr, yr, paths...)
}

// ContourWith is Contour with a chosen style: contour levels and palette.
func ContourWith(cfg Config, style ContourStyle, f func(x, y float64) float64, xr, yr Range, paths ...Series) *plot.Plot {
	if f == nil {
		panic("plotting: Contour of a nil function")
	}
	g := sampleGrid(f, xr, yr)
	levels := style.Levels
	if levels == nil {
		levels = quantileLevels(g.z, DefaultLevels)
	} else {
		levels = slices.Clone(levels)
		slices.Sort(levels)
	}
	pal := style.Palette
	if pal == nil {
		pal = LightSequential()
	}
	p := newPlot(cfg)
	// No margin: the colour map fills the sampled rectangle.
	p.X.Scale, p.Y.Scale = withoutMargin(p.X.Scale), withoutMargin(p.Y.Scale)
	if lo, hi, ok := finiteRange(g.z); ok {
		if style.Symmetric {
			m := math.Max(math.Abs(lo), math.Abs(hi))
			lo, hi = -m, m
		}
		stops := colourStops(lo, hi, levels)
		heat := plotter.NewHeatMap(shadeGrid{g, stops}, pal)
		heat.Min, heat.Max = 0, 1
		heat.Rasterized = true
		heat.NaN = color.Transparent
		p.Add(heat)
		if len(levels) > 0 {
			p.Add(contourLines{g: g, levels: levels, style: draw.LineStyle{Color: contourColor, Width: vg.Points(0.6)}})
		}
	}
	// The grid lines of newPlot sit under the colour map; draw them again on top.
	p.Add(plotter.NewGrid())
	AddPaths(p, paths...)
	p.X.Min, p.X.Max = xr.Min, xr.Max
	p.Y.Min, p.Y.Max = yr.Min, yr.Max
	return p
}

// AddPaths draws each series on p as a path: a line through its points
// with a dot at each point and a ring at the first, each series in its own
// colour, named in the legend. Non-finite points break the line, as in
// Lines, and so do points ≤ 0 on an axis of p that is already logarithmic.
func AddPaths(p *plot.Plot, paths ...Series) {
	var dropped droppedPoints
	for i, s := range paths {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plotting: path %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y)))
		}
		col := SeriesColor(i)
		segments, n := drawableSegments(p, s.X, s.Y)
		dropped.add(n)
		line := &plotter.Line{LineStyle: SeriesStyle(i)}
		for j, seg := range segments {
			l, err := plotter.NewLine(seg)
			if err != nil {
				panic("plotting: " + err.Error()) // unreachable: seg is finite
			}
			l.LineStyle = line.LineStyle
			sc, err := plotter.NewScatter(seg)
			if err != nil {
				panic("plotting: " + err.Error())
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
			p.Add(l, sc)
			if j == 0 {
				start, _ := plotter.NewScatter(seg[:1])
				start.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
				p.Add(start)
			}
		}
		if s.Name != "" {
			p.Legend.Add(s.Name, line)
		}
	}
	noteDropped(p, dropped)
}

// AddPoints draws each series on p as unconnected points (a scatter plot):
// filled markers with a white rim, so that they stand out on a colour map,
// each series with its own marker and colour (dark red, dark blue, dark
// green, ...: the first two match the ends of LightDiverging), named in the
// legend. Non-finite points are left out, and so are points ≤ 0 on an
// axis of p that is already logarithmic.
func AddPoints(p *plot.Plot, series ...Series) {
	var dropped droppedPoints
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plotting: points %q have %d x values and %d y values", s.Name, len(s.X), len(s.Y)))
		}
		segments, n := drawableSegments(p, s.X, s.Y)
		dropped.add(n)
		shape := pointShapes[i%len(pointShapes)]
		rim := draw.GlyphStyle{Color: color.White, Radius: vg.Points(3.4), Shape: shape}
		style := draw.GlyphStyle{Color: pointColors[i%len(pointColors)], Radius: vg.Points(2.5), Shape: shape}
		var all plotter.XYs
		for _, seg := range segments {
			all = append(all, seg...)
		}
		if len(all) > 0 {
			under, err := plotter.NewScatter(all)
			if err != nil {
				panic("plotting: " + err.Error()) // unreachable: the points are finite
			}
			under.GlyphStyle = rim
			over, _ := plotter.NewScatter(all)
			over.GlyphStyle = style
			p.Add(under, over)
		}
		if s.Name != "" {
			p.Legend.Add(s.Name, &plotter.Scatter{GlyphStyle: rim}, &plotter.Scatter{GlyphStyle: style})
		}
	}
	noteDropped(p, dropped)
}

// pointColors and pointShapes are the markers of AddPoints, in order.
var (
	pointColors = []color.Color{
		color.RGBA{R: 175, G: 25, B: 25, A: 255},
		color.RGBA{R: 25, G: 55, B: 165, A: 255},
		color.RGBA{R: 20, G: 120, B: 40, A: 255},
		color.RGBA{R: 200, G: 110, B: 0, A: 255},
		color.RGBA{R: 110, G: 40, B: 140, A: 255},
	}
	pointShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}}
)

// LightSequential returns the default palette of Contour: from almost
// white (low values) through light blue to a darker slate blue (high
// values), light enough for the coloured lines and points drawn on top.
func LightSequential() palette.Palette {
	return newRamp(256,
		color.RGBA{R: 255, G: 253, B: 240, A: 255},
		color.RGBA{R: 198, G: 225, B: 240, A: 255},
		color.RGBA{R: 120, G: 150, B: 200, A: 255},
	)
}

// LightDiverging returns a palette from light red through white to light
// blue, for a value whose sign matters, such as the difference between two
// output neurons, where the white middle marks the decision boundary. Set
// ContourStyle.Levels to put the boundary's value in the middle of the
// colour scale.
func LightDiverging() palette.Palette {
	return newRamp(256,
		color.RGBA{R: 235, G: 140, B: 130, A: 255},
		color.RGBA{R: 255, G: 255, B: 255, A: 255},
		color.RGBA{R: 130, G: 165, B: 230, A: 255},
	)
}

// ramp is a palette of colours interpolated linearly between evenly
// spaced stops.
type ramp []color.Color

func (r ramp) Colors() []color.Color { return r }

// newRamp returns n ≥ 2 colours from the first stop to the last.
func newRamp(n int, stops ...color.RGBA) ramp {
	out := make(ramp, n)
	for i := range out {
		t := float64(i) / float64(n-1) * float64(len(stops)-1)
		k := min(int(t), len(stops)-2)
		u := t - float64(k)
		a, b := stops[k], stops[k+1]
		mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
		out[i] = color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 255}
	}
	return out
}

// grid is f sampled at the centres of nx × ny equal cells covering a
// rectangle. It implements plotter.GridXYZ.
type grid struct {
	x, y []float64
	z    []float64 // z[r*len(x)+c] = f(x[c], y[r])
}

func (g grid) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g grid) Z(c, r int) float64 { return g.z[r*len(g.x)+c] }
func (g grid) X(c int) float64    { return g.x[c] }
func (g grid) Y(r int) float64    { return g.y[r] }

// cellCentres returns the centres of r.N (DefaultGrid if zero) equal cells
// covering [r.Min, r.Max].
func cellCentres(r Range, axis string) []float64 {
	n := r.N
	if n == 0 {
		n = DefaultGrid
	}
	if !(r.Min < r.Max) || n < 2 {
		panic(fmt.Sprintf("plotting: invalid %s range [%v, %v] with %d samples", axis, r.Min, r.Max, r.N))
	}
	c := make([]float64, n)
	w := (r.Max - r.Min) / float64(n)
	for i := range c {
		c[i] = r.Min + (float64(i)+0.5)*w
	}
	return c
}

func sampleGrid(f func(x, y float64) float64, xr, yr Range) grid {
	g := grid{x: cellCentres(xr, "x"), y: cellCentres(yr, "y")}
	g.z = make([]float64, len(g.x)*len(g.y))
	for r, y := range g.y {
		for c, x := range g.x {
			g.z[r*len(g.x)+c] = f(x, y)
		}
	}
	return g
}

// finiteRange returns the smallest and largest finite values of z; ok is
// false when there are none.
func finiteRange(z []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range z {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, lo <= hi
}

// quantileLevels returns n levels at the quantiles (i+0.5)/n of the finite
// values of z, without repeats.
func quantileLevels(z []float64, n int) []float64 {
	var v []float64
	for _, x := range z {
		if isFinite(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return nil
	}
	slices.Sort(v)
	levels := make([]float64, 0, n)
	for i := range n {
		q := v[int((float64(i)+0.5)/float64(n)*float64(len(v)-1)+0.5)]
		if len(levels) == 0 || q > levels[len(levels)-1] {
			levels = append(levels, q)
		}
	}
	return levels
}

// colourStops returns the increasing values that shade maps to evenly
// spaced points of the palette: lo, the levels strictly between lo and hi,
// and hi.
func colourStops(lo, hi float64, levels []float64) []float64 {
	stops := []float64{lo}
	for _, l := range levels {
		if l > stops[len(stops)-1] && l < hi {
			stops = append(stops, l)
		}
	}
	if hi > stops[len(stops)-1] {
		stops = append(stops, hi)
	}
	return stops
}

// shade maps v to [0, 1], piecewise linearly through the stops: stop k of
// n+1 goes to k/n. NaN stays NaN; a single stop maps everything to ½.
func shade(v float64, stops []float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	n := len(stops) - 1
	if n == 0 {
		return 0.5
	}
	if v <= stops[0] {
		return 0
	}
	if v >= stops[n] {
		return 1
	}
	k, _ := slices.BinarySearch(stops, v) // stops[k-1] < v ≤ stops[k]
	lo, hi := stops[k-1], stops[k]
	return (float64(k-1) + (v-lo)/(hi-lo)) / float64(n)
}

// contourLines draws the contour lines of a grid by marching squares:
// each grid cell whose corners lie on both sides of a level gets one
// segment (two at a saddle, chosen by the mean of the corners) between the
// points where linear interpolation along its edges crosses the level.
//
// It replaces gonum's plotter.Contour, whose joining of segments into
// paths can loop forever on some grids (in its loop excision); drawing
// the segments one by one cannot, and looks the same at figure sizes.
type contourLines struct {
	g      grid
	levels []float64
	style  draw.LineStyle
}

// Plot implements plot.Plotter.
func (cl contourLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var lines [][]vg.Point
	add := func(a, b [2]float64) {
		lines = append(lines, []vg.Point{{X: trX(a[0]), Y: trY(a[1])}, {X: trX(b[0]), Y: trY(b[1])}})
	}
	for _, l := range cl.levels {
		for _, seg := range cl.g.segments(l) {
			add(seg[0], seg[1])
		}
	}
	c.StrokeLines(cl.style, c.ClipLinesXY(lines...)...)
}

// segments returns the contour segments of the grid at level l, as pairs
// of (x, y) points. Cells with a non-finite corner are skipped.
func (g grid) segments(l float64) [][2][2]float64 {
	var segs [][2][2]float64
	nc, nr := g.Dims()
	for r := 0; r+1 < nr; r++ {
		for c := 0; c+1 < nc; c++ {
			// Corners counter-clockwise from the bottom left: (c,r), (c+1,r), (c+1,r+1), (c,r+1).
			x := [4]float64{g.x[c], g.x[c+1], g.x[c+1], g.x[c]}
			y := [4]float64{g.y[r], g.y[r], g.y[r+1], g.y[r+1]}
			v := [4]float64{g.Z(c, r), g.Z(c+1, r), g.Z(c+1, r+1), g.Z(c, r+1)}
			if !isFinite(v[0]) || !isFinite(v[1]) || !isFinite(v[2]) || !isFinite(v[3]) {
				continue
			}
			var above [4]bool
			for k := range v {
				above[k] = v[k] >= l
			}
			// Crossing points on the edges k → k+1 (bottom, right, top, left).
			var cross [][2]float64
			for k := range 4 {
				j := (k + 1) % 4
				if above[k] != above[j] {
					t := (l - v[k]) / (v[j] - v[k]) // v[j] ≠ v[k]: one is ≥ l, the other < l
					cross = append(cross, [2]float64{x[k] + t*(x[j]-x[k]), y[k] + t*(y[j]-y[k])})
				}
			}
			switch len(cross) {
			case 2:
				segs = append(segs, [2][2]float64{cross[0], cross[1]})
			case 4:
				// A saddle: corners 0 and 2 are on one side, 1 and 3 on the
				// other. If the centre is on the side of corners 0 and 2,
				// they are joined through it and the lines cut off corners
				// 1 (edges 0, 1) and 3 (edges 2, 3); otherwise they cut off
				// corners 0 (edges 3, 0) and 2 (edges 1, 2).
				centre := (v[0]+v[1]+v[2]+v[3])/4 >= l
				if centre == above[0] {
					segs = append(segs, [2][2]float64{cross[0], cross[1]}, [2][2]float64{cross[2], cross[3]})
				} else {
					segs = append(segs, [2][2]float64{cross[3], cross[0]}, [2][2]float64{cross[1], cross[2]})
				}
			}
		}
	}
	return segs
}

// shadeGrid is a grid whose values are shaded into [0, 1]; infinite values
// become NaN, so that the heat map leaves them blank.
type shadeGrid struct {
	grid
	stops []float64
}

func (s shadeGrid) Z(c, r int) float64 {
	v := s.grid.Z(c, r)
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return shade(v, s.stops)
}
func (s shadeGrid) Min() float64 { return 0 }
func (s shadeGrid) Max() float64 { return 1 }
