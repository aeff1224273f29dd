package plotting

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/plotutil"
)

// Simulation of dichromacy (severity 1.0) from G. M. Machado, M. M.
// Oliveira and L. A. F. Fernandes, "A Physiologically-based Model for
// Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 2009
// (doi:10.1109/TVCG.2009.113): the matrices of the authors' table,
// applied to linear sRGB, as the Python package colorspacious does.
var (
	machadoProtanopia = [3][3]float64{
		{0.152286, 1.052583, -0.204868},
		{0.114503, 0.786281, 0.099216},
		{-0.003882, -0.048116, 1.051998},
	}
	machadoDeuteranopia = [3][3]float64{
		{0.367322, 0.860646, -0.227968},
		{0.280085, 0.672501, 0.047413},
		{-0.011820, 0.042940, 0.968881},
	}
)

func srgbToLinear(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// simulateLab returns the CIELAB (D65) colour that a reader whose vision
// the matrix m simulates sees for c; nil m means normal vision.
func simulateLab(c color.Color, m *[3][3]float64) [3]float64 {
	r, g, b, _ := c.RGBA()
	v := [3]float64{srgbToLinear(float64(r) / 0xffff), srgbToLinear(float64(g) / 0xffff), srgbToLinear(float64(b) / 0xffff)}
	if m != nil {
		var w [3]float64
		for i := range 3 {
			for j := range 3 {
				w[i] += m[i][j] * v[j]
			}
			w[i] = math.Max(0, math.Min(1, w[i])) // out of gamut: clipped, as a screen shows it
		}
		v = w
	}
	x := 0.4124564*v[0] + 0.3575761*v[1] + 0.1804375*v[2]
	y := 0.2126729*v[0] + 0.7151522*v[1] + 0.0721750*v[2]
	z := 0.0193339*v[0] + 0.1191920*v[1] + 0.9503041*v[2]
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// minDeltaE returns the smallest CIE76 colour difference ΔE*ab between two
// colours of cs as seen through m, and the indices of that pair.
func minDeltaE(cs []color.Color, m *[3][3]float64) (d float64, a, b int) {
	d = math.Inf(1)
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			p, q := simulateLab(cs[i], m), simulateLab(cs[j], m)
			if e := math.Hypot(math.Hypot(p[0]-q[0], p[1]-q[1]), p[2]-q[2]); e < d {
				d, a, b = e, i, j
			}
		}
	}
	return d, a, b
}

// minPaletteDeltaE is the smallest colour difference ΔE*ab that two series
// colours must keep, for normal vision and under simulated protanopia and
// deuteranopia. ΔE ≈ 2.3 is a just-noticeable difference; thin lines need
// far more. The Okabe–Ito palette keeps ≥ 17; gonum's plotutil.SoftColors,
// which the figures used before, falls to 3.1 under deuteranopia (its two
// reds, which is how SGD and AdamW looked alike in 04_4).
const minPaletteDeltaE = 15

func TestPaletteColourBlindSafe(t *testing.T) {
	vision := []struct {
		name string
		m    *[3][3]float64
	}{{"normal", nil}, {"protanopia", &machadoProtanopia}, {"deuteranopia", &machadoDeuteranopia}}
	palettes := []struct {
		name string
		c    []color.Color
		safe bool
	}{
		{"Colors", Colors(), true},
		{"plotutil.SoftColors", plotutil.SoftColors, false},
		{"plotutil.DarkColors", plotutil.DarkColors, false},
	}
	for _, p := range palettes {
		worst := math.Inf(1)
		for _, v := range vision {
			d, a, b := minDeltaE(p.c, v.m)
			t.Logf("%s, %s: smallest ΔE %.1f (colours %d and %d)", p.name, v.name, d, a, b)
			worst = math.Min(worst, d)
		}
		if got := worst >= minPaletteDeltaE; got != p.safe {
			t.Errorf("%s: smallest ΔE %.1f, safe = %v, want %v (threshold %v)", p.name, worst, got, p.safe, minPaletteDeltaE)
		}
	}
}

// The simulation itself: a grey stays grey, and pure red and green, far
// apart in normal vision, come close for a deuteranope.
func TestMachadoSimulation(t *testing.T) {
	grey := color.RGBA{R: 128, G: 128, B: 128, A: 255}
	for _, m := range []*[3][3]float64{&machadoProtanopia, &machadoDeuteranopia} {
		if d, _, _ := minDeltaE([]color.Color{grey, grey}, m); d != 0 {
			t.Errorf("a grey twice: ΔE %v, want 0", d)
		}
		g := simulateLab(grey, m)
		if math.Abs(g[1]) > 1 || math.Abs(g[2]) > 1 {
			t.Errorf("grey simulated as a*=%.2f b*=%.2f, want ≈ 0", g[1], g[2])
		}
	}
	rg := []color.Color{color.RGBA{R: 200, G: 60, A: 255}, color.RGBA{R: 60, G: 140, B: 20, A: 255}}
	normal, _, _ := minDeltaE(rg, nil)
	deut, _, _ := minDeltaE(rg, &machadoDeuteranopia)
	if !(deut < normal/3) {
		t.Errorf("red and green: ΔE %.1f for a deuteranope, %.1f in normal vision; want far smaller", deut, normal)
	}
}

// Every series of a figure differs from every other in colour or dashes,
// however many there are.
func TestSeriesStyleDistinct(t *testing.T) {
	for _, n := range []int{1, 2, 7, 8, 9, 16, 33, 60} {
		type key struct {
			c      color.RGBA
			dashes string
		}
		seen := map[key]int{}
		for i := range n {
			s := SeriesStyle(i)
			r, g, b, a := s.Color.RGBA()
			k := key{color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}, ""}
			for _, d := range s.Dashes {
				k.dashes += fmt.Sprintf(" %g", d.Points())
			}
			if j, ok := seen[k]; ok {
				t.Errorf("%d series: series %d and %d share colour %v and dashes %q", n, j, i, k.c, k.dashes)
			}
			seen[k] = i
		}
	}
	if !slices.Equal(Colors()[:2], []color.Color{SeriesColor(0), SeriesColor(1)}) {
		t.Error("SeriesColor does not follow Colors")
	}
}
