package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ImageGridConfig configures ImageGrid. The zero value draws up to
// DefaultImageCols images per row, each in ink-on-paper grey and scaled to
// its own range of values.
type ImageGridConfig struct {
	// Title is drawn above the grid.
	Title string
	// Cols is the number of images per row; zero means
	// min(number of images, DefaultImageCols).
	Cols int
	// Titles, when set, labels the images in order, such as "7 → 2" for a
	// digit 7 classified as 2. It may be shorter than the list of images.
	Titles []string
	// Cmap maps a value, scaled to t in [0, 1] between Min and Max, to a
	// colour; nil means Ink (0 white, 1 black). BlueWhiteRed suits signed
	// values such as weights and filters.
	Cmap func(t float64) color.Color
	// Min and Max are the values drawn at t = 0 and t = 1; values outside
	// are clamped. When Min == Max (both zero by default) each image is
	// scaled to its own range: [min, max], or [−M, M] with M = max |v| when
	// Symmetric is set. MNIST digits, stored in [0, 1], use Min 0, Max 1.
	Min, Max  float64
	Symmetric bool
	// CellSize is the side of one image (its longer side, for images that
	// are not square) when the figure has the size returned by Size; zero
	// means DefaultCellSize.
	CellSize vg.Length
}

// Defaults of ImageGridConfig.
const (
	DefaultImageCols = 10
	DefaultCellSize  = 0.8 * vg.Inch
)

// NaNColor is the colour of pixels whose value is NaN or infinite.
var NaNColor = color.RGBA{R: 255, G: 0, B: 255, A: 255}

// Ink maps t in [0, 1] to grey from white (0) to black (1): ink on paper,
// the way the MNIST digits are written.
func Ink(t float64) color.Color {
	v := uint8(math.Round(255 * (1 - clamp01(t))))
	return color.RGBA{R: v, G: v, B: v, A: 255}
}

// BlueWhiteRed maps t in [0, 1] to blue (0), white (0.5) and red (1): with
// a symmetric range, negative values are blue and positive ones red.
func BlueWhiteRed(t float64) color.Color {
	t = clamp01(t)
	if t < 0.5 {
		s := 2 * t // 0 → blue, 1 → white
		return color.RGBA{R: uint8(math.Round(40 + 215*s)), G: uint8(math.Round(80 + 175*s)), B: uint8(math.Round(200 + 55*s)), A: 255}
	}
	s := 2 - 2*t // 1 → white, 0 → red
	return color.RGBA{R: uint8(math.Round(200 + 55*s)), G: uint8(math.Round(30 + 225*s)), B: uint8(math.Round(30 + 225*s)), A: 255}
}

func clamp01(t float64) float64 { return math.Max(0, math.Min(1, t)) }

// ImageGrid returns a figure with the images laid out in rows, without
// axes, each with its title above it. Every image holds w × h values
// stored row by row (index = w·row + col), row 0 at the top, as the MNIST
// pixels are.
//
// The images are drawn pixel for pixel: each is upscaled with
// nearest-neighbour sampling to the resolution of the output, so that the
// 28 × 28 pixels of a digit stay sharp squares instead of the blur that
// gonum's plotter.Image gives. Size returns a figure size with square cells.
//
// ImageGrid panics if w or h is not positive, if an image does not have
// w·h values, or if there are more titles than images.
func ImageGrid(cfg ImageGridConfig, images [][]float64, w, h int) *plot.Plot {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("plotting: ImageGrid: image size %d × %d is not positive", w, h))
	}
	for i, img := range images {
		if len(img) != w*h {
			panic(fmt.Sprintf("plotting: ImageGrid: image %d has %d values, want %d × %d = %d", i, len(img), w, h, w*h))
		}
	}
	if len(cfg.Titles) > len(images) {
		panic(fmt.Sprintf("plotting: ImageGrid: %d titles for %d images", len(cfg.Titles), len(images)))
	}
	p := New()
	p.Title.Text = cfg.Title
	p.HideAxes()
	p.Add(&imageGrid{cfg: cfg, images: images, w: w, h: h})
	return p
}

// cols returns the number of columns for n images.
func (cfg ImageGridConfig) cols(n int) int {
	if cfg.Cols > 0 {
		return cfg.Cols
	}
	return max(1, min(n, DefaultImageCols))
}

// Size returns a figure size for a grid of n images of w × h pixels drawn
// with cfg: CellSize for the longer side of each image, room for the
// titles and the figure's title.
func (cfg ImageGridConfig) Size(n, w, h int) (width, height vg.Length) {
	cell := cfg.CellSize
	if cell == 0 {
		cell = DefaultCellSize
	}
	iw, ih := cell, cell
	if w > h {
		ih = cell * vg.Length(h) / vg.Length(w)
	} else if h > w {
		iw = cell * vg.Length(w) / vg.Length(h)
	}
	cols := cfg.cols(n)
	rows := max(1, (n+cols-1)/cols)
	gap := gapFor(iw)
	th := titleHeight(cfg, iw)
	width = vg.Length(cols)*iw + vg.Length(cols-1)*gap + 2*gap
	height = vg.Length(rows)*(ih+th) + vg.Length(rows-1)*gap + 2*gap
	if cfg.Title != "" {
		p := New()
		title := p.Title.TextStyle.Rectangle(cfg.Title).Size()
		height += title.Y + p.Title.Padding
		width = max(width, title.X+2*gap) // a title wider than the grid is not cut
	}
	return width, height
}

// gapFor returns the space between images of width iw.
func gapFor(iw vg.Length) vg.Length { return iw / 8 }

// titleStyle returns the text style of the image titles for images of
// width iw: 10 points, smaller for small images.
func titleStyle(iw vg.Length) draw.TextStyle {
	p := New()
	s := p.Title.TextStyle
	size := vg.Points(10)
	if m := iw * 0.22; m < size {
		size = m
	}
	s.Font.Size = size
	s.XAlign = draw.XCenter
	s.YAlign = draw.YBottom
	return s
}

// fitWidth returns s, with a font size made smaller if txt drawn in s
// would be wider than w, so that the title of an image does not run into
// its neighbours'.
func fitWidth(s draw.TextStyle, txt string, w vg.Length) draw.TextStyle {
	if tw := s.Width(txt); tw > w && tw > 0 {
		s.Font.Size *= w / tw
	}
	return s
}

// titleHeight returns the height reserved above each image for its title.
func titleHeight(cfg ImageGridConfig, iw vg.Length) vg.Length {
	if len(cfg.Titles) == 0 {
		return 0
	}
	return titleStyle(iw).FontExtents().Height * 1.25
}

// imageGrid is the plotter that draws the images of ImageGrid.
type imageGrid struct {
	cfg    ImageGridConfig
	images [][]float64
	w, h   int
}

// Plot draws the grid in the data area of the figure, centred.
func (g *imageGrid) Plot(c draw.Canvas, _ *plot.Plot) {
	n := len(g.images)
	if n == 0 {
		return
	}
	cols := g.cfg.cols(n)
	rows := (n + cols - 1) / cols
	W, H := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	aspect := vg.Length(g.h) / vg.Length(g.w) // ih = iw·aspect
	// The largest image width iw with cols·iw + (cols+1)·gap ≤ W and
	// rows·(ih + th) + (rows+1)·gap ≤ H, where gap = iw/8, ih = iw·aspect
	// and the title height th grows with iw: start from the width bound
	// and shrink to the height bound a few times (th only shrinks).
	iw := W / (vg.Length(cols) + vg.Length(cols+1)/8)
	for range 3 {
		th := titleHeight(g.cfg, iw)
		ihMax := (H - vg.Length(rows)*th) / (vg.Length(rows) + vg.Length(rows+1)/8/aspect)
		if ihMax/aspect < iw {
			iw = ihMax / aspect
		}
	}
	if iw <= 0 {
		return
	}
	ih := iw * aspect
	gap := gapFor(iw)
	th := titleHeight(g.cfg, iw)
	gridW := vg.Length(cols)*iw + vg.Length(cols-1)*gap
	gridH := vg.Length(rows)*(ih+th) + vg.Length(rows-1)*gap
	x0 := c.Min.X + (W-gridW)/2
	yTop := c.Max.Y - (H-gridH)/2
	style := titleStyle(iw)
	dpi := canvasDPI(c.Canvas)
	frame := draw.LineStyle{Color: color.Gray{Y: 190}, Width: vg.Points(0.5)}
	for k, img := range g.images {
		r, col := k/cols, k%cols
		x := x0 + vg.Length(col)*(iw+gap)
		top := yTop - vg.Length(r)*(ih+th+gap)
		rect := vg.Rectangle{Min: vg.Point{X: x, Y: top - th - ih}, Max: vg.Point{X: x + iw, Y: top - th}}
		rect = snap(rect, dpi)
		c.DrawImage(rect, g.render(img, rect, dpi))
		c.StrokeLines(frame, []vg.Point{rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}, rect.Min})
		if k < len(g.cfg.Titles) && g.cfg.Titles[k] != "" {
			c.FillText(fitWidth(style, g.cfg.Titles[k], iw+gap*0.8), vg.Point{X: x + iw/2, Y: rect.Max.Y + th*0.15}, g.cfg.Titles[k])
		}
	}
}

// canvasDPI returns the resolution of the image canvas under c, or 0 for
// a canvas without one (SVG). gonum/plot wraps canvases in draw.Canvas
// values, which hide the DPI method: unwrap them.
func canvasDPI(c vg.Canvas) float64 {
	for {
		switch v := c.(type) {
		case interface{ DPI() float64 }:
			return v.DPI()
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return 0
		}
	}
}

// snap moves the corners of rect to whole device pixels, so that the image
// is not resampled across a pixel boundary (dpi 0: unchanged).
func snap(rect vg.Rectangle, dpi float64) vg.Rectangle {
	if dpi <= 0 {
		return rect
	}
	s := func(v vg.Length) vg.Length { return vg.Length(math.Round(v.Dots(dpi))) * vg.Inch / vg.Length(dpi) }
	return vg.Rectangle{Min: vg.Point{X: s(rect.Min.X), Y: s(rect.Min.Y)}, Max: vg.Point{X: s(rect.Max.X), Y: s(rect.Max.Y)}}
}

// fallbackScale is the upscaling factor of images drawn on canvases
// without a resolution (SVG).
const fallbackScale = 8

// render returns img upscaled with nearest-neighbour sampling to the
// device pixels of rect (or by fallbackScale when dpi is 0), coloured by
// the configuration's colour map and range.
func (g *imageGrid) render(img []float64, rect vg.Rectangle, dpi float64) *image.RGBA {
	pw, ph := g.w*fallbackScale, g.h*fallbackScale
	if dpi > 0 {
		pw = max(1, int(math.Round((rect.Max.X - rect.Min.X).Dots(dpi))))
		ph = max(1, int(math.Round((rect.Max.Y - rect.Min.Y).Dots(dpi))))
	}
	colors := g.colors(img)
	out := image.NewRGBA(image.Rect(0, 0, pw, ph))
	for py := range ph {
		sy := min(g.h-1, py*g.h/ph)
		for px := range pw {
			sx := min(g.w-1, px*g.w/pw)
			out.Set(px, py, colors[sy*g.w+sx])
		}
	}
	return out
}

// colors returns the colour of each pixel of img.
func (g *imageGrid) colors(img []float64) []color.Color {
	lo, hi := ValueRange(g.cfg, img)
	cmap := g.cfg.Cmap
	if cmap == nil {
		cmap = Ink
	}
	out := make([]color.Color, len(img))
	for i, v := range img {
		switch {
		case !isFinite(v):
			out[i] = NaNColor
		case hi == lo:
			out[i] = cmap(0.5)
		default:
			out[i] = cmap((v - lo) / (hi - lo))
		}
	}
	return out
}

// ValueRange returns the values that cfg draws at the two ends of the
// colour map for img: cfg.Min and cfg.Max when they differ, otherwise the
// image's own range (symmetric about 0 if cfg.Symmetric). Non-finite
// values are ignored; an image without finite values gives [0, 0].
func ValueRange(cfg ImageGridConfig, img []float64) (lo, hi float64) {
	if cfg.Min != cfg.Max {
		return cfg.Min, cfg.Max
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range img {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0
	}
	if cfg.Symmetric {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		return -m, m
	}
	return lo, hi
}
