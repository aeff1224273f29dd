package plotting

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// okabeIto is the 8-colour qualitative palette of Okabe and Ito, "Color
// Universal Design (CUD): how to make figures and presentations that are
// friendly to colorblind people" (2008), in the order the figures use it:
// blue, vermillion, bluish green, reddish purple, orange, sky blue, black,
// yellow. Yellow, the hardest to see on white, comes last.
var okabeIto = [...]color.RGBA{
	{R: 0, G: 114, B: 178, A: 255},
	{R: 213, G: 94, B: 0, A: 255},
	{R: 0, G: 158, B: 115, A: 255},
	{R: 204, G: 121, B: 167, A: 255},
	{R: 230, G: 159, B: 0, A: 255},
	{R: 86, G: 180, B: 233, A: 255},
	{R: 0, G: 0, B: 0, A: 255},
	{R: 240, G: 228, B: 66, A: 255},
}

// Colors returns the colours of the series of a figure, in order: the
// Okabe–Ito palette, chosen to stay distinct for readers with a red–green
// colour vision deficiency (TestPaletteColourBlindSafe measures it). The
// slice is a copy.
func Colors() []color.Color {
	c := make([]color.Color, len(okabeIto))
	for i, v := range okabeIto {
		c[i] = v
	}
	return c
}

// SeriesColor returns the colour of series i (counted from 0) of a figure:
// Colors()[i mod 8]. Series i and i+8 share a colour; SeriesStyle tells
// them apart by their dashes.
func SeriesColor(i int) color.Color {
	n := len(okabeIto)
	return okabeIto[((i%n)+n)%n]
}

// seriesDashes are the dash patterns of SeriesStyle, one per round of the
// palette: solid, dashed, dotted, dash-dot.
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// SeriesStyle returns the line style of series i (counted from 0) of a
// figure, 1.5 points wide: the colour SeriesColor(i) and a dash pattern
// that changes each time the palette starts over, so that no two series of
// a figure share both colour and dashes: series 0–7 are solid, 8–15
// dashed, 16–23 dotted, 24–31 dash-dotted, and each later round of eight
// dash-dotted with longer dashes. It panics if i is negative.
func SeriesStyle(i int) draw.LineStyle {
	if i < 0 {
		panic("plotting: SeriesStyle of a negative index")
	}
	n := len(okabeIto)
	round := i / n
	var dashes []vg.Length
	if round < len(seriesDashes) {
		dashes = seriesDashes[round]
	} else {
		long := vg.Points(6 + 2*float64(round-len(seriesDashes)+1))
		dashes = []vg.Length{long, vg.Points(2), vg.Points(1.5), vg.Points(2)}
	}
	return draw.LineStyle{Color: SeriesColor(i), Width: vg.Points(1.5), Dashes: dashes}
}
