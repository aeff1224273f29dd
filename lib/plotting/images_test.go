package plotting

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
)

func renderImage(t *testing.T, p Drawer, w, h vg.Length) image.Image {
	t.Helper()
	b, err := PNG(p, w, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func gray(c color.Color) uint8 { return color.GrayModel.Convert(c).(color.Gray).Y }

// darkBox returns the bounding box of the pixels darker than 100.
func darkBox(img image.Image) image.Rectangle {
	b := img.Bounds()
	box := image.Rectangle{Min: b.Max, Max: b.Min}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if gray(img.At(x, y)) < 100 {
				box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
				box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
			}
		}
	}
	return box
}

// A 4 × 4 checkerboard of 2 × 2 blocks must come out as sharp squares in
// the right orientation: a blurry upscale (plotter.Image) fills the inside
// of the image with intermediate greys.
func TestImageGridDrawsSharpPixels(t *testing.T) {
	board := []float64{
		1, 1, 0, 0,
		1, 1, 0, 0,
		0, 0, 1, 1,
		0, 0, 1, 1,
	}
	p := ImageGrid(ImageGridConfig{Min: 0, Max: 1}, [][]float64{board}, 4, 4)
	img := renderImage(t, p, 2*vg.Inch, 2*vg.Inch)
	box := darkBox(img)
	if box.Dx() < 100 || box.Dy() < 100 {
		t.Fatalf("image drawn in %v, want at least 100 × 100 px in a 384 px figure", box)
	}
	// The dark blocks are the top-left and bottom-right quarters: the
	// bounding box of dark pixels spans the whole image.
	if d := box.Dx() - box.Dy(); d < -2 || d > 2 {
		t.Errorf("image is %d × %d px, want square", box.Dx(), box.Dy())
	}
	cx, cy := (box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2
	q := box.Dx() / 4
	for _, tc := range []struct {
		x, y int
		dark bool
	}{
		{box.Min.X + q, box.Min.Y + q, true},  // top left: row 0, col 0 = 1
		{box.Max.X - q, box.Min.Y + q, false}, // top right
		{box.Min.X + q, box.Max.Y - q, false}, // bottom left
		{box.Max.X - q, box.Max.Y - q, true},  // bottom right
	} {
		if g := gray(img.At(tc.x, tc.y)); (g < 128) != tc.dark {
			t.Errorf("pixel (%d, %d) has grey %d, want dark=%v", tc.x, tc.y, g, tc.dark)
		}
	}
	// Away from the block edges every pixel is pure black or white.
	mixed := 0
	for y := box.Min.Y + 2; y < box.Max.Y-2; y++ {
		for x := box.Min.X + 2; x < box.Max.X-2; x++ {
			if abs(x-cx) <= 1 || abs(y-cy) <= 1 {
				continue
			}
			if g := gray(img.At(x, y)); g > 5 && g < 250 {
				mixed++
			}
		}
	}
	if mixed > 0 {
		t.Errorf("%d pixels inside the blocks are neither black nor white: the image is blurred", mixed)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Images are laid out row by row, Cols per row.
func TestImageGridLayout(t *testing.T) {
	black := make([]float64, 4)
	for i := range black {
		black[i] = 1
	}
	white := make([]float64, 4)
	imgs := [][]float64{black, white, white, white, black}
	cfg := ImageGridConfig{Cols: 2, Min: 0, Max: 1}
	w, h := cfg.Size(len(imgs), 2, 2)
	if w <= 0 || h <= w {
		t.Fatalf("size %v × %v for 3 rows of 2, want taller than wide", w, h)
	}
	img := renderImage(t, ImageGrid(cfg, imgs, 2, 2), w, h)
	box := darkBox(img)
	// Image 0 is top left and image 4 bottom left: the dark box spans the
	// left column from top to bottom and no more than half the width.
	if box.Dy() < box.Dx()*2 {
		t.Errorf("dark pixels in %v: want the left column of three rows", box)
	}
	if box.Max.X > img.Bounds().Dx()/2+2 {
		t.Errorf("dark pixels reach x = %d of %d: image 4 is not in the left column", box.Max.X, img.Bounds().Dx())
	}
}

func TestImageGridTitlesAddHeight(t *testing.T) {
	cfg := ImageGridConfig{Cols: 3}
	_, h0 := cfg.Size(6, 28, 28)
	cfg.Titles = []string{"7 → 2"}
	_, h1 := cfg.Size(6, 28, 28)
	cfg.Title = "misclassified"
	_, h2 := cfg.Size(6, 28, 28)
	if !(h0 < h1 && h1 < h2) {
		t.Errorf("heights %v, %v, %v: want titles and a figure title to add height", h0, h1, h2)
	}
	w, _ := ImageGridConfig{}.Size(25, 28, 28)
	if want := 10*DefaultCellSize + 11*DefaultCellSize/8; math.Abs(float64(w-want)) > 1e-9 {
		t.Errorf("width of 25 images %v, want 10 columns: %v", w, want)
	}
	// Rendering with titles works and draws text (dark pixels above the image).
	blank := make([]float64, 28*28)
	img := renderImage(t, ImageGrid(ImageGridConfig{Titles: []string{"7 → 2"}, Min: 0, Max: 1}, [][]float64{blank}, 28, 28), 2*vg.Inch, 2*vg.Inch)
	if box := darkBox(img); box.Empty() {
		t.Error("no title drawn")
	}
}

func TestValueRange(t *testing.T) {
	img := []float64{-0.5, 2, math.NaN(), 1}
	for _, tc := range []struct {
		name   string
		cfg    ImageGridConfig
		lo, hi float64
	}{
		{"fixed", ImageGridConfig{Min: 0, Max: 1}, 0, 1},
		{"own range", ImageGridConfig{}, -0.5, 2},
		{"symmetric", ImageGridConfig{Symmetric: true}, -2, 2},
	} {
		lo, hi := ValueRange(tc.cfg, img)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("%s: [%v, %v], want [%v, %v]", tc.name, lo, hi, tc.lo, tc.hi)
		}
	}
	if lo, hi := ValueRange(ImageGridConfig{}, []float64{math.NaN()}); lo != 0 || hi != 0 {
		t.Errorf("all NaN: [%v, %v], want [0, 0]", lo, hi)
	}
}

func TestColorMaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    color.Color
		want color.RGBA
	}{
		{"Ink(0)", Ink(0), color.RGBA{255, 255, 255, 255}},
		{"Ink(1)", Ink(1), color.RGBA{0, 0, 0, 255}},
		{"Ink(2) clamps", Ink(2), color.RGBA{0, 0, 0, 255}},
		{"BlueWhiteRed(0.5)", BlueWhiteRed(0.5), color.RGBA{255, 255, 255, 255}},
	} {
		if got := color.RGBAModel.Convert(tc.c).(color.RGBA); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
	lo := color.RGBAModel.Convert(BlueWhiteRed(0)).(color.RGBA)
	hi := color.RGBAModel.Convert(BlueWhiteRed(1)).(color.RGBA)
	if !(lo.B > lo.R && hi.R > hi.B) {
		t.Errorf("BlueWhiteRed ends %v and %v: want blue then red", lo, hi)
	}
}

func TestImageGridPanicsOnMisuse(t *testing.T) {
	expectPanics(t, []panicCase{
		{"wrong length", func() { ImageGrid(ImageGridConfig{}, [][]float64{make([]float64, 5)}, 2, 2) }, "image 0 has 5 values"},
		{"bad size", func() { ImageGrid(ImageGridConfig{}, nil, 0, 2) }, "not positive"},
		{"too many titles", func() { ImageGrid(ImageGridConfig{Titles: []string{"a", "b"}}, [][]float64{make([]float64, 4)}, 2, 2) }, "2 titles for 1 images"},
	})
}

// An empty grid and an SVG rendering (no resolution) both work.
func TestImageGridEmptyAndSVG(t *testing.T) {
	if _, err := PNG(ImageGrid(ImageGridConfig{Title: "none"}, nil, 28, 28), 0, 0, 0); err != nil {
		t.Error(err)
	}
	b, err := SVG(ImageGrid(ImageGridConfig{}, [][]float64{{0, 1, 1, 0}}, 2, 2), 0, 0)
	if err != nil || !bytes.Contains(b, []byte("<image")) {
		t.Errorf("SVG: error %v, image element present: %v", err, bytes.Contains(b, []byte("<image")))
	}
}

// TestImageGridTitlesFit checks that a figure title wider than the grid
// widens the figure given by Size, and that an image title wider than its
// image is drawn smaller, so that neither is cut or overlaps.
func TestImageGridTitlesFit(t *testing.T) {
	long := "Training part: mean μₖ and standard deviation sₖ of every pixel (darker is larger)"
	cfg := ImageGridConfig{Title: long, Titles: []string{"μₖ", "s (scaled to [0, 1])"}}
	w, _ := cfg.Size(2, 28, 28)
	narrow, _ := ImageGridConfig{Title: "μ"}.Size(2, 28, 28)
	if tw := New().Title.TextStyle.Width(long); w < tw || w <= narrow {
		t.Errorf("Size width %v for a title %v wide (%v with a short title)", w, tw, narrow)
	}
	style := titleStyle(DefaultCellSize)
	for _, title := range cfg.Titles {
		s := fitWidth(style, title, DefaultCellSize)
		if got := s.Width(title); got > DefaultCellSize*1.0001 {
			t.Errorf("%q: %v wide after fitWidth, want at most %v", title, got, DefaultCellSize)
		}
		if style.Width(title) <= DefaultCellSize && s.Font.Size != style.Font.Size {
			t.Errorf("%q fits but fitWidth changed its size to %v", title, s.Font.Size)
		}
	}
	if _, err := PNG(ImageGrid(cfg, [][]float64{make([]float64, 784), make([]float64, 784)}, 28, 28), w, 0, 0); err != nil {
		t.Error(err)
	}
}
