package plotting

import (
	"bytes"
	"fmt"
	"image/png"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default figure size, in the units of gonum/plot (1 inch = 72 points).
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 3.75 * vg.Inch
)

// ScreenDPI is the resolution at which a figure of w points shows at its
// natural size on an ordinary screen: w/72 inches × 96 dots per inch.
const ScreenDPI = 96

// PNG renders the figure (a *plot.Plot or a Grid) as a PNG image of w × h points at dpi dots per
// inch. Zero w or h mean DefaultWidth or DefaultHeight; zero dpi means
// 2 × ScreenDPI, which stays sharp on HiDPI screens when shown at half its
// pixel size (see PixelSize).
//
// PNG lays the figure out for reading at its size: every text at least
// MinPrintedText when the course's PDF prints it (PrintScale), axis labels
// that would not fit their axis wrapped or shrunk, and the legend in a
// corner of the data area where it hides no data, or else beside or below
// it. The figure itself is not changed.
//
// Before drawing, PNG prepares the axes of every panel: a flat or empty
// range on a logarithmic axis is widened by FlatLogFactor (gonum/plot would
// widen it by ±1 and panic on a value ≤ 0). A range that cannot be drawn, a
// logarithmic axis whose data reach zero or below or a NaN range, gives an
// error that names the axis instead of a panic inside gonum/plot.
func PNG(p Drawer, w, h vg.Length, dpi float64) ([]byte, error) {
	w, h, dpi = defaults(w, h, dpi)
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(dpi)))
	if err := drawOn(p, draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	// Fast compression: figures are redrawn at every rerun of a cell, and
	// the default level costs several times more for a few percent of size.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("plotting: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders the figure as an SVG document of w × h points. Zero w or h
// mean DefaultWidth or DefaultHeight. The figure is laid out and its axes
// prepared as by PNG. The
// text names its font, DejaVu Sans, without embedding it (gonum/plot's
// vgsvg.EmbedFonts would add its 700 kB): a viewer that lacks the font
// draws the text in one of its own.
func SVG(p Drawer, w, h vg.Length) ([]byte, error) {
	w, h, _ = defaults(w, h, 0)
	c := vgsvg.New(w, h)
	if err := drawOn(p, draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plotting: encoding SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// drawOn prepares the figure's axes (fixRanges) and draws it on c. A panic
// inside gonum/plot that fixRanges did not foresee is returned as an error,
// so that a figure of odd data ends a notebook cell with a message rather
// than a stack trace.
func drawOn(p Drawer, c draw.Canvas) (err error) {
	if err := fixRanges(p); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plotting: gonum/plot could not draw the figure: %v", r)
		}
	}()
	if f, ok := p.(*plot.Plot); ok {
		drawPlot(f, c)
		return nil
	}
	p.Draw(c)
	return nil
}

// drawPlot draws the figure p on c laid out for reading: a copy of p with
// its text at least minTextSize, its labels fitted to its axes (fitLabels)
// and its legend where it covers no data (placeLegend). It returns the
// layout.
func drawPlot(p *plot.Plot, c draw.Canvas) *panelLayout {
	min := minTextSize(c.Size().X)
	q := layoutCopy(p, min)
	fitLabels(q, c, min)
	place, data := drawPanel(q, c)
	keepRanges(p, q)
	return &panelLayout{plot: q, legend: place, data: data}
}

// keepRanges gives p the axis ranges that gonum/plot drew its layout copy
// q with (a flat range widened by ±1, for one), as if p had been drawn.
func keepRanges(p, q *plot.Plot) {
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = q.X.Min, q.X.Max, q.Y.Min, q.Y.Max
}

// PixelSize returns the size in pixels of a figure of w × h points on an
// ordinary (96 DPI) screen. Zero w or h mean DefaultWidth or DefaultHeight.
func PixelSize(w, h vg.Length) (width, height int) {
	w, h, _ = defaults(w, h, 0)
	return int(float64(w/vg.Inch)*ScreenDPI + 0.5), int(float64(h/vg.Inch)*ScreenDPI + 0.5)
}

func defaults(w, h vg.Length, dpi float64) (vg.Length, vg.Length, float64) {
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if dpi == 0 {
		dpi = 2 * ScreenDPI
	}
	if w < 0 || h < 0 || dpi < 0 {
		panic(fmt.Sprintf("plotting: negative size %v × %v at %v DPI", w, h, dpi))
	}
	return w, h, dpi
}
