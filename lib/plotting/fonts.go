package plotting

import (
	"fmt"
	"sync"
	"unicode"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Font returns the font of every text this package draws, DejaVu Sans
// (codeberg.org/go-fonts/dejavu, embedded in the program, so figures look
// the same on every machine), at the given size. Draw it with TextHandler.
//
// gonum/plot's own default, Liberation Serif, has no glyph for many of the
// course's symbols (superscript parentheses as in W⁽¹⁾, subscript letters
// such as ₖ, ∇, ⊙, ⌊⌋): it draws nothing in their place. DejaVu Sans has
// them all (TestFontHasCourseSymbols). Only the regular face is embedded;
// a text style asking for bold or italic is drawn in the regular face.
func Font(size vg.Length) font.Font {
	return font.Font{Typeface: courseTypeface, Variant: courseVariant, Size: size}
}

// The name under which fonts holds DejaVu Sans.
const (
	courseTypeface = "DejaVu"
	courseVariant  = "Sans"
)

// fonts holds the course's font, parsed once on first use. It is the
// package's own cache: gonum/plot's font.DefaultCache and
// plot.DefaultFont, which plot.New uses, are left unchanged.
var fonts = sync.OnceValue(func() *font.Cache {
	ttf, err := opentype.Parse(dejavusans.TTF)
	if err != nil {
		panic(fmt.Sprintf("plotting: parsing the embedded DejaVu Sans font: %v", err)) // unreachable: the font is embedded
	}
	return font.NewCache(font.Collection{{Font: Font(0), Face: ttf}})
})

// TextHandler returns the text handler that draws plain text in the
// course's font. Set it, with Font, on a text style made outside this package (such as that
// of gonum's plotter.Labels) so that it draws the course's symbols.
func TextHandler() text.Handler { return text.Plain{Fonts: fonts()} }

// MissingGlyphs returns the characters of s, each once and in order,
// that the course's font has no glyph for and so cannot draw; nil when it
// can draw all of s. Line breaks, tabs and other control characters are
// not drawn and are never reported.
func MissingGlyphs(s string) []rune { return missingGlyphs(fonts().Lookup(Font(0), 0).Face, s) }

// missingGlyphs returns the characters of s that face has no glyph for,
// as MissingGlyphs.
func missingGlyphs(face *opentype.Font, s string) []rune {
	var (
		buf     sfnt.Buffer
		missing []rune
		seen    = map[rune]bool{}
	)
	for _, r := range s {
		if unicode.IsControl(r) || seen[r] {
			continue
		}
		seen[r] = true
		if i, err := face.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing = append(missing, r)
		}
	}
	return missing
}

// New returns plot.New() with every text of the figure, title, axis labels,
// tick labels and legend, drawn in the course's font (see Font) at
// gonum/plot's usual sizes, and negative tick labels written with the
// minus sign − rather than a hyphen. Every figure of this package is made
// by New; a figure made with plot.New can be given the same font with
// UseFont.
func New() *plot.Plot {
	p := plot.New()
	UseFont(p)
	p.X.Tick.Marker = minusTicks{p.X.Tick.Marker}
	p.Y.Tick.Marker = minusTicks{p.Y.Tick.Marker}
	return p
}

// UseFont sets the course's font (Font) and TextHandler on every text style of p (its title,
// axis labels, tick labels and legend), keeping each style's size, colour
// and alignment.
func UseFont(p *plot.Plot) {
	h := TextHandler()
	p.TextHandler = h
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		s.Font = Font(s.Font.Size)
		s.Handler = h
	}
}
