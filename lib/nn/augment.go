package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Image augmentation (§4.1, §5) makes new training samples from old ones by
// transformations that keep the label: shifts by a pixel, small rotations,
// elastic distortions, noise. An image of w × h pixels is a slice (or a
// column of X) with pixel p = w·row + col, as MNIST stores it; pixels that
// a transformation brings in from outside the image are 0 (background).

// ShiftImage sets dst to src moved dx pixels right and dy pixels down
// (negative values move left and up) and returns dst, allocated when nil.
// dst must not be src.
func ShiftImage(dst, src []float64, w, h, dx, dy int) []float64 {
	dst = imageDst(dst, src, w, h, "ShiftImage")
	for r := range h {
		for c := range w {
			sr, sc := r-dy, c-dx
			v := 0.0
			if sr >= 0 && sr < h && sc >= 0 && sc < w {
				v = src[sr*w+sc]
			}
			dst[r*w+c] = v
		}
	}
	return dst
}

// RotateImage sets dst to src rotated by the given angle in degrees
// (counter-clockwise as seen on screen) about the image centre, with
// bilinear interpolation, and returns dst, allocated when nil. dst must
// not be src.
func RotateImage(dst, src []float64, w, h int, degrees float64) []float64 {
	dst = imageDst(dst, src, w, h, "RotateImage")
	s, c := math.Sincos(degrees * math.Pi / 180)
	cx, cy := float64(w-1)/2, float64(h-1)/2
	for r := range h {
		for col := range w {
			// Inverse map: the source point that lands on (col, r). Rows
			// grow downwards, so a counter-clockwise turn on screen is a
			// clockwise one in (x, y) with y down.
			x, y := float64(col)-cx, float64(r)-cy
			sx := c*x - s*y + cx
			sy := s*x + c*y + cy
			dst[r*w+col] = bilinear(src, w, h, sx, sy)
		}
	}
	return dst
}

// ElasticImage sets dst to an elastic distortion of src (Simard, Steinkraus
// and Platt, 2003) and returns dst, allocated when nil: every pixel is
// displaced by a random field, uniform in [−1, 1] per pixel and axis,
// smoothed by a Gaussian of standard deviation sigma pixels and scaled by
// alpha. Simard et al. used sigma = 4 and alpha = 34 on MNIST; smaller
// alpha distorts less. dst must not be src.
func ElasticImage(dst, src []float64, w, h int, alpha, sigma float64, rng *rand.Rand) []float64 {
	dst = imageDst(dst, src, w, h, "ElasticImage")
	if !(sigma > 0) {
		panic(fmt.Sprintf("nn: ElasticImage: sigma must be positive, got %v", sigma))
	}
	if rng == nil {
		panic("nn: ElasticImage: nil *rand.Rand")
	}
	fx := make([]float64, w*h)
	fy := make([]float64, w*h)
	for i := range fx {
		fx[i] = 2*rng.Float64() - 1
		fy[i] = 2*rng.Float64() - 1
	}
	fx = gaussianBlur(fx, w, h, sigma)
	fy = gaussianBlur(fy, w, h, sigma)
	for r := range h {
		for c := range w {
			k := r*w + c
			dst[k] = bilinear(src, w, h, float64(c)+alpha*fx[k], float64(r)+alpha*fy[k])
		}
	}
	return dst
}

// AugmentConfig configures Augment. Sizes and counts that are zero mean
// their defaults; every strength means what it holds, zero included (no
// such transformation), so the zero value makes one unchanged copy of each
// 28 × 28 image. Nielsen's ±1-pixel shifts are MaxShift: 1.
type AugmentConfig struct {
	// Width and Height are the image size; 0 means 28 (MNIST).
	Width, Height int
	// MaxShift is the largest shift in pixels along each axis, drawn
	// uniformly from −MaxShift..MaxShift; 0 means none.
	MaxShift int
	// MaxAngle is the largest rotation in degrees, drawn uniformly from
	// [−MaxAngle, MaxAngle]; 0 means none.
	MaxAngle float64
	// ElasticAlpha and ElasticSigma, when ElasticAlpha > 0, add an elastic
	// distortion (ElasticImage); ElasticSigma 0 means 4.
	ElasticAlpha, ElasticSigma float64
	// Noise is the standard deviation of Gaussian noise added to every
	// pixel, after which pixels are clipped to [0, 1]; 0 means none.
	Noise float64
	// Copies is the number of transformed copies of each image; 0 means 1.
	Copies int
}

// Augment returns a new Dataset with cfg.Copies randomly transformed copies
// of every image of d, in the order copy 1 of every sample, copy 2 of every
// sample, and so on. Targets and labels are those of the originals. The
// transformations are drawn from rng, so a seeded source repeats them.
// Join the result with the originals by Concat.
func Augment(d *Dataset, cfg AugmentConfig, rng *rand.Rand) *Dataset {
	w, h := cfg.Width, cfg.Height
	if w == 0 {
		w = 28
	}
	if h == 0 {
		h = 28
	}
	if rng == nil {
		panic("nn: Augment: nil *rand.Rand; pass rand.New(rand.NewPCG(seed, 0))")
	}
	if err := d.Validate(); err != nil {
		panic("nn: Augment: " + err.Error())
	}
	r, n := d.X.Dims()
	if r != w*h {
		panic(fmt.Sprintf("nn: Augment: inputs have %d rows, images of %d × %d need %d", r, w, h, w*h))
	}
	if cfg.MaxShift < 0 {
		panic(fmt.Sprintf("nn: Augment: MaxShift = %d is negative (0 means no shift)", cfg.MaxShift))
	}
	shift := cfg.MaxShift
	sigma := cfg.ElasticSigma
	if sigma == 0 {
		sigma = 4
	}
	copies := max(cfg.Copies, 1)
	src := make([]float64, r)
	a := make([]float64, r)
	b := make([]float64, r)
	out := mat.NewDense(r, n*copies, nil)
	for k := range copies {
		for j := range n {
			mat.Col(src, j, d.X)
			cur, next := src, a
			if shift > 0 {
				dx, dy := rng.IntN(2*shift+1)-shift, rng.IntN(2*shift+1)-shift
				cur, next = ShiftImage(next, cur, w, h, dx, dy), other(next, a, b)
			}
			if cfg.MaxAngle != 0 {
				deg := (2*rng.Float64() - 1) * cfg.MaxAngle
				cur, next = RotateImage(next, cur, w, h, deg), other(next, a, b)
			}
			if cfg.ElasticAlpha > 0 {
				cur = ElasticImage(next, cur, w, h, cfg.ElasticAlpha, sigma, rng)
			}
			if cfg.Noise > 0 {
				if &cur[0] == &src[0] {
					copy(next, cur)
					cur = next
				}
				for i := range cur {
					cur[i] = min(max(cur[i]+cfg.Noise*rng.NormFloat64(), 0), 1)
				}
			}
			out.SetCol(k*n+j, cur)
		}
	}
	idx := make([]int, n*copies)
	for i := range idx {
		idx[i] = i % n
	}
	res := d.Subset(idx)
	res.X = out
	return res
}

// other returns whichever of a and b is not cur.
func other(cur, a, b []float64) []float64 {
	if &cur[0] == &a[0] {
		return b
	}
	return a
}

// ExpandShifts returns Nielsen's expanded training set: every image of d
// followed by its four copies moved by one pixel up, down, left and right,
// five times as many samples with the same labels. Images are width ×
// height.
func ExpandShifts(d *Dataset, width, height int) *Dataset {
	if err := d.Validate(); err != nil {
		panic("nn: ExpandShifts: " + err.Error())
	}
	r, n := d.X.Dims()
	if r != width*height {
		panic(fmt.Sprintf("nn: ExpandShifts: inputs have %d rows, images of %d × %d need %d", r, width, height, width*height))
	}
	shifts := [][2]int{{0, 0}, {0, -1}, {0, 1}, {-1, 0}, {1, 0}}
	idx := make([]int, 0, n*len(shifts))
	out := mat.NewDense(r, n*len(shifts), nil)
	src := make([]float64, r)
	dst := make([]float64, r)
	for j := range n {
		mat.Col(src, j, d.X)
		for k, s := range shifts {
			out.SetCol(j*len(shifts)+k, ShiftImage(dst, src, width, height, s[0], s[1]))
			idx = append(idx, j)
		}
	}
	res := d.Subset(idx)
	res.X = out
	return res
}

// Concat returns the samples of every dataset, one after the other, as a
// new Dataset. The inputs and targets must have the same numbers of rows,
// and either all or none of the datasets have labels.
func Concat(ds ...*Dataset) *Dataset {
	if len(ds) == 0 {
		panic("nn: Concat: no datasets")
	}
	rx, _ := ds[0].X.Dims()
	ry, _ := ds[0].Y.Dims()
	total := 0
	for i, d := range ds {
		if err := d.validateShape(); err != nil {
			panic(fmt.Sprintf("nn: Concat: dataset %d: %v", i+1, err))
		}
		r, c := d.X.Dims()
		q, _ := d.Y.Dims()
		if r != rx || q != ry {
			panic(fmt.Sprintf("nn: Concat: dataset %d has %d inputs and %d targets per sample, dataset 1 has %d and %d", i+1, r, q, rx, ry))
		}
		if (d.Labels == nil) != (ds[0].Labels == nil) {
			panic(fmt.Sprintf("nn: Concat: dataset %d and dataset 1 differ in having labels", i+1))
		}
		total += c
	}
	out := &Dataset{X: mat.NewDense(rx, total, nil), Y: mat.NewDense(ry, total, nil)}
	start := 0
	for _, d := range ds {
		c := d.Len()
		out.X.Slice(0, rx, start, start+c).(*mat.Dense).Copy(d.X)
		out.Y.Slice(0, ry, start, start+c).(*mat.Dense).Copy(d.Y)
		if d.Labels != nil {
			out.Labels = append(out.Labels, d.Labels...)
		}
		start += c
	}
	return out
}

func imageDst(dst, src []float64, w, h int, who string) []float64 {
	if w <= 0 || h <= 0 || len(src) != w*h {
		panic(fmt.Sprintf("nn: %s: image of %d values is not %d × %d", who, len(src), w, h))
	}
	if dst == nil {
		return make([]float64, w*h)
	}
	if len(dst) != w*h {
		panic(fmt.Sprintf("nn: %s: destination has %d values, need %d", who, len(dst), w*h))
	}
	if &dst[0] == &src[0] {
		panic(fmt.Sprintf("nn: %s: dst must not be src", who))
	}
	return dst
}

// bilinear returns the image at the real position (x, y), 0 outside.
func bilinear(img []float64, w, h int, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	at := func(c, r int) float64 {
		if c < 0 || c >= w || r < 0 || r >= h {
			return 0
		}
		return img[r*w+c]
	}
	c, r := int(x0), int(y0)
	return (1-fy)*((1-fx)*at(c, r)+fx*at(c+1, r)) + fy*((1-fx)*at(c, r+1)+fx*at(c+1, r+1))
}

// gaussianBlur returns img convolved with a Gaussian of standard deviation
// sigma (separable, normalized, truncated at 3σ, zero outside the image).
func gaussianBlur(img []float64, w, h int, sigma float64) []float64 {
	rad := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*rad+1)
	sum := 0.0
	for i := range k {
		d := float64(i - rad)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, w*h)
	out := make([]float64, w*h)
	for r := range h { // along the rows
		convolveLine(tmp[r*w:], img[r*w:], w, 1, k)
	}
	for c := range w { // then along the columns
		convolveLine(out[c:], tmp[c:], h, w, k)
	}
	return out
}

// convolveLine sets dst[i·step] = Σ_j k[j]·src[(i+j−rad)·step] for the n
// values i < n of a line (a row for step 1, a column for step w), with
// rad = len(k)/2 and zeros outside the line.
func convolveLine(dst, src []float64, n, step int, k []float64) {
	rad := len(k) / 2
	for i := range n {
		s := 0.0
		for j, kv := range k {
			if ii := i + j - rad; ii >= 0 && ii < n {
				s += kv * src[ii*step]
			}
		}
		dst[i*step] = s
	}
}
