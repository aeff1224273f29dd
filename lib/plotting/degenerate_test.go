package plotting

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// logY returns p with a logarithmic y axis.
func logY(p *plot.Plot) *plot.Plot { LogAxis(&p.Y); return p }

// logXY returns p with both axes logarithmic.
func logXY(p *plot.Plot) *plot.Plot { LogAxis(&p.X); LogAxis(&p.Y); return p }

func points(name string, x, y []float64) *plot.Plot {
	p := Lines(Config{Title: name})
	AddPoints(p, Series{Name: name, X: x, Y: y})
	return p
}

func constant(v float64) func(x, y float64) float64 {
	return func(x, y float64) float64 { return v }
}

// TestDegenerateFigures renders every figure function of the package on
// degenerate data (single points, all-equal values, empty series, NaN and
// Inf, zeros and negatives on a log axis) to PNG and SVG. Each must give an
// image, or an error that names the problem; never a panic inside
// gonum/plot. Where the range is given, the axis must span it.
func TestDegenerateFigures(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	one := []float64{1}
	for _, tc := range []struct {
		name       string
		fig        func() Drawer
		yMin, yMax float64 // the y range drawn, when not both zero
		wantErr    string  // a fragment of the error, "" for a figure
	}{
		// The case: a flat range on a log axis is widened by a factor.
		{name: "one point 0.3, log y", fig: func() Drawer { return logY(Lines(Config{}, Series{X: one, Y: []float64{0.3}})) }, yMin: 0.03, yMax: 3},
		{name: "one point 0.3, linear", fig: func() Drawer { return Lines(Config{}, Series{X: one, Y: []float64{0.3}}) }, yMin: -0.7, yMax: 1.3},
		{name: "all equal 5, log y", fig: func() Drawer {
			return logY(Lines(Config{}, Series{X: []float64{1, 2, 3}, Y: []float64{5, 5, 5}}))
		}, yMin: 0.5, yMax: 50},
		{name: "all equal 2e-9, log x and y", fig: func() Drawer {
			return logXY(Lines(Config{}, Series{X: []float64{2e-9, 2e-9}, Y: []float64{2e-9, 2e-9}}))
		}, yMin: 2e-10, yMax: 2e-8},
		{name: "all equal 1e20, linear", fig: func() Drawer {
			return Lines(Config{}, Series{X: []float64{1, 2}, Y: []float64{1e20, 1e20}})
		}, yMin: 0.9e20, yMax: 1.1e20},
		{name: "narrow range within a decade, log y", fig: func() Drawer {
			return logY(Lines(Config{}, Series{X: []float64{1, 2}, Y: []float64{0.30, 0.31}}))
		}, yMin: 0.30, yMax: 0.31},
		// A span beyond the largest float64 made gonum's tick search loop for ever.
		{name: "span wider than MaxFloat64", fig: func() Drawer {
			return Lines(Config{}, Series{X: []float64{1, 2}, Y: []float64{-1e308, 1e308}})
		}, wantErr: "wider than the largest float64"},
		{name: "flat at 1.7e308, linear", fig: func() Drawer {
			return Lines(Config{}, Series{X: []float64{1, 2}, Y: []float64{1.7e308, 1.7e308}})
		}, yMin: 1.53e308, yMax: math.MaxFloat64},
		{name: "one point 1e308, log y", fig: func() Drawer { return logY(Lines(Config{}, Series{X: one, Y: []float64{1e308}})) }, yMin: 1e307, yMax: math.MaxFloat64},
		{name: "no series", fig: func() Drawer { return Lines(Config{Title: "empty"}) }},
		{name: "no series, log y", fig: func() Drawer { return logY(Lines(Config{})) }, yMin: 0.1, yMax: 10},
		{name: "empty series, log x and y", fig: func() Drawer { return logXY(Lines(Config{}, Series{Name: "none"})) }, yMin: 0.1, yMax: 10},
		{name: "only NaN and Inf", fig: func() Drawer {
			return Lines(Config{}, Series{Name: "bad", X: []float64{1, 2, 3}, Y: []float64{nan, inf, -inf}})
		}},
		{name: "only NaN and Inf, log y", fig: func() Drawer {
			return logY(Lines(Config{}, Series{Name: "bad", X: []float64{1, 2, 3}, Y: []float64{nan, inf, -inf}}))
		}, yMin: 0.1, yMax: 10},
		{name: "NaN between points, log y", fig: func() Drawer {
			return logY(Lines(Config{}, Series{X: []float64{1, 2, 3}, Y: []float64{0.1, nan, 10}}))
		}, yMin: 0.1, yMax: 10},
		{name: "zero on a log axis", fig: func() Drawer {
			return logY(Lines(Config{YLabel: "cost"}, Series{X: []float64{1, 2}, Y: []float64{0, 1}}))
		}, wantErr: "y axis (cost) is logarithmic, but its data reach 0"},
		{name: "negative on a log x axis", fig: func() Drawer {
			p := Lines(Config{}, Series{X: []float64{-1, 2}, Y: []float64{1, 2}})
			LogAxis(&p.X)
			return p
		}, wantErr: "x axis is logarithmic, but its data reach -1"},
		{name: "Config.LogY leaves out zeros and negatives", fig: func() Drawer {
			return Lines(Config{LogY: true}, Series{X: []float64{1, 2, 3, 4}, Y: []float64{0, 0.5, -1, 5}})
		}, yMin: 0.5, yMax: 5},
		{name: "Config.LogX and LogY with only zeros", fig: func() Drawer {
			return Lines(Config{LogX: true, LogY: true}, Series{X: []float64{0, 1}, Y: []float64{1, 0}})
		}, yMin: 0.1, yMax: 10},
		{name: "points added after Config.LogY leave out zeros", fig: func() Drawer {
			p := Lines(Config{LogY: true})
			AddPoints(p, Series{X: []float64{1, 2}, Y: []float64{0, 0.3}})
			AddPaths(p, Series{X: []float64{1, 2}, Y: []float64{-1, 0.3}})
			return p
		}, yMin: 0.03, yMax: 3},
		{name: "constant function", fig: func() Drawer {
			return Functions(Config{}, Range{Min: 0, Max: 1}, Func{Name: "c", F: func(float64) float64 { return 2 }})
		}, yMin: 1, yMax: 3},
		{name: "constant function, log y", fig: func() Drawer {
			return logY(Functions(Config{}, Range{Min: 0, Max: 1}, Func{Name: "c", F: func(float64) float64 { return 2 }}))
		}, yMin: 0.2, yMax: 20},
		{name: "points: one point, log x and y", fig: func() Drawer { return logXY(points("p", []float64{3}, []float64{0.3})) }, yMin: 0.03, yMax: 3},
		{name: "points: empty", fig: func() Drawer { return points("p", nil, nil) }},
		{name: "points: zero on a log axis", fig: func() Drawer { return logY(points("p", []float64{1, 2}, []float64{0, 1})) }, wantErr: "data reach 0"},
		{name: "contour of a constant", fig: func() Drawer {
			return Contour(Config{}, constant(1), Range{Min: -1, Max: 1}, Range{Min: -1, Max: 1})
		}, yMin: -1, yMax: 1},
		{name: "contour of a constant 0, symmetric", fig: func() Drawer {
			return ContourWith(Config{}, ContourStyle{Symmetric: true, Palette: LightDiverging()}, constant(0), Range{Min: -1, Max: 1}, Range{Min: -1, Max: 1})
		}, yMin: -1, yMax: 1},
		{name: "contour of NaN everywhere", fig: func() Drawer {
			return Contour(Config{}, constant(nan), Range{Min: -1, Max: 1}, Range{Min: -1, Max: 1})
		}, yMin: -1, yMax: 1},
		{name: "contour of Inf everywhere, no levels", fig: func() Drawer {
			return ContourWith(Config{}, ContourStyle{Levels: []float64{}}, constant(inf), Range{Min: 0, Max: 1, N: 2}, Range{Min: 0, Max: 1, N: 2})
		}, yMin: 0, yMax: 1},
		{name: "contour with a one-point path and an empty path", fig: func() Drawer {
			return Contour(Config{}, func(x, y float64) float64 { return x*x + y*y }, Range{Min: -1, Max: 1}, Range{Min: -1, Max: 1},
				Series{Name: "one", X: []float64{0.5}, Y: []float64{0.5}}, Series{Name: "none"})
		}, yMin: -1, yMax: 1},
		{name: "image grid: no images", fig: func() Drawer { return ImageGrid(ImageGridConfig{Title: "none"}, nil, 28, 28) }},
		{name: "image grid: 1×1 constant, NaN and Inf images", fig: func() Drawer {
			return ImageGrid(ImageGridConfig{Symmetric: true, Titles: []string{"c"}}, [][]float64{{0}, {nan}, {inf}}, 1, 1)
		}},
		{name: "grid: single-point log panel beside an empty one", fig: func() Drawer {
			return Grid{{logY(Lines(Config{}, Series{X: one, Y: []float64{0.3}})), nil}, {Lines(Config{})}}
		}},
		{name: "grid: a panel with zero on a log axis", fig: func() Drawer {
			return Grid{{Lines(Config{}), logY(Lines(Config{}, Series{X: []float64{1, 2}, Y: []float64{0, 1}}))}}
		}, wantErr: "panel 2 of row 1: plotting: the y axis is logarithmic"},
		{name: "empty grid", fig: func() Drawer { return Grid{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"PNG", "SVG"} {
				f := tc.fig()
				var b []byte
				var err error
				if format == "PNG" {
					b, err = PNG(f, 0, 0, 72)
				} else {
					b, err = SVG(f, 0, 0)
				}
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Errorf("%s: error %v, want one containing %q", format, err, tc.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if format == "PNG" {
					if _, err := png.Decode(bytes.NewReader(b)); err != nil {
						t.Fatalf("PNG does not decode: %v", err)
					}
				} else if !bytes.Contains(b, []byte("<svg")) {
					t.Fatalf("SVG output has no <svg> element")
				}
				if tc.yMin == 0 && tc.yMax == 0 {
					continue
				}
				var y plot.Axis
				switch f := f.(type) {
				case *plot.Plot:
					y = f.Y
				case Grid:
					y = f[0][0].Y
				}
				if !nearlyEqual(y.Min, tc.yMin) || !nearlyEqual(y.Max, tc.yMax) {
					t.Errorf("%s: y axis drawn over [%v, %v], want [%v, %v]", format, y.Min, y.Max, tc.yMin, tc.yMax)
				}
			}
		})
	}
}

func nearlyEqual(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

// TestFixRangesNaN checks the error for a range that holds NaN, which a
// plotter of values that Lines does not filter (a bar chart of NaN) gives.
func TestFixRangesNaN(t *testing.T) {
	p := plot.New()
	p.Y.Label.Text = "height"
	p.Y.Min, p.Y.Max = math.NaN(), 1
	_, err := PNG(p, 0, 0, 72)
	if err == nil || !strings.Contains(err.Error(), "y axis (height) has the range [NaN, 1]") {
		t.Errorf("error %v, want one naming the y axis and its NaN range", err)
	}
}

func TestLogConfigNotesLeftOutPoints(t *testing.T) {
	p := Lines(Config{Title: "cost", LogY: true}, Series{X: []float64{1, 2, 3, 4}, Y: []float64{0, math.NaN(), -1, 5}})
	for _, want := range []string{"cost", "(1 NaN/Inf point not drawn)", "(2 points ≤ 0 not drawn on the log axis)"} {
		if !strings.Contains(p.Title.Text, want) {
			t.Errorf("title %q does not contain %q", p.Title.Text, want)
		}
	}
	if !isLogScale(p.Y.Scale) || isLogScale(p.X.Scale) {
		t.Errorf("scales x %T, y %T: want linear x, logarithmic y", p.X.Scale, p.Y.Scale)
	}
}
