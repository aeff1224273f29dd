package nn

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// Shape is the shape m × n × k of a stack of k feature maps of m × n
// neurons (§6.4): the input of a convolutional or pooling layer, or its
// output.
//
// A layer receives a batch with one column per sample, like every layer of
// the package; in a column of length m·n·k the maps come one after
// another, each stored row by row: neuron (c, i, j) of map c is entry
// (c·m + i)·n + j. An MNIST image of 784 pixels, row-major, is therefore
// already a 28 × 28 × 1 column, and the output of a convolutional or
// pooling layer is already the flat vector a fully connected layer takes:
// flattening is the identity in this layout, so no layer is needed for it.
type Shape struct {
	// Height m and Width n of every map, and the number of maps k.
	Height, Width, Channels int
}

// Len returns m·n·k, the length of a column of this shape.
func (s Shape) Len() int { return s.Height * s.Width * s.Channels }

// Index returns the row of neuron (c, i, j) in a column: (c·m + i)·n + j.
func (s Shape) Index(c, i, j int) int { return (c*s.Height+i)*s.Width + j }

func (s Shape) String() string { return fmt.Sprintf("%d×%d×%d", s.Height, s.Width, s.Channels) }

func (s Shape) valid() bool { return s.Height > 0 && s.Width > 0 && s.Channels > 0 }

// ConvOutputSize returns the number of positions (m + 2P − f)/S + 1 of a
// window of size f moved with stride S over m inputs padded by P zeros on
// each side (§6.4). It returns an error naming the numbers when they are
// not positive (P may be 0), when the window is larger than the padded
// input, or when the division is not exact (the last stride would leave
// the input).
func ConvOutputSize(m, f, p, s int) (int, error) {
	n, err := outputSize(m, f, p, s)
	if err != nil {
		return 0, errors.New("nn: " + err.Error())
	}
	return n, nil
}

func outputSize(m, f, p, s int) (int, error) {
	switch {
	case m <= 0 || f <= 0 || s <= 0 || p < 0:
		return 0, fmt.Errorf("size m=%d, window f=%d and stride S=%d must be positive and padding P=%d non-negative", m, f, s, p)
	case f > m+2*p:
		return 0, fmt.Errorf("window f=%d is larger than the padded input m+2P = %d+2·%d = %d", f, m, p, m+2*p)
	case (m+2*p-f)%s != 0:
		return 0, fmt.Errorf("output size (m+2P−f)/S+1 = (%d+2·%d−%d)/%d+1 = %d/%d+1 is not a whole number", m, p, f, s, m+2*p-f, s)
	}
	return (m+2*p-f)/s + 1, nil
}

// ConvConfig configures a convolutional layer (§6.4): an input of
// m × n × k_I, k_O filters of f_H × f_W × k_I plus a bias each, stride
// (S_H, S_W) and zero padding (P_H, P_W). Zero values mean the documented
// defaults.
type ConvConfig struct {
	// Input is m × n × k_I.
	Input Shape
	// Filters is k_O, the number of filters and of output maps.
	Filters int
	// FilterH and FilterW are f_H and f_W; FilterW 0 means FilterH.
	FilterH, FilterW int
	// StrideH and StrideW are S_H and S_W; 0 means 1.
	StrideH, StrideW int
	// PadH and PadW are P_H and P_W, zeros added on each side.
	PadH, PadW int
	// Act is σ; nil means Sigmoid.
	Act Activation
	// Init initializes the filters with fan-in n_in = f_H·f_W·k_I; the zero
	// value is InitScaled.
	Init Init
}

// withDefaults returns cfg with its zero values replaced.
func (cfg ConvConfig) withDefaults() ConvConfig {
	cfg.FilterW = cmp.Or(cfg.FilterW, cfg.FilterH)
	cfg.StrideH = cmp.Or(cfg.StrideH, 1)
	cfg.StrideW = cmp.Or(cfg.StrideW, 1)
	if cfg.Act == nil {
		cfg.Act = Sigmoid{}
	}
	return cfg
}

// OutputShape returns the shape of the layer's output,
// ((m + 2P_H − f_H)/S_H + 1) × ((n + 2P_W − f_W)/S_W + 1) × k_O, or an
// error naming the numbers when the configuration is invalid.
func (cfg ConvConfig) OutputShape() (Shape, error) {
	cfg = cfg.withDefaults()
	if !cfg.Input.valid() {
		return Shape{}, fmt.Errorf("nn: convolution: input m×n×k_I = %v must have positive sizes", cfg.Input)
	}
	if cfg.Filters <= 0 {
		return Shape{}, fmt.Errorf("nn: convolution: number of filters k_O = %d must be positive", cfg.Filters)
	}
	h, err := outputSize(cfg.Input.Height, cfg.FilterH, cfg.PadH, cfg.StrideH)
	if err != nil {
		return Shape{}, fmt.Errorf("nn: convolution, height: %w", err)
	}
	w, err := outputSize(cfg.Input.Width, cfg.FilterW, cfg.PadW, cfg.StrideW)
	if err != nil {
		return Shape{}, fmt.Errorf("nn: convolution, width: %w", err)
	}
	return Shape{Height: h, Width: w, Channels: cfg.Filters}, nil
}

// convChunk is the largest number of samples a convolutional layer
// unfolds at once; bigger batches (such as Evaluate's) go in chunks, so the
// unfolded patches stay a few megabytes.
const convChunk = 64

// Conv is a convolutional layer (§6.1, §6.4). Output map o at position
// (i, j) is
//
//	z_{o,i,j} = b_o + Σ_c Σ_{u<f_H} Σ_{v<f_W} F_{o,c,u,v} · a_{c, i·S_H+u−P_H, j·S_W+v−P_W}
//
// with zeros outside the input, and a = σ(z). As in the notes' formula the
// filter is not flipped: strictly, this is a cross-correlation, which is
// what every deep-learning library calls a convolution.
//
// W holds the filters, one per row: row o is filter o flattened as k_I
// maps of f_H × f_W, each row by row (n_in = f_H·f_W·k_I columns), so W is
// k_O × n_in and B is k_O × 1. All positions share them (weight sharing).
//
// Forward unfolds the input patches into a matrix (im2col) and computes
// all positions of all samples with one matrix multiply; the columns of
// the unfolded matrix are ordered by position, then by sample, which makes
// the product's memory the layer's output with one column per sample.
type Conv struct {
	W, B *Param
	Act  Activation
	// In is m × n × k_I and Out the output shape.
	In, Out Shape

	cfg ConvConfig

	// After Forward: Z the weighted input and A the activation, shape
	// Out.Len() × batch (the same matrix when Act is Linear). After
	// Backward: Delta = ∂C/∂z (not averaged). All three belong to the
	// layer or its neighbours and are overwritten by the next pass.
	Z, A, Delta *mat.Dense
	ownDelta    *mat.Dense

	k, p   int // n_in = f_H·f_W·k_I, positions per map
	batch  int // samples of the last Forward
	x      *mat.Dense
	single bool        // the batch is one chunk: products write Z and read Delta
	zc, dc []float64   // chunk scratch: weighted input, delta
	dcols  []float64   // ∂C/∂cols
	panels [][]float64 // per worker: unfolded patches of a few output rows
	parts  [][]float64 // per worker: partial ∂C/∂W and ∂C/∂b
	// The chunk that forwardPanels, gradPanels and col2imMaps work on, and
	// those three bound to the layer once (by NewConv), so that sharing
	// them between goroutines allocates nothing.
	chunk                    convChunkJob
	forwardRun, gradientsRun func(w, q0, q1 int)
	col2imRun                func(w, ch0, ch1 int)
	wT                       *mat.Dense
	dx                       *mat.Dense
	xRows                    *mat.Dense // forwardRows' transposed input
}

// NewConv returns a convolutional layer whose filters and biases are drawn
// by cfg.Init from rng.
//
// It panics, naming the numbers, when the configuration is impossible (a
// size that is not positive, a window larger than the padded input, a
// stride that does not fit: an output size that is not a whole number)
// or rng is nil. To validate a configuration without a panic, call
// cfg.OutputShape first: it returns the same message as an error.
func NewConv(cfg ConvConfig, rng *rand.Rand) *Conv {
	cfg = cfg.withDefaults()
	out, err := cfg.OutputShape()
	if err != nil {
		panic("nn: NewConv: " + strings.TrimPrefix(err.Error(), "nn: "))
	}
	if rng == nil {
		panic("nn: NewConv: nil *rand.Rand; pass rand.New(rand.NewPCG(seed, 0))")
	}
	k := cfg.FilterH * cfg.FilterW * cfg.Input.Channels
	c := &Conv{
		W:   newParam("W", Weight, cfg.Filters, k),
		B:   newParam("b", Bias, cfg.Filters, 1),
		Act: cfg.Act,
		In:  cfg.Input, Out: out,
		cfg: cfg,
		k:   k, p: out.Height * out.Width,
	}
	c.forwardRun, c.gradientsRun, c.col2imRun = c.forwardPanels, c.gradPanels, c.col2imMaps
	cfg.Init.Fill(c.W.Value, c.B.Value, rng)
	return c
}

// Config returns the layer's configuration with defaults filled in.
func (c *Conv) Config() ConvConfig { return c.cfg }

// Params returns the filters W and the biases b.
func (c *Conv) Params() []*Param { return []*Param{c.W, c.B} }

func (c *Conv) String() string {
	cfg := c.cfg
	s := fmt.Sprintf("Conv(%v→%v, %d×%d", c.In, c.Out, cfg.FilterH, cfg.FilterW)
	if cfg.StrideH != 1 || cfg.StrideW != 1 {
		s += fmt.Sprintf(", stride %d×%d", cfg.StrideH, cfg.StrideW)
	}
	if cfg.PadH != 0 || cfg.PadW != 0 {
		s += fmt.Sprintf(", pad %d×%d", cfg.PadH, cfg.PadW)
	}
	return s + fmt.Sprintf(", %v)", c.Act)
}

// forwardRows is Forward for an input with one row per sample (see
// rowsForwarder); the layer transposes it into a buffer of its own.
func (c *Conv) forwardRows(xT *mat.Dense, mode Mode) *mat.Dense {
	m, r := xT.Dims()
	if r != c.In.Len() {
		panic(fmt.Sprintf("nn: Conv.forwardRows: input has %d columns, layer expects %v = %d (one row per sample)", r, c.In, c.In.Len()))
	}
	c.xRows = reuse(c.xRows, r, m)
	transpose(c.xRows, xT)
	return c.Forward(c.xRows, mode)
}

// Forward computes z and a = σ(z) for the batch x (In.Len() × batch).
// The input is kept, not copied, for Backward.
func (c *Conv) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	r, B := x.Dims()
	if r != c.In.Len() {
		panic(fmt.Sprintf("nn: Conv.Forward: input has %d rows, layer expects %v = %d (one column per sample)", r, c.In, c.In.Len()))
	}
	c.x, c.batch = x, B
	kO := c.Out.Channels
	c.Z = reuse(c.Z, c.Out.Len(), B)
	c.single = B <= convChunk
	for s0 := 0; s0 < B; s0 += convChunk {
		b := min(convChunk, B-s0)
		var z []float64
		if c.single {
			z = c.Z.RawMatrix().Data // the product is the output itself
		} else {
			c.zc = grow(c.zc, kO*c.p*b)
			z = c.zc
		}
		c.forwardChunk(z, s0, b)
		if !c.single {
			scatterChunk(c.Z, z, s0, b)
		}
	}
	if _, ok := c.Act.(Linear); ok {
		c.A = c.Z // nothing to apply: a = z
		return c.A
	}
	c.A = reuse(c.A, c.Out.Len(), B)
	apply(c.Act, c.A, c.Z)
	return c.A
}

// panelRows returns how many output rows of a chunk of b samples one panel
// unfolds: a panel of k × (rows·ow·b) patches stays within about 256 KB,
// in the processor's second-level cache between the unfolding and the
// product that reads it (the whole chunk unfolded would be megabytes that
// go through memory twice).
func (c *Conv) panelRows(b int) int {
	return max(1, min(c.Out.Height, (1<<15)/(c.k*c.Out.Width*b)))
}

// panelBuffers returns one panel buffer per worker and the rows per panel.
func (c *Conv) panelBuffers(b int) ([][]float64, int) {
	rows := c.panelRows(b)
	for len(c.panels) < kernel.Workers() {
		c.panels = append(c.panels, nil)
	}
	for w := range c.panels {
		c.panels[w] = grow(c.panels[w], c.k*rows*c.Out.Width*b)
	}
	return c.panels, rows
}

// convChunkJob is a chunk of samples s0, …, s0+b−1 cut into panels of
// rows output rows; m is its weighted input (forward) or its δ (backward),
// k_O × p·b.
type convChunkJob struct {
	m           []float64
	s0, b, rows int
}

// forwardChunk sets z (k_O × p·b) to the weighted input of samples s0, …,
// s0+b−1: panel by panel of output rows, shared between goroutines, it
// unfolds the patches and multiplies them by the filters, then adds the
// biases.
func (c *Conv) forwardChunk(z []float64, s0, b int) { c.sharePanels(z, s0, b, c.forwardRun) }

// paramGradsChunk adds to the workers' parts the gradients δ colsᵀ and
// Σ δ of the chunk of samples s0, …, s0+b−1 whose δ is d (k_O × p·b),
// unfolding the patches panel by panel as forwardChunk does.
func (c *Conv) paramGradsChunk(d []float64, s0, b int) { c.sharePanels(d, s0, b, c.gradientsRun) }

// sharePanels makes the chunk of samples s0, …, s0+b−1 with matrix m the
// current one and shares its panels between goroutines, which run calls
// on ranges [q0, q1) of them.
func (c *Conv) sharePanels(m []float64, s0, b int, run func(w, q0, q1 int)) {
	_, rows := c.panelBuffers(b)
	c.chunk = convChunkJob{m: m, s0: s0, b: b, rows: rows}
	kernel.ParallelWorkers((c.Out.Height+rows-1)/rows, c.Out.Channels*c.k*c.p*b, run)
}

// unfoldPanel unfolds panel q of the current chunk into the buffer of
// worker w and returns that buffer (k × width) and the panel's columns
// [col0, col0+width) of the chunk's matrix.
func (c *Conv) unfoldPanel(w, q int) (buf []float64, col0, width int) {
	j := c.chunk
	i0, i1 := q*j.rows, min((q+1)*j.rows, c.Out.Height)
	col0, width = i0*c.Out.Width*j.b, (i1-i0)*c.Out.Width*j.b
	buf = c.panels[w][:c.k*width]
	c.im2col(buf, j.s0, j.b, i0, i1)
	return buf, col0, width
}

// forwardPanels computes panels [q0, q1) of forwardChunk with the buffer
// of worker w.
func (c *Conv) forwardPanels(w, q0, q1 int) {
	kO, z, n := c.Out.Channels, c.chunk.m, c.p*c.chunk.b
	W := c.W.Value.RawMatrix().Data
	bias := c.B.Value.RawMatrix().Data
	for q := q0; q < q1; q++ {
		buf, col0, width := c.unfoldPanel(w, q)
		// z = b + W·cols: the biases first, then the product added to them
		// (one pass over z instead of two).
		for o := range kO {
			kernel.Fill(z[o*n+col0:o*n+col0+width], bias[o])
		}
		kernel.GemmStrided(z[col0:], n, W, c.k, buf, width, kO, c.k, width, true)
	}
}

// gradPanels computes panels [q0, q1) of paramGradsChunk into the part
// and with the buffer of worker w.
func (c *Conv) gradPanels(w, q0, q1 int) {
	kO, d, n := c.Out.Channels, c.chunk.m, c.p*c.chunk.b
	part := c.parts[w]
	for q := q0; q < q1; q++ {
		buf, col0, width := c.unfoldPanel(w, q)
		kernel.GemmABTStrided(part, c.k, d[col0:], n, buf, width, kO, width, c.k, true)
		for o := range kO {
			part[kO*c.k+o] += floats.Sum(d[o*n+col0 : o*n+col0+width])
		}
	}
}

// Backward takes ∂C/∂a, sets the gradients of the filters and biases
// (averaged over the batch) and returns ∂C/∂input.
func (c *Conv) Backward(dout *mat.Dense) *mat.Dense {
	c.backward(dout, true)
	return c.dx
}

// BackwardParams is Backward without the input gradient, for a first layer.
func (c *Conv) BackwardParams(dout *mat.Dense) { c.backward(dout, false) }

func (c *Conv) backward(dout *mat.Dense, inputGrad bool) {
	zr, zc := checkGrad("Conv.Backward", c.Z, dout)
	if _, ok := c.Act.(Linear); ok && dout.RawMatrix().Stride == zc {
		c.Delta = dout // δ = ∂C/∂a: read, never written
	} else {
		c.Delta = reuse(c.ownDelta, zr, zc)
		c.ownDelta = c.Delta
		c.Act.Backprop(c.Delta, dout, c.Z, c.A)
	}
	c.backwardDelta(inputGrad)
}

// Output returns the weighted input z, the activation a = σ(z) of the
// last Forward and σ (see OutputLayer).
func (c *Conv) Output() (z, a *mat.Dense, act Activation) { return c.Z, c.A, c.Act }

// BackwardDelta is Backward given δ = ∂C/∂z instead of ∂C/∂a.
func (c *Conv) BackwardDelta(delta *mat.Dense) *mat.Dense {
	zr, zc := checkGrad("Conv.BackwardDelta", c.Z, delta)
	c.Delta = reuse(c.ownDelta, zr, zc)
	c.ownDelta = c.Delta
	c.Delta.Copy(delta)
	c.backwardDelta(true)
	return c.dx
}

// backwardDelta sets the gradients from c.Delta and, if inputGrad, c.dx.
func (c *Conv) backwardDelta(inputGrad bool) {
	B, kO := c.batch, c.Out.Channels
	if inputGrad {
		c.dx = reuse(c.dx, c.In.Len(), B)
		c.dx.Zero()
		c.wT = reuse(c.wT, c.k, kO)
		transpose(c.wT, c.W.Value)
	}
	dw := c.W.Grad.RawMatrix().Data
	db := c.B.Grad.RawMatrix().Data
	for len(c.parts) < kernel.Workers() {
		c.parts = append(c.parts, nil)
	}
	for w := range c.parts {
		c.parts[w] = grow(c.parts[w], kO*c.k+kO)
		clear(c.parts[w])
	}
	for s0 := 0; s0 < B; s0 += convChunk {
		b := min(convChunk, B-s0)
		n := c.p * b
		var d []float64
		if c.single {
			d = c.Delta.RawMatrix().Data
		} else {
			c.dc = grow(c.dc, kO*n)
			d = c.dc
			gatherChunk(d, c.Delta, s0, b)
		}
		// ∂C/∂W += δ colsᵀ, ∂C/∂b += Σ δ, over the chunk.
		c.paramGradsChunk(d, s0, b)
		if inputGrad {
			// ∂C/∂cols = Wᵀ δ, added back to the input positions.
			c.dcols = grow(c.dcols, c.k*n)
			kernel.Gemm(c.dcols, c.wT.RawMatrix().Data, d, c.k, kO, n, false)
			// Input maps are independent: their rows of ∂C/∂input are
			// shared between goroutines.
			c.chunk = convChunkJob{m: c.dcols, s0: s0, b: b}
			kernel.ParallelWorkers(c.In.Channels, c.k*n, c.col2imRun)
		}
	}
	copy(dw, c.parts[0][:kO*c.k])
	copy(db, c.parts[0][kO*c.k:])
	for _, part := range c.parts[1:] {
		floats.Add(dw, part[:kO*c.k])
		floats.Add(db, part[kO*c.k:])
	}
	inv := 1 / float64(B)
	floats.Scale(inv, dw)
	floats.Scale(inv, db)
}

// im2col writes the patches of samples s0, …, s0+b−1 at output rows
// [i0, i1) into cols, a k × ((i1−i0)·ow·b) matrix: row (c, u, v) of the
// filter, column (position, sample).
func (c *Conv) im2col(cols []float64, s0, b, i0, i1 int) {
	X := c.x.RawMatrix()
	cfg, in := c.cfg, c.In
	ow := c.Out.Width
	n := (i1 - i0) * ow * b
	// With a contiguous whole-batch input and stride 1 along the width,
	// the valid positions of an output row are consecutive input rows.
	runs := X.Stride == b && s0 == 0 && cfg.StrideW == 1
	l := 0
	for ch := range in.Channels {
		for u := range cfg.FilterH {
			for v := range cfg.FilterW {
				row := cols[l*n : (l+1)*n]
				l++
				for i := i0; i < i1; i++ {
					seg := row[(i-i0)*ow*b : (i-i0+1)*ow*b]
					ii := i*cfg.StrideH + u - cfg.PadH
					if ii < 0 || ii >= in.Height {
						clear(seg)
						continue
					}
					base := (ch*in.Height + ii) * in.Width
					// Positions j with 0 ≤ j·S_W + v − P_W < n.
					j0, j1 := validRange(ow, cfg.StrideW, v-cfg.PadW, in.Width)
					clear(seg[:j0*b])
					clear(seg[j1*b:])
					if runs {
						r := base + j0 + v - cfg.PadW
						copy(seg[j0*b:j1*b], X.Data[r*X.Stride:(r+j1-j0)*X.Stride])
						continue
					}
					for j := j0; j < j1; j++ {
						r := base + j*cfg.StrideW + v - cfg.PadW
						copy(seg[j*b:(j+1)*b], X.Data[r*X.Stride+s0:r*X.Stride+s0+b])
					}
				}
			}
		}
	}
}

// col2imMaps adds the patch gradients of the chunk (c.chunk: dcols of
// samples s0, …, s0+b−1) to the input gradient of input maps [ch0, ch1),
// the transpose of im2col.
func (c *Conv) col2imMaps(_, ch0, ch1 int) {
	dcols, s0, b := c.chunk.m, c.chunk.s0, c.chunk.b
	D := c.dx.RawMatrix()
	cfg, in := c.cfg, c.In
	oh, ow := c.Out.Height, c.Out.Width
	n := c.p * b
	// As in im2col: with a contiguous whole-batch gradient and stride 1
	// along the width, the valid positions of an output row are
	// consecutive input rows, added in one call.
	runs := D.Stride == b && s0 == 0 && cfg.StrideW == 1
	for ch := ch0; ch < ch1; ch++ {
		l := ch * cfg.FilterH * cfg.FilterW // the first row of dcols for map ch
		for u := range cfg.FilterH {
			for v := range cfg.FilterW {
				row := dcols[l*n : (l+1)*n]
				l++
				for i := range oh {
					ii := i*cfg.StrideH + u - cfg.PadH
					if ii < 0 || ii >= in.Height {
						continue
					}
					base := (ch*in.Height + ii) * in.Width
					j0, j1 := validRange(ow, cfg.StrideW, v-cfg.PadW, in.Width)
					if runs {
						r := base + j0 + v - cfg.PadW
						floats.Add(D.Data[r*b:(r+j1-j0)*b], row[(i*ow+j0)*b:(i*ow+j1)*b])
						continue
					}
					for j := j0; j < j1; j++ {
						r := base + j*cfg.StrideW + v - cfg.PadW
						floats.Add(D.Data[r*D.Stride+s0:r*D.Stride+s0+b], row[(i*ow+j)*b:(i*ow+j+1)*b])
					}
				}
			}
		}
	}
}

// validRange returns the positions [j0, j1) of [0, ow) for which
// j·s + off lies in [0, n).
func validRange(ow, s, off, n int) (j0, j1 int) {
	if off < 0 {
		j0 = (-off + s - 1) / s
	}
	j1 = ow
	if last := (ow-1)*s + off; last >= n {
		j1 = 0
		if n-1-off >= 0 {
			j1 = (n-1-off)/s + 1
		}
	}
	return min(j0, ow), max(min(j1, ow), min(j0, ow))
}

// scatterChunk copies z, a chunk's k_O × (p·b) product, into columns
// s0, …, s0+b−1 of Z (k_O·p × batch).
func scatterChunk(Z *mat.Dense, z []float64, s0, b int) {
	R := Z.RawMatrix()
	for r := range R.Rows {
		copy(R.Data[r*R.Stride+s0:r*R.Stride+s0+b], z[r*b:(r+1)*b])
	}
}

// gatherChunk is the inverse of scatterChunk.
func gatherChunk(z []float64, Z *mat.Dense, s0, b int) {
	R := Z.RawMatrix()
	for r := range R.Rows {
		copy(z[r*b:(r+1)*b], R.Data[r*R.Stride+s0:r*R.Stride+s0+b])
	}
}

// grow returns s resliced to length n, reallocated only when too short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
