package plotting

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func TestDrawableSegments(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name        string
		x, y        []float64
		wantLens    []int
		wantDropped int
	}{
		{"all finite", []float64{0, 1, 2}, []float64{1, 2, 3}, []int{3}, 0},
		{"NaN in middle", []float64{0, 1, 2, 3, 4}, []float64{1, nan, 3, 4, 5}, []int{1, 3}, 1},
		{"Inf x at ends", []float64{inf, 1, 2, -inf}, []float64{0, 0, 0, 0}, []int{2}, 2},
		{"all dropped", []float64{nan, nan}, []float64{0, 0}, nil, 2},
		{"empty", nil, nil, nil, 0},
	} {
		segs, d := drawableSegments(plot.New(), tc.x, tc.y)
		if dropped := d.nonFinite + d.nonPositive; dropped != tc.wantDropped {
			t.Errorf("%s: dropped %d, want %d", tc.name, dropped, tc.wantDropped)
		}
		var lens []int
		for _, s := range segs {
			lens = append(lens, len(s))
		}
		if len(lens) != len(tc.wantLens) {
			t.Fatalf("%s: segment lengths %v, want %v", tc.name, lens, tc.wantLens)
		}
		for i := range lens {
			if lens[i] != tc.wantLens[i] {
				t.Errorf("%s: segment lengths %v, want %v", tc.name, lens, tc.wantLens)
			}
		}
	}
}

func TestLinesNotesDroppedPoints(t *testing.T) {
	p := Lines(Config{Title: "cost"},
		Series{Name: "train", X: []float64{1, 2, 3, 4}, Y: []float64{1, math.NaN(), 0.5, math.Inf(1)}},
		Series{Name: "test", X: []float64{1, 2}, Y: []float64{math.Inf(-1), 2}},
	)
	if !strings.Contains(p.Title.Text, "cost") || !strings.Contains(p.Title.Text, "3 NaN/Inf points not drawn") {
		t.Errorf("title %q does not note the 3 dropped points", p.Title.Text)
	}
	// The figure still renders.
	if _, err := PNG(p, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
}

func TestLinesWithoutNonFiniteKeepsTitle(t *testing.T) {
	p := Lines(Config{Title: "σ(z)"}, Series{Name: "a", X: []float64{0, 1}, Y: []float64{0, 1}})
	if p.Title.Text != "σ(z)" {
		t.Errorf("title %q, want %q", p.Title.Text, "σ(z)")
	}
}

func TestFunctionsSamples(t *testing.T) {
	var calls []float64
	f := func(x float64) float64 { calls = append(calls, x); return x }
	Functions(Config{}, Range{Min: -1, Max: 1, N: 5}, Func{Name: "id", F: f})
	want := []float64{-1, -0.5, 0, 0.5, 1}
	if len(calls) != len(want) {
		t.Fatalf("sampled at %v, want %v", calls, want)
	}
	for i := range want {
		if math.Abs(calls[i]-want[i]) > 1e-15 {
			t.Errorf("sampled at %v, want %v", calls, want)
		}
	}
}

func TestPanics(t *testing.T) {
	expectPanics(t, []panicCase{
		{"lengths", func() { Lines(Config{}, Series{Name: "s", X: []float64{1, 2}, Y: []float64{1}}) }, `plotting: series "s" has 2 x values and 1 y values`},
		{"empty range", func() { Functions(Config{}, Range{Min: 1, Max: 1}, Func{F: math.Sin}) }, "plotting: invalid range"},
		{"one sample", func() { Functions(Config{}, Range{Min: 0, Max: 1, N: 1}, Func{F: math.Sin}) }, "plotting: invalid range"},
		{"nil func", func() { Functions(Config{}, Range{Min: 0, Max: 1}, Func{Name: "f"}) }, `plotting: function "f" is nil`},
		{"negative size", func() { PNG(Lines(Config{}), -1, 10, 0) }, "plotting: negative size"},
	})
}

// panicCase is a call f that must panic with a message containing want.
type panicCase struct {
	name string
	f    func()
	want string
}

// expectPanics checks every case with expectPanic.
func expectPanics(t *testing.T, cases []panicCase) {
	t.Helper()
	for _, tc := range cases {
		expectPanic(t, tc.name, tc.want, tc.f)
	}
}

// expectPanic calls f and checks that it panics with a message that
// starts with "plotting: " and contains want.
func expectPanic(t *testing.T, name, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r, _ := recover().(string)
		if !strings.HasPrefix(r, "plotting: ") || !strings.Contains(r, want) {
			t.Errorf("%s: panic %q, want a \"plotting: \" message containing %q", name, r, want)
		}
	}()
	f()
}

func TestPNGSize(t *testing.T) {
	p := Functions(Config{Title: "sin"}, Range{Min: 0, Max: 6}, Func{Name: "sin", F: math.Sin})
	for _, tc := range []struct {
		w, h  vg.Length
		dpi   float64
		wantW int
		wantH int
	}{
		{0, 0, 0, 1152, 720}, // 6 × 3.75 in at 192 DPI
		{3 * vg.Inch, 2 * vg.Inch, 100, 300, 200},
	} {
		b, err := PNG(p, tc.w, tc.h, tc.dpi)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds().Size(); got.X != tc.wantW || got.Y != tc.wantH {
			t.Errorf("PNG(%v, %v, %v) is %v, want %dx%d", tc.w, tc.h, tc.dpi, got, tc.wantW, tc.wantH)
		}
	}
	if w, h := PixelSize(0, 0); w != 576 || h != 360 {
		t.Errorf("PixelSize = %d×%d, want 576×360", w, h)
	}
}

func TestSVG(t *testing.T) {
	b, err := SVG(Functions(Config{}, Range{Min: 0, Max: 1}, Func{Name: "x²", F: func(x float64) float64 { return x * x }}), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("SVG output does not contain an <svg> element: %.80q", b)
	}
}

func TestLegendCorner(t *testing.T) {
	for _, tc := range []struct {
		c         Corner
		top, left bool
	}{
		{TopLeft, true, true},
		{TopRight, true, false},
		{BottomLeft, false, true},
		{BottomRight, false, false},
	} {
		p := Lines(Config{Legend: tc.c})
		if p.Legend.Top != tc.top || p.Legend.Left != tc.left {
			t.Errorf("corner %d: legend top=%v left=%v, want top=%v left=%v", tc.c, p.Legend.Top, p.Legend.Left, tc.top, tc.left)
		}
		moved := Lines(Config{Legend: BottomRight})
		PlaceLegend(moved, tc.c)
		a, b := moved.Legend, p.Legend
		if a.Top != b.Top || a.Left != b.Left || a.XOffs != b.XOffs || a.YOffs != b.YOffs {
			t.Errorf("corner %d: PlaceLegend gives top=%v left=%v offsets %v %v, Config.Legend top=%v left=%v offsets %v %v",
				tc.c, a.Top, a.Left, a.XOffs, a.YOffs, b.Top, b.Left, b.XOffs, b.YOffs)
		}
	}
}
