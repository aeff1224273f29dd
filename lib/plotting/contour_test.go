package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestShade(t *testing.T) {
	stops := []float64{0, 1, 10}
	for _, tc := range []struct {
		v, want float64
	}{
		{-5, 0}, {0, 0}, {0.5, 0.25}, {1, 0.5}, {5.5, 0.75}, {10, 1}, {99, 1},
	} {
		if got := shade(tc.v, stops); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("shade(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
	if got := shade(math.NaN(), stops); !math.IsNaN(got) {
		t.Errorf("shade(NaN) = %v, want NaN", got)
	}
	if got := shade(3, []float64{2}); got != 0.5 {
		t.Errorf("shade with one stop = %v, want 0.5", got)
	}
}

func TestColourStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lo, hi float64
		levels []float64
		want   []float64
	}{
		{"levels inside", 0, 1, []float64{0.25, 0.5}, []float64{0, 0.25, 0.5, 1}},
		{"levels outside dropped", 0, 1, []float64{-1, 0, 0.5, 1, 2}, []float64{0, 0.5, 1}},
		{"no levels", -2, 3, nil, []float64{-2, 3}},
		{"constant", 4, 4, []float64{4}, []float64{4}},
	} {
		got := colourStops(tc.lo, tc.hi, tc.levels)
		if !equalFloats(got, tc.want) {
			t.Errorf("%s: colourStops = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestQuantileLevels(t *testing.T) {
	z := make([]float64, 101)
	for i := range z {
		z[i] = float64(i * i) // spans four decades: quantiles are not evenly spaced values
	}
	z = append(z, math.NaN(), math.Inf(1))
	got := quantileLevels(z, 4)
	// Quantiles (i+½)/4 of 0..100 are the values at 12.5→13, 37.5→38, 62.5→63, 87.5→88.
	want := []float64{13 * 13, 38 * 38, 63 * 63, 88 * 88}
	if !equalFloats(got, want) {
		t.Errorf("quantileLevels = %v, want %v", got, want)
	}
	if got := quantileLevels([]float64{3, 3, 3}, 5); !equalFloats(got, []float64{3}) {
		t.Errorf("constant values give levels %v, want [3]", got)
	}
	if got := quantileLevels([]float64{math.NaN()}, 5); got != nil {
		t.Errorf("no finite values give levels %v, want nil", got)
	}
}

func TestCellCentres(t *testing.T) {
	got := cellCentres(Range{Min: 0, Max: 1, N: 4}, "x")
	if !equalFloats(got, []float64{0.125, 0.375, 0.625, 0.875}) {
		t.Errorf("cell centres %v", got)
	}
	if n := len(cellCentres(Range{Min: -1, Max: 1}, "x")); n != DefaultGrid {
		t.Errorf("N zero gives %d points, want %d", n, DefaultGrid)
	}
	for _, r := range []Range{{Min: 1, Max: 1}, {Min: 2, Max: 1}, {Min: 0, Max: 1, N: 1}} {
		expectPanic(t, fmt.Sprintf("range %+v", r), "invalid x range", func() { cellCentres(r, "x") })
	}
}

func TestSampleGridLayout(t *testing.T) {
	g := sampleGrid(func(x, y float64) float64 { return 10*x + y }, Range{Min: 0, Max: 2, N: 2}, Range{Min: 0, Max: 3, N: 3})
	if c, r := g.Dims(); c != 2 || r != 3 {
		t.Fatalf("dims %d×%d, want 2 columns × 3 rows", c, r)
	}
	// Cell centres: x = 0.5, 1.5; y = 0.5, 1.5, 2.5.
	if got := g.Z(1, 2); got != 10*1.5+2.5 {
		t.Errorf("Z(1, 2) = %v, want f(1.5, 2.5) = 17.5", got)
	}
	if g.X(1) != 1.5 || g.Y(2) != 2.5 {
		t.Errorf("X(1) = %v, Y(2) = %v", g.X(1), g.Y(2))
	}
}

// renderRGBA renders a figure and decodes it.
func renderRGBA(t *testing.T, d Drawer) image.Image {
	t.Helper()
	return renderImage(t, d, 0, 0)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 65535
}

func TestContourShadesLowLightHighDark(t *testing.T) {
	// f grows from left to right: the left of the plotting area must be
	// lighter than the right.
	p := Contour(Config{Title: "x"}, func(x, y float64) float64 { return x }, Range{Min: 0, Max: 1}, Range{Min: 0, Max: 1})
	img := renderRGBA(t, p)
	b := img.Bounds()
	y := b.Min.Y + b.Dy()/2
	// Sample inside the plotting area, away from the axes and the title.
	left := luminance(img.At(b.Min.X+b.Dx()*25/100, y))
	right := luminance(img.At(b.Min.X+b.Dx()*90/100, y))
	if !(left > right+0.2) {
		t.Errorf("left luminance %.2f, right %.2f: want the low values clearly lighter", left, right)
	}
}

func TestContourAxesSpanRanges(t *testing.T) {
	// A diverging path far outside the window must not widen the axes.
	path := Series{Name: "diverging", X: []float64{0, 5, -50, 500}, Y: []float64{0, -5, 50, math.Inf(1)}}
	p := Contour(Config{}, func(x, y float64) float64 { return x*x + y*y }, Range{Min: -2, Max: 3}, Range{Min: -1, Max: 1}, path)
	if p.X.Min != -2 || p.X.Max != 3 || p.Y.Min != -1 || p.Y.Max != 1 {
		t.Errorf("axes [%v, %v] × [%v, %v], want [-2, 3] × [-1, 1]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if !strings.Contains(p.Title.Text, "1 NaN/Inf point not drawn") {
		t.Errorf("title %q does not note the dropped point", p.Title.Text)
	}
	renderRGBA(t, p)
}

func TestContourWithLevelsAndNonFinite(t *testing.T) {
	// log of a function that is ≤ 0 on part of the window: NaN and −Inf values.
	f := func(x, y float64) float64 { return math.Log(x) }
	p := ContourWith(Config{}, ContourStyle{Levels: []float64{0.5, -1, 0}, Palette: LightDiverging()},
		f, Range{Min: -1, Max: 2, N: 30}, Range{Min: 0, Max: 1, N: 10})
	renderRGBA(t, p)
	// All values non-finite: nothing to shade, but the figure still renders.
	p = Contour(Config{}, func(x, y float64) float64 { return math.NaN() }, Range{Min: 0, Max: 1}, Range{Min: 0, Max: 1})
	renderRGBA(t, p)
}

func TestContourPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"nil function": func() { Contour(Config{}, nil, Range{Min: 0, Max: 1}, Range{Min: 0, Max: 1}) },
		"empty range": func() {
			Contour(Config{}, func(x, y float64) float64 { return 0 }, Range{Min: 1, Max: 0}, Range{Min: 0, Max: 1})
		},
		"path lengths": func() {
			Contour(Config{}, func(x, y float64) float64 { return 0 }, Range{Min: 0, Max: 1}, Range{Min: 0, Max: 1},
				Series{X: []float64{1}, Y: nil})
		},
	} {
		expectPanic(t, name, "", f)
	}
}

func TestAddPointsAndPathsLegend(t *testing.T) {
	p := newPlot(Config{})
	AddPoints(p, Series{Name: "class 0", X: []float64{0, 1}, Y: []float64{0, math.NaN()}}, Series{Name: "class 1", X: []float64{2}, Y: []float64{2}}, Series{X: []float64{3}, Y: []float64{3}})
	AddPaths(p, Series{Name: "η = 0.1", X: []float64{0, 1, 2}, Y: []float64{0, 1, 0}})
	// The legend holds exactly three entries: unnamed series have none.
	c := draw.New(vgimg.New(DefaultWidth, DefaultHeight))
	want := newPlot(Config{})
	for _, name := range []string{"a", "b", "c"} {
		want.Legend.Add(name, &plotter.Line{})
	}
	if got, exp := p.Legend.Rectangle(c).Size().Y, want.Legend.Rectangle(c).Size().Y; got != exp {
		t.Errorf("legend height %v, want %v (three entries)", got, exp)
	}
	if !strings.Contains(p.Title.Text, "1 NaN/Inf point not drawn") {
		t.Errorf("title %q does not note the dropped point", p.Title.Text)
	}
	renderRGBA(t, p)
}

func TestRampPalettes(t *testing.T) {
	for name, pal := range map[string][]color.Color{"sequential": LightSequential().Colors(), "diverging": LightDiverging().Colors()} {
		if len(pal) != 256 {
			t.Errorf("%s: %d colours, want 256", name, len(pal))
		}
	}
	div := LightDiverging().Colors()
	if mid := color.RGBAModel.Convert(div[128]).(color.RGBA); mid.R < 250 || mid.G < 250 || mid.B < 250 {
		t.Errorf("diverging palette's middle %v is not white", mid)
	}
	seq := LightSequential().Colors()
	if !(luminance(seq[0]) > luminance(seq[255])+0.2) {
		t.Error("sequential palette does not darken from low to high")
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestContourSymmetric(t *testing.T) {
	// f ranges over [1, 3]: with Symmetric the scale runs from −3 to 3, so
	// the whole window lies in the upper (blue) half of the diverging
	// palette; without it the left edge is the palette's red end.
	f := func(x, y float64) float64 { return x }
	xr, yr := Range{Min: 1, Max: 3}, Range{Min: 0, Max: 1}
	isRed := func(c color.Color) bool {
		r, _, b, _ := c.RGBA()
		return r > b+0x1000
	}
	for _, tc := range []struct {
		symmetric bool
		wantRed   bool
	}{{false, true}, {true, false}} {
		p := ContourWith(Config{}, ContourStyle{Palette: LightDiverging(), Levels: []float64{}, Symmetric: tc.symmetric}, f, xr, yr)
		img := renderRGBA(t, p)
		b := img.Bounds()
		left := img.At(b.Min.X+b.Dx()*12/100, b.Min.Y+b.Dy()/2)
		if isRed(left) != tc.wantRed {
			t.Errorf("Symmetric %v: left edge colour %v, want red %v", tc.symmetric, left, tc.wantRed)
		}
	}
}

func TestContourLevelOnGridValues(t *testing.T) {
	// gonum's contour tracer can loop forever when grid values equal a
	// level exactly, which quantile levels always do; Contour must not.
	f := func(x, y float64) float64 { u := x*x - 1; return u*u + 0.3*x + (y-x/2)*(y-x/2) }
	done := make(chan struct{})
	go func() {
		defer close(done)
		renderRGBA(t, Contour(Config{}, f, Range{Min: -2, Max: 2}, Range{Min: -1.5, Max: 1.5}))
		// A level that many grid values hit exactly.
		renderRGBA(t, ContourWith(Config{}, ContourStyle{Levels: []float64{0.5}}, func(x, y float64) float64 { return math.Round(x) / 2 },
			Range{Min: -2, Max: 2, N: 40}, Range{Min: 0, Max: 1, N: 10}))
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("drawing the contour lines did not finish in 20 s")
	}
}

func TestGridSegments(t *testing.T) {
	// One cell with corners (0,0), (1,0), (1,1), (0,1).
	cell := func(v00, v10, v11, v01 float64) grid {
		return grid{x: []float64{0, 1}, y: []float64{0, 1}, z: []float64{v00, v10, v01, v11}}
	}
	near := func(a, b [2]float64) bool { return math.Abs(a[0]-b[0]) < 1e-12 && math.Abs(a[1]-b[1]) < 1e-12 }
	sameSeg := func(s [2][2]float64, a, b [2]float64) bool {
		return (near(s[0], a) && near(s[1], b)) || (near(s[0], b) && near(s[1], a))
	}
	for _, tc := range []struct {
		name  string
		g     grid
		level float64
		want  [][2][2]float64
	}{
		{"f = x at 0.25: a vertical segment", cell(0, 1, 1, 0), 0.25, [][2][2]float64{{{0.25, 0}, {0.25, 1}}}},
		{"f = y at 0.5: a horizontal segment", cell(0, 0, 1, 1), 0.5, [][2][2]float64{{{0, 0.5}, {1, 0.5}}}},
		{"corner cut", cell(1, 0, 0, 0), 0.5, [][2][2]float64{{{0.5, 0}, {0, 0.5}}}},
		{"level above everything", cell(0, 1, 1, 0), 2, nil},
		{"saddle, centre high: cut corners 1 and 3", cell(1, 0, 1, 0), 0.4,
			[][2][2]float64{{{0.6, 0}, {1, 0.4}}, {{0.4, 1}, {0, 0.6}}}},
		{"saddle, centre low: cut corners 0 and 2", cell(1, 0, 1, 0), 0.6,
			[][2][2]float64{{{0, 0.4}, {0.4, 0}}, {{1, 0.6}, {0.6, 1}}}},
		{"non-finite corner skipped", cell(0, 1, math.NaN(), 0), 0.5, nil},
		{"value on the level counts as above", cell(0.5, 0, 0, 0), 0.5, [][2][2]float64{{{0, 0}, {0, 0}}}},
	} {
		got := tc.g.segments(tc.level)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d segments %v, want %v", tc.name, len(got), got, tc.want)
			continue
		}
		for i := range got {
			if !sameSeg(got[i], tc.want[i][0], tc.want[i][1]) {
				t.Errorf("%s: segment %d is %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

// A vertical line spans the y range of the data drawn before it, at its x,
// without widening either range, and adds one legend entry.
func TestAddVerticalLine(t *testing.T) {
	p := Lines(Config{}, Series{Name: "data", X: []float64{0, 1}, Y: []float64{-1, 3}})
	x0, x1, y0, y1 := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
	AddVerticalLine(p, 0.4, "threshold")
	if p.X.Min != x0 || p.X.Max != x1 || p.Y.Min != y0 || p.Y.Max != y1 {
		t.Errorf("ranges moved: x [%v, %v] → [%v, %v], y [%v, %v] → [%v, %v]", x0, x1, p.X.Min, p.X.Max, y0, y1, p.Y.Min, p.Y.Max)
	}
	c := draw.New(vgimg.New(DefaultWidth, DefaultHeight))
	want := Lines(Config{}, Series{Name: "data", X: []float64{0, 1}, Y: []float64{-1, 3}})
	want.Legend.Add("b", &plotter.Line{})
	if got, exp := p.Legend.Rectangle(c).Size().Y, want.Legend.Rectangle(c).Size().Y; got != exp {
		t.Errorf("legend height %v, want %v (two entries)", got, exp)
	}
	AddVerticalLine(p, 2, "") // outside the range so far: it widens x
	if p.X.Max != 2 {
		t.Errorf("x range ends at %v, want 2", p.X.Max)
	}
	expectPanic(t, "a vertical line at NaN", "vertical line at NaN", func() { AddVerticalLine(p, math.NaN(), "x") })
}
