package plotting

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// layoutOf draws f as PNG would at w × h and returns the layout of its
// panels, row by row.
func layoutOf(t *testing.T, f Drawer, w, h vg.Length) [][]*panelLayout {
	t.Helper()
	w, h, _ = defaults(w, h, 0)
	c := draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	if err := fixRanges(f); err != nil {
		t.Fatal(err)
	}
	switch f := f.(type) {
	case *plot.Plot:
		return [][]*panelLayout{{drawPlot(f, c)}}
	case Grid:
		return f.draw(c)
	}
	t.Fatalf("cannot lay out a %T", f)
	return nil
}

// canvasPoint maps the data point (x, y) of p to the data area of its layout.
func canvasPoint(p *plot.Plot, data draw.Canvas, x, y float64) vg.Point {
	return vg.Point{X: data.X(p.X.Norm(x)), Y: data.Y(p.Y.Norm(y))}
}

func inside(pt vg.Point, r vg.Rectangle) bool {
	return pt.X >= r.Min.X && pt.X <= r.Max.X && pt.Y >= r.Min.Y && pt.Y <= r.Max.Y
}

func linspace(lo, hi float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return x
}

func seriesOf(name string, x []float64, f func(float64) float64) Series {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = f(v)
	}
	return Series{Name: name, X: x, Y: y}
}

// TestLegendOffTheData draws fixture figures whose data fill the corner
// their legend asks for (or every corner) and checks that no data point,
// and no point of the lines between them (sampled 50 times per segment),
// lies in the legend's box, and that the box lies in the figure.
func TestLegendOffTheData(t *testing.T) {
	x := linspace(0, 3, 40)
	m := []float64{1, 2, 5, 10, 20, 50, 100}
	epochs := []float64{1, 2}
	var optimizers []Series
	for i, name := range []string{"SGD η=0.5", "momentum η=0.05 β=0.9", "Nesterov η=0.05 β=0.9", "RMSprop η=0.001", "Adam η=0.001", "AdamW η=0.001 λ=0.01"} {
		optimizers = append(optimizers, Series{Name: name, X: epochs, Y: []float64{1.3 + 0.2*float64(i), 0.9 + 0.25*float64(i)}})
	}
	type fixture struct {
		name    string
		fig     func() (Drawer, [][]Series)
		outside bool // the legend must go outside: data in every corner
	}
	fixtures := []fixture{
		{"curve through the top right, legend asked there", func() (Drawer, [][]Series) {
			s := []Series{seriesOf("eˣ", x, math.Exp), seriesOf("1 + x", x, func(v float64) float64 { return 1 + v })}
			return Lines(Config{Title: "exp", Legend: TopRight}, s...), [][]Series{s}
		}, false},
		{"curve through the top left, legend asked there", func() (Drawer, [][]Series) {
			s := []Series{seriesOf("e⁻ˣ", x, func(v float64) float64 { return math.Exp(-v) })}
			return Lines(Config{Legend: TopLeft}, s...), [][]Series{s}
		}, false},
		{"rising line under a bottom-right legend", func() (Drawer, [][]Series) {
			s := []Series{seriesOf("accuracy", x, func(v float64) float64 { return 90 + 3*v })}
			return Lines(Config{Legend: BottomRight}, s...), [][]Series{s}
		}, false},
		{"02's minibatch error, log-log", func() (Drawer, [][]Series) {
			s := []Series{seriesOf("(N−m)/(N−1) · s²/m", m, func(v float64) float64 { return 0.6 / v })}
			p := Lines(Config{Title: "Squared error of the minibatch gradient", XLabel: "minibatch size m", YLabel: "mean squared error of the minibatch gradient", Legend: TopRight, LogX: true, LogY: true}, s...)
			AddPoints(p, Series{Name: "mean over 200 random minibatches", X: m, Y: s[0].Y})
			return p, [][]Series{append(s, Series{X: m, Y: s[0].Y})}
		}, false},
		{"oscillations through every corner", func() (Drawer, [][]Series) {
			s := []Series{seriesOf("sin x", linspace(0, 30, 300), math.Sin), seriesOf("cos x", linspace(0, 30, 300), math.Cos)}
			return Lines(Config{Title: "busy", Legend: TopLeft}, s...), [][]Series{s}
		}, true},
		{"04_4's six optimizers, a row of two panels", func() (Drawer, [][]Series) {
			a := Lines(Config{Title: "validation cost against epochs", XLabel: "epoch", YLabel: "validation cost", Legend: TopRight, LogY: true}, optimizers...)
			b := Lines(Config{Title: "validation cost against training time", XLabel: "seconds of training", YLabel: "validation cost", Legend: TopRight, LogY: true}, optimizers...)
			return Row(a, b), [][]Series{optimizers, optimizers}
		}, false},
	}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			f, series := fx.fig()
			w, h := vg.Length(0), vg.Length(0)
			if g, ok := f.(Grid); ok {
				w, h = g.Size()
			}
			layout := layoutOf(t, f, w, h)
			w, h, _ = defaults(w, h, 0)
			figure := vg.Rectangle{Max: vg.Point{X: w, Y: h}}
			k := 0
			for _, row := range layout {
				for _, lay := range row {
					r := lay.legend.rect
					if r.Size().X <= 0 || r.Size().Y <= 0 {
						t.Fatalf("panel %d: no legend drawn", k)
					}
					if !inside(r.Min, figure) || !inside(r.Max, figure) {
						t.Errorf("panel %d: legend %v outside the figure %v", k, r, figure)
					}
					if fx.outside && !lay.legend.outside {
						t.Errorf("panel %d: legend inside the data area, at %v, where every corner has data", k, r)
					}
					for _, s := range series[k] {
						var prev vg.Point
						for i := range s.X {
							pt := canvasPoint(lay.plot, lay.data, s.X[i], s.Y[i])
							if inside(pt, r) {
								t.Errorf("panel %d: point (%v, %v) of %q under the legend %v", k, s.X[i], s.Y[i], s.Name, r)
							}
							if i > 0 {
								for j := 1; j < 50; j++ {
									f := vg.Length(j) / 50
									q := vg.Point{X: prev.X + f*(pt.X-prev.X), Y: prev.Y + f*(pt.Y-prev.Y)}
									if inside(q, r) {
										t.Errorf("panel %d: line %q between points %d and %d passes under the legend %v", k, s.Name, i-1, i, r)
										break
									}
								}
							}
							prev = pt
						}
					}
					k++
				}
			}
		})
	}
}

// TestLegendKeepsItsCorner checks that a legend whose corner is free stays
// there.
func TestLegendKeepsItsCorner(t *testing.T) {
	x := linspace(0, 1, 20)
	rising := seriesOf("x", x, func(v float64) float64 { return v })
	for _, tc := range []struct {
		corner Corner
		left   bool
	}{{TopLeft, true}, {BottomRight, false}} {
		lay := layoutOf(t, Lines(Config{Legend: tc.corner}, rising), 0, 0)[0][0]
		r, d := lay.legend.rect, lay.data.Rectangle
		top := d.Max.Y-r.Max.Y < r.Min.Y-d.Min.Y
		if lay.legend.outside || lay.legend.left != tc.left || top != (tc.corner == TopLeft) {
			t.Errorf("corner %v: legend at %v in the data area %v (outside %v)", tc.corner, r, d, lay.legend.outside)
		}
	}
}

// courseLabels returns the axis labels and titles written in the
// notebooks and in package nb, and their translations in nb's catalogs
// (nb/i18n_*.go, read with go/parser: this package does not import nb),
// with the verbs of fmt.Sprintf formats filled in with wide values.
func courseLabels(t *testing.T) (xLabels, yLabels, titles []string) {
	t.Helper()
	var sources []string
	nbs, _ := filepath.Glob("../../notebooks/*.ipynb")
	for _, path := range nbs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cells []struct {
				Source json.RawMessage `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, c := range doc.Cells {
			var lines []string
			if json.Unmarshal(c.Source, &lines) != nil {
				var one string
				_ = json.Unmarshal(c.Source, &one)
				lines = []string{one}
			}
			sources = append(sources, strings.Join(lines, ""))
		}
	}
	gos, _ := filepath.Glob("../../nb/*.go")
	for _, path := range gos {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	if len(nbs) == 0 || len(gos) == 0 {
		t.Fatalf("found %d notebooks and %d Go files of nb", len(nbs), len(gos))
	}
	translations := catalogs(t)
	re := regexp.MustCompile(`(XLabel|YLabel|Title):\s*(?:fmt\.Sprintf\(|(?:nb\.)?Tf?\()?("(?:[^"\\]|\\.)*")`)
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	seen := map[string]bool{}
	for _, src := range sources {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			en, err := strconv.Unquote(m[2])
			if err != nil || en == "" {
				continue
			}
			for _, s := range append([]string{en}, translations[en]...) {
				if seen[m[1]+s] {
					continue
				}
				seen[m[1]+s] = true
				s = verbs.ReplaceAllString(s, "0.0001")
				switch m[1] {
				case "XLabel":
					xLabels = append(xLabels, s)
				case "YLabel":
					yLabels = append(yLabels, s)
				default:
					titles = append(titles, s)
				}
			}
		}
	}
	return xLabels, yLabels, titles
}

// catalogs returns the translations of every English text in the
// catalogs of package nb (the map literals of nb/i18n_*.go).
func catalogs(t *testing.T) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob("../../nb/i18n_*.go")
	if len(files) == 0 {
		t.Fatal("no catalogs nb/i18n_*.go")
	}
	out := map[string][]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			k, ok1 := kv.Key.(*ast.BasicLit)
			v, ok2 := kv.Value.(*ast.BasicLit)
			if ok1 && ok2 && k.Kind == token.STRING && v.Kind == token.STRING {
				en, err1 := strconv.Unquote(k.Value)
				tr, err2 := strconv.Unquote(v.Value)
				if err1 == nil && err2 == nil {
					out[en] = append(out[en], tr)
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatalf("no translations found in %v", files)
	}
	return out
}

// TestLabelsFitTheirAxes lays out a figure for every axis label and title
// of the notebooks, alone at the default size and as the first panel of
// rows of two and three, and checks that each label is no wider than its
// axis (a title than its panel) in the font it is drawn in, and that this
// font prints at MinPrintedText or more.
func TestLabelsFitTheirAxes(t *testing.T) {
	xLabels, yLabels, titles := courseLabels(t)
	long := "mean squared error of the minibatch gradient"
	if !containsString(yLabels, long) {
		t.Fatalf("02's long y label is not among the %d y labels found", len(yLabels))
	}
	for _, tr := range catalogs(t)[long] {
		if !containsString(yLabels, tr) {
			t.Fatalf("the translation %q of 02's long y label is not among the %d y labels found", tr, len(yLabels))
		}
	}
	t.Logf("%d x labels, %d y labels, %d titles", len(xLabels), len(yLabels), len(titles))
	x := []float64{0.001, 1, 10, 1000}
	n := max(len(xLabels), len(yLabels), len(titles))
	for panels := 1; panels <= 3; panels++ {
		for i := range n {
			cfg := Config{XLabel: xLabels[i%len(xLabels)], YLabel: yLabels[i%len(yLabels)], Title: titles[i%len(titles)]}
			p := Lines(cfg, Series{Name: "a", X: x, Y: x})
			var f Drawer = p
			var w vg.Length
			if panels > 1 {
				g := Grid{{p}}
				for range panels - 1 {
					g[0] = append(g[0], Lines(Config{}, Series{X: x, Y: x}))
				}
				f = g
				w, _ = g.Size()
			}
			lay := layoutOf(t, f, w, 0)[0][0]
			if w == 0 {
				w = DefaultWidth
			}
			q, data := lay.plot, lay.data
			for _, l := range []struct {
				what   string
				text   string
				style  *plot.Axis
				length vg.Length
			}{
				{"x label", q.X.Label.Text, &q.X, data.Size().X},
				{"y label", q.Y.Label.Text, &q.Y, data.Size().Y},
			} {
				if got := l.style.Label.TextStyle.Width(l.text); got > l.length {
					t.Errorf("%d panels: %s %q is %.0f pt wide, its axis %.0f pt", panels, l.what, l.text, got.Points(), l.length.Points())
				}
				if size := PrintedSize(l.style.Label.TextStyle.Font.Size, w); size < MinPrintedText-1e-9 {
					t.Errorf("%d panels: %s %q prints at %.1f pt", panels, l.what, l.text, size.Points())
				}
			}
			if got, room := q.Title.TextStyle.Width(q.Title.Text), w/vg.Length(panels); got > room {
				t.Errorf("%d panels: title %q is %.0f pt wide, its panel %.0f pt", panels, q.Title.Text, got.Points(), room.Points())
			}
		}
	}
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestFitTextWrapsLongLabels checks fitText on 02's y label: wrapped into
// two balanced lines at 12 pt when that fits, shrunk no further than the
// minimum.
func TestFitTextWrapsLongLabels(t *testing.T) {
	const label = "mean squared error of the minibatch gradient"
	style := New().Y.Label.TextStyle
	style.Font.Size = 12
	w1 := style.Width(label)
	w2 := style.Width(balancedLines(strings.Fields(label), 2, &style))
	w3 := style.Width(balancedLines(strings.Fields(label), 3, &style))
	if !(w3 < w2 && w2 < w1/2+style.Width("minibatch")) {
		t.Fatalf("widths in 1, 2, 3 lines: %v, %v, %v", w1, w2, w3)
	}
	for _, tc := range []struct {
		length    vg.Length
		wantLines int
		wantSize  vg.Length
	}{
		{w1, 1, 12},
		{w1 - 1, 2, 12},
		{w2, 2, 12},
		{w2 - 1, 3, 12},
		{w3 / 2, 3, 8}, // would need 6 pt
	} {
		p := New()
		txt, style := label, p.Y.Label.TextStyle
		style.Font.Size = 12
		fitText(&txt, &style, tc.length, 8)
		if lines := strings.Count(txt, "\n") + 1; lines != tc.wantLines || style.Font.Size != tc.wantSize {
			t.Errorf("axis of %v pt: %d lines at %v pt (%q), want %d lines at %v pt", tc.length, lines, style.Font.Size, txt, tc.wantLines, tc.wantSize)
		}
		if strings.ReplaceAll(txt, "\n", " ") != label {
			t.Errorf("axis of %v pt: text changed to %q", tc.length, txt)
		}
		if tc.wantSize == 12 && style.Width(txt) > tc.length {
			t.Errorf("axis of %v pt: %q is %v wide", tc.length, txt, style.Width(txt))
		}
	}
}

// TestPrintScale checks the printed size of the figures' text: the PDF's
// output area is 161 mm wide, a figure w points wide is shown w/72·96 CSS pixels
// wide and printed at 96 CSS pixels per inch.
func TestPrintScale(t *testing.T) {
	for _, tc := range []struct {
		w    vg.Length
		want float64
	}{
		{DefaultWidth, 1},                 // 152 mm
		{161 * vg.Millimeter, 1},          // exactly the column
		{2 * DefaultWidth, 161.0 / 304.8}, // a row of two panels, 12 in
		{20 * vg.Inch, 161.0 / 508},
	} {
		if got := PrintScale(tc.w); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("PrintScale(%.1f mm) = %v, want %v", tc.w/vg.Millimeter, got, tc.want)
		}
		// The CSS pixels of PixelSize at 96 per inch give the same width in mm.
		wPx, _ := PixelSize(tc.w, 0)
		if mm := float64(wPx) / 96 * 25.4; math.Abs(mm-float64(tc.w/vg.Millimeter)) > 0.3 {
			t.Errorf("%.1f mm wide shown %d px = %.1f mm", tc.w/vg.Millimeter, wPx, mm)
		}
	}
	if got := PrintedSize(10, 2*DefaultWidth); math.Abs(float64(got)-10*161/304.8) > 1e-9 {
		t.Errorf("PrintedSize(10 pt, 12 in) = %v", got)
	}
}

// TestTextPrintsLargeEnough lays out figures of one to four panels and
// checks that every text of every panel, title, labels, ticks and legend,
// prints at MinPrintedText or more.
func TestTextPrintsLargeEnough(t *testing.T) {
	x := []float64{1, 2, 3}
	panel := func() *plot.Plot {
		return Lines(Config{Title: "t", XLabel: "x", YLabel: "y"}, Series{Name: "s", X: x, Y: x})
	}
	for _, g := range []Grid{{{panel()}}, Row(panel(), panel()), Row(panel(), panel(), panel()), {{panel(), panel()}, {panel(), panel()}}} {
		w, h := g.Size()
		var figs []Drawer
		if len(g) == 1 && len(g[0]) == 1 {
			figs = append(figs, g[0][0]) // as a single figure too
			w, h = 0, 0
		} else {
			figs = append(figs, g)
		}
		for _, f := range figs {
			layout := layoutOf(t, f, w, h)
			fw, _, _ := defaults(w, h, 0)
			for _, row := range layout {
				for _, lay := range row {
					for i, s := range textStyles(lay.plot) {
						if got := PrintedSize(s.Font.Size, fw); got < MinPrintedText-1e-9 {
							t.Errorf("%d × %d panels, %.0f pt wide: text %d of size %.1f prints at %.2f pt", len(g), len(g[0]), fw.Points(), i, s.Font.Size.Points(), got.Points())
						}
					}
				}
			}
		}
	}
}

// TestDataMargin checks where the ends of the data lie on the axes: 4 %
// in from each end for Lines (log axes too), none below a histogram's
// bars, none around a contour's colour map.
func TestDataMargin(t *testing.T) {
	x := []float64{1, 10, 100}
	lin := Lines(Config{}, Series{X: x, Y: x})
	log := Lines(Config{LogX: true, LogY: true}, Series{X: x, Y: x})
	late := Lines(Config{}, Series{X: x, Y: x})
	LogAxis(&late.Y) // made logarithmic after the data were added, as 04_4 does
	hist := Histogram(Config{}, []float64{0.5, 1.5, 1.7}, 0, 2, 2)
	cont := Contour(Config{}, func(x, y float64) float64 { return x * y }, Range{Min: 0, Max: 1, N: 5}, Range{Min: 0, Max: 1, N: 5})
	for _, tc := range []struct {
		name         string
		a            *plot.Axis
		lo, hi       float64
		wantLo, want float64
	}{
		{"linear x", &lin.X, 1, 100, DataMargin, 1 - DataMargin},
		{"linear y", &lin.Y, 1, 100, DataMargin, 1 - DataMargin},
		{"log x", &log.X, 1, 100, DataMargin, 1 - DataMargin},
		{"log y after the data", &late.Y, 1, 100, DataMargin, 1 - DataMargin},
		{"histogram counts", &hist.Y, 0, 2, 0, 1 - DataMargin},
		{"contour x", &cont.X, 0, 1, 0, 1},
	} {
		if tc.a.Min != tc.lo || tc.a.Max != tc.hi {
			t.Fatalf("%s: range [%v, %v], want [%v, %v]", tc.name, tc.a.Min, tc.a.Max, tc.lo, tc.hi)
		}
		if lo, hi := tc.a.Norm(tc.lo), tc.a.Norm(tc.hi); math.Abs(lo-tc.wantLo) > 1e-12 || math.Abs(hi-tc.want) > 1e-12 {
			t.Errorf("%s: data ends at %v and %v of the axis, want %v and %v", tc.name, lo, hi, tc.wantLo, tc.want)
		}
	}
	if !isLogScale(late.Y.Scale) {
		t.Error("LogAxis on a figure of Lines: the axis is not logarithmic")
	}
}

// TestLogTicksDoNotOverlap lays out 04_4's cost against step (ten decades
// on a log axis) in panels of decreasing height and checks that the
// labels of the y axis's ticks do not overlap, and that at least two stay.
func TestLogTicksDoNotOverlap(t *testing.T) {
	x := linspace(0, 60, 61)
	for _, h := range []vg.Length{3.75 * vg.Inch, 2 * vg.Inch, 1.2 * vg.Inch} {
		s := seriesOf("Nesterov", x, func(v float64) float64 { return 100 * math.Pow(10, -v/6) })
		p := Lines(Config{YLabel: "C(θₜ) − Cₘᵢₙ", LogY: true}, s)
		lay := layoutOf(t, Row(p, Lines(Config{}, s)), 0, h)[0][0]
		a := lay.plot.Y
		var ys []vg.Length
		for _, tk := range a.Tick.Marker.Ticks(a.Min, a.Max) {
			if tk.Label != "" {
				ys = append(ys, lay.data.Y(a.Norm(tk.Value)))
			}
		}
		if len(ys) < 2 {
			t.Errorf("height %.0f pt: %d labelled ticks", h.Points(), len(ys))
		}
		height := a.Tick.Label.Height("10⁻⁸")
		for i := 1; i < len(ys); i++ {
			if d := ys[i] - ys[i-1]; d < height {
				t.Errorf("height %.0f pt: tick labels %.1f pt apart, each %.1f pt high", h.Points(), d.Points(), height.Points())
			}
		}
	}
}

// TestSharedLegendBelowGrid draws a row of two panels with the same five
// series filling every corner: their legend is drawn once, below both
// data areas, in columns, each entry's name exactly once and within the
// figure.
func TestSharedLegendBelowGrid(t *testing.T) {
	x := linspace(0, 60, 61)
	var series []Series
	names := []string{"SGD η=0.05", "momentum η=0.05 β=0.8", "Nesterov η=0.05 β=0.8", "RMSprop η=0.3", "Adam η=0.3"}
	for k, name := range names {
		series = append(series, seriesOf(name, x, func(v float64) float64 {
			return 100 * math.Pow(10, -v/(6+3*float64(k))) * (1.5 + math.Sin(v*float64(k+1)/3))
		}))
	}
	cfg := Config{YLabel: "C(θₜ) − Cₘᵢₙ", Legend: BottomLeft, LogY: true}
	g := Row(Lines(cfg, series...), Lines(cfg, series...))
	w, h := g.Size()
	rec := new(recorder.Canvas)
	c := draw.Canvas{Canvas: rec, Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	layout := g.draw(c)
	r := layout[0][0].legend.rect
	for j, lay := range layout[0] {
		if lay.legend.rect != r || !lay.legend.outside {
			t.Errorf("panel %d: legend %v (outside %v), want the shared %v", j, lay.legend.rect, lay.legend.outside, r)
		}
		if r.Max.Y > lay.data.Min.Y {
			t.Errorf("panel %d: legend %v reaches into the data area %v", j, r, lay.data.Rectangle)
		}
	}
	if r.Min.X < 0 || r.Max.X > w || r.Min.Y < 0 || r.Size().Y <= 0 {
		t.Errorf("legend %v outside the figure %v × %v", r, w, h)
	}
	drawn := map[string]int{}
	for _, a := range rec.Actions {
		if s, ok := a.(*recorder.FillString); ok {
			drawn[s.String]++
			if containsString(names, s.String) && !inside(s.Point, vg.Rectangle{Min: r.Min, Max: r.Max}) {
				t.Errorf("legend entry %q drawn at %v, outside the legend %v", s.String, s.Point, r)
			}
		}
	}
	for _, n := range names {
		if drawn[n] != 1 {
			t.Errorf("legend entry %q drawn %d times, want once", n, drawn[n])
		}
	}
	// Two columns at least: the legend is less tall than its five entries.
	if one := layout[0][0].plot.Legend.TextStyle.Height("SGD") * 5; r.Size().Y >= one {
		t.Errorf("legend %.0f pt high for five entries of %.0f pt: not in columns", r.Size().Y.Points(), one.Points()/5)
	}
}
