package plotting

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// courseSymbols are the characters of the course's figure text beyond
// ASCII, collected from the figure strings of nb/*.go and of the
// notebooks' code cells, and the notes' notation written as plain text:
// W⁽ˡ⁾, b⁽ˡ⁾, z⁽ˡ⁾, a⁽ˡ⁻¹⁾, δ⁽ᴸ⁾, w₁,₂⁽²⁾, η, λ, σ′, ∇C, ∂C/∂w, ‖·‖, ⊙, θₜ,
// λₘᵢₙ, nᵢₙ, 10⁻⁷. Every output of Subscript and Superscript is added by
// courseRunes.
const courseSymbols = "" +
	"αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ" + // Greek
	"∇∂‖⊙′″−×÷·±≤≥≈≠∝∞√∫∑∏∈→←↦⌊⌋∗⋆" + // operators
	"⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ˡᴸᵀⁱⁿᵗ" + // superscripts
	"₍₎₀₁₂₃₄₅₆₇₈₉₊₋ₐᵢⱼₖₗₘₙₜₓ" + // subscripts
	"½…–—§°µŷẑŝ✓✗𝟙" // the rest of the notebooks' text

// courseRunes returns the runes of courseSymbols and of every subscript
// and superscript that Subscript and Superscript write.
func courseRunes() []rune {
	all := "0123456789+-−=()abcdefghijklmnopqrstuvwxyzLT"
	s := courseSymbols + Subscript(all) + Superscript(all)
	var runes []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if !seen[r] && r > unicode.MaxASCII {
			seen[r] = true
			runes = append(runes, r)
		}
	}
	return runes
}

// TestFontHasCourseSymbols fails if the course's font has no glyph, or a
// glyph without width, for a character of the course's figure text.
func TestFontHasCourseSymbols(t *testing.T) {
	face := fonts().Lookup(Font(12), 12).Face
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(face.UnitsPerEm())
	for _, r := range courseRunes() {
		idx, err := face.GlyphIndex(&buf, r)
		if err != nil || idx == 0 {
			t.Errorf("%q (U+%04X): no glyph in DejaVu Sans (index %d, error %v)", r, r, idx, err)
			continue
		}
		adv, err := face.GlyphAdvance(&buf, idx, ppem, 0)
		if err != nil || adv <= 0 {
			t.Errorf("%q (U+%04X): glyph %d has advance %v (error %v)", r, r, idx, adv, err)
		}
	}
	if m := MissingGlyphs(string(courseRunes())); m != nil {
		t.Errorf("MissingGlyphs of the course's symbols = %q, want none", string(m))
	}
}

// TestMissingGlyphs checks MissingGlyphs on text the font draws and text
// it does not, and that the same check finds the glyphs that gonum/plot's
// default font, Liberation Serif, lacks: the check can fail.
func TestMissingGlyphs(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want string
	}{
		{"", ""},
		{"W⁽¹⁾ and ∇C\n", ""},
		{"a\u0378b\u0378", "\u0378"}, // an unassigned code point, reported once
		{"漢字 (kanji)", "漢字"},
	} {
		if got := string(MissingGlyphs(tc.s)); got != tc.want {
			t.Errorf("MissingGlyphs(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
	liberation := font.DefaultCache.Lookup(plot.DefaultFont, 12).Face
	if liberation == nil {
		t.Fatal("gonum/plot's default font is not in its cache")
	}
	if got, want := string(missingGlyphs(liberation, "W⁽¹⁾ ∇C ⊙ wₖ")), "⁽⁾∇⊙ₖ"; got != want {
		t.Errorf("glyphs missing from Liberation Serif: %q, want %q", got, want)
	}
}

// TestFontDrawsCourseSymbols draws every character of the course's
// symbols on its own and fails if one leaves no ink.
func TestFontDrawsCourseSymbols(t *testing.T) {
	sty := text.Style{Color: color.Black, Font: Font(24), Handler: TextHandler(), XAlign: draw.XCenter, YAlign: draw.YCenter}
	for _, r := range courseRunes() {
		c := vgimg.NewWith(vgimg.UseWH(40, 40), vgimg.UseDPI(144))
		dc := draw.New(c)
		dc.FillText(sty, vg.Point{X: 20, Y: 20}, string(r))
		if n := ink(c.Image()); n == 0 {
			t.Errorf("%q (U+%04X) draws nothing", r, r)
		}
	}
}

// ink counts the pixels of img that are not white.
func ink(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n
}

// TestFiguresUseCourseFont checks that every text of the package's
// figures is drawn in the course's font, and that gonum/plot's own
// default is left as it was.
func TestFiguresUseCourseFont(t *testing.T) {
	cfg := Config{Title: "t", XLabel: "x", YLabel: "y"}
	s := Series{Name: "s", X: []float64{1, 2}, Y: []float64{1, 2}}
	for _, tc := range []struct {
		name string
		p    *plot.Plot
	}{
		{"New", New()},
		{"Lines", Lines(cfg, s)},
		{"Functions", Functions(cfg, Range{Min: 0, Max: 1, N: 3}, Func{Name: "f", F: func(x float64) float64 { return x }})},
		{"Contour", Contour(cfg, func(x, y float64) float64 { return x + y }, Range{Min: 0, Max: 1, N: 3}, Range{Min: 0, Max: 1, N: 3}, s)},
		{"Histogram", Histogram(cfg, []float64{1, 2, 3}, 0, 4, 4)},
		{"ImageGrid", ImageGrid(ImageGridConfig{Title: "t"}, [][]float64{{0, 1, 1, 0}}, 2, 2)},
	} {
		styles := map[string]text.Style{
			"title": tc.p.Title.TextStyle, "x label": tc.p.X.Label.TextStyle, "y label": tc.p.Y.Label.TextStyle,
			"x ticks": tc.p.X.Tick.Label, "y ticks": tc.p.Y.Tick.Label, "legend": tc.p.Legend.TextStyle,
		}
		for part, sty := range styles {
			if got, want := sty.Font, Font(sty.Font.Size); got != want {
				t.Errorf("%s: %s font %+v, want %+v", tc.name, part, got, want)
			}
			if h, ok := sty.Handler.(text.Plain); !ok || h.Fonts != fonts() {
				t.Errorf("%s: %s handler %T is not the course's", tc.name, part, sty.Handler)
			}
			if sty.Font.Size <= 0 {
				t.Errorf("%s: %s font size %v", tc.name, part, sty.Font.Size)
			}
		}
		if h, ok := tc.p.TextHandler.(text.Plain); !ok || h.Fonts != fonts() {
			t.Errorf("%s: plot text handler %T is not the course's", tc.name, tc.p.TextHandler)
		}
	}
	if got := plot.New().Title.TextStyle.Font; got.Typeface != plot.DefaultFont.Typeface || plot.DefaultTextHandler.Cache() != font.DefaultCache {
		t.Errorf("plot.New() changed: title font %+v", got)
	}
	p := plot.New()
	UseFont(p)
	if p.Title.TextStyle.Font != Font(12) || p.X.Tick.Label.Font != Font(10) {
		t.Errorf("UseFont: title %+v, ticks %+v; want sizes kept, in the course's font", p.Title.TextStyle.Font, p.X.Tick.Label.Font)
	}
}

// TestRenderUnicodeFigure renders figures whose every text uses the
// course's symbols to PNG and SVG, and checks that the SVG names DejaVu
// Sans and holds the text, and that the symbols leave ink in the PNG.
func TestRenderUnicodeFigure(t *testing.T) {
	title := "C along w₁,₂⁽²⁾: ∇C ⊙ σ′(z⁽ˡ⁾), δ⁽ᴸ⁾, ‖W⁽¹⁾‖ ≤ η·λ ≈ 10⁻³ × ∂C/∂b"
	p := Lines(Config{Title: title, XLabel: "θₜ (λₘᵢₙ ≤ λ ≤ λₘₐₓ)", YLabel: "‖∂C/∂b⁽ˡ⁾‖", LogY: true},
		Series{Name: "σ′(z) = σ(z)(1 − σ(z))", X: []float64{1, 2, 3}, Y: []float64{1e-4, 1e-2, 1}},
		Series{Name: "N(0, 1/nᵢₙ), a⁽ˡ⁻¹⁾", X: []float64{1, 2, 3}, Y: []float64{1e-3, 1e-1, 10}})
	AddVerticalLine(p, 2, "η = 2/λₘₐₓ")
	grid := Grid{{p, ImageGrid(ImageGridConfig{Title: "δ⁽ˡ⁾ maps", Titles: []string{"7 → 2", "∂C/∂wⱼₖ"}}, [][]float64{{0, 1, 1, 0}, {1, 0, 0, 1}}, 2, 2)}}
	for _, f := range []Drawer{p, grid} {
		if _, err := PNG(f, 0, 0, 0); err != nil {
			t.Errorf("PNG: %v", err)
		}
		svg, err := SVG(f, 0, 0)
		if err != nil {
			t.Fatalf("SVG: %v", err)
		}
		for _, want := range []string{"DejaVu Sans", "w₁,₂⁽²⁾", "‖∂C/∂b⁽ˡ⁾‖", "σ′(z)", "10⁻⁴"} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("SVG of %s lacks %q", Describe(f), want)
			}
		}
	}
	// A title of only the symbols that Liberation Serif lacks leaves ink
	// where gonum/plot's default would leave the title empty.
	blank, inked := New(), New()
	blank.HideAxes()
	inked.HideAxes()
	inked.Title.Text = "⁽⁾ ∇ ⊙ ₖ"
	b, err := PNG(blank, 2*vg.Inch, vg.Inch, 72)
	if err != nil {
		t.Fatal(err)
	}
	i, err := PNG(inked, 2*vg.Inch, vg.Inch, 72)
	if err != nil {
		t.Fatal(err)
	}
	bi, _ := png.Decode(bytes.NewReader(b))
	ii, _ := png.Decode(bytes.NewReader(i))
	if nb, ni := ink(bi), ink(ii); ni <= nb+20 {
		t.Errorf("title %q: %d pixels of ink, %d without it", inked.Title.Text, ni, nb)
	}
	if got := Describe(p); !strings.Contains(got, "w₁,₂⁽²⁾") {
		t.Errorf("Describe lost the symbols: %q", got)
	}
}

func TestSubscriptSuperscript(t *testing.T) {
	for _, tc := range []struct {
		f        func(string) string
		name     string
		in, want string
	}{
		{Subscript, "Subscript", "1,2", "₁,₂"},
		{Subscript, "Subscript", "in", "ᵢₙ"},
		{Subscript, "Subscript", "t", "ₜ"},
		{Subscript, "Subscript", "min", "ₘᵢₙ"},
		{Subscript, "Subscript", "c", "c"}, // no subscript c in Unicode
		{Subscript, "Subscript", "(l−1)", "₍ₗ₋₁₎"},
		{Superscript, "Superscript", "(2)", "⁽²⁾"},
		{Superscript, "Superscript", "(l-1)", "⁽ˡ⁻¹⁾"},
		{Superscript, "Superscript", "(L)", "⁽ᴸ⁾"},
		{Superscript, "Superscript", "T", "ᵀ"},
		{Superscript, "Superscript", "-12", "⁻¹²"},
		{Superscript, "Superscript", "q", "q"},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}
