package nb

// Helpers of notebook 06_CNN (§6): layers with hand-set filters, one
// sample through a layer, feature maps as images, and Nielsen's chapter-6
// networks. The convolution and pooling themselves are written as loops in
// the notebook's cells.

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// FilterConv returns a convolutional layer on a single-map input of
// m × n whose filters are the given f_H × f_W filters (row by row) with
// zero biases, moved with stride s and padding p, and activation act (nil
// means Linear: the layer then outputs z itself). Like nn.NewConv, it
// panics when the sizes are impossible or a filter does not have f_H·f_W
// values.
func FilterConv(m, n int, filters [][]float64, fh, fw, s, p int, act nn.Activation) *nn.Conv {
	if act == nil {
		act = nn.Linear{}
	}
	for o, f := range filters {
		if len(f) != fh*fw {
			panic(fmt.Sprintf("nb: FilterConv: filter %d has %d values, want %d × %d", o, len(f), fh, fw))
		}
	}
	c := nn.NewConv(nn.ConvConfig{
		Input: nn.Shape{Height: m, Width: n, Channels: 1}, Filters: len(filters),
		FilterH: fh, FilterW: fw, StrideH: s, StrideW: s, PadH: p, PadW: p, Act: act,
	}, Rand(1, 1))
	for o, f := range filters {
		c.W.Value.SetRow(o, f)
	}
	c.B.Value.Zero()
	return c
}

// Maps splits a column of the given shape into its k maps of m × n values,
// each row by row, ready for plotting.ImageGrid.
func Maps(col []float64, s nn.Shape) [][]float64 {
	if len(col) != s.Len() {
		panic(fmt.Sprintf("nb: Maps: %d values for shape %v (%d)", len(col), s, s.Len()))
	}
	maps := make([][]float64, s.Channels)
	size := s.Height * s.Width
	for c := range maps {
		maps[c] = append([]float64(nil), col[c*size:(c+1)*size]...)
	}
	return maps
}

// ForwardOne runs one sample (a column) through layer in inference mode
// and returns a copy of the output column.
func ForwardOne(layer nn.Layer, x []float64) []float64 {
	out := layer.Forward(mat.NewDense(len(x), 1, append([]float64(nil), x...)), nn.Inference)
	return mat.Col(nil, 0, out)
}

// Filters returns the filters of a convolutional layer as images: for
// every output map o and input map c the f_H × f_W slice of filter o.
// Filters are stored in W one per row, input maps one after the other.
func Filters(c *nn.Conv) [][]float64 {
	cfg := c.Config()
	size := cfg.FilterH * cfg.FilterW
	var out [][]float64
	for o := range c.Out.Channels {
		row := c.W.Value.RawRowView(o)
		for ch := range c.In.Channels {
			out = append(out, append([]float64(nil), row[ch*size:(ch+1)*size]...))
		}
	}
	return out
}

// MaxAbsDiff returns max_i |a_i − b_i| (+Inf for slices of different
// lengths).
func MaxAbsDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// Crop returns the h × w window at (i0, j0) of every map of a column of
// shape s, maps one after the other, each row by row.
func Crop(col []float64, s nn.Shape, i0, j0, h, w int) []float64 {
	if i0 < 0 || j0 < 0 || i0+h > s.Height || j0+w > s.Width {
		panic(fmt.Sprintf("nb: Crop: window %d×%d at (%d, %d) leaves the %v maps", h, w, i0, j0, s))
	}
	out := make([]float64, 0, h*w*s.Channels)
	for c := range s.Channels {
		for i := range h {
			r := s.Index(c, i0+i, j0)
			out = append(out, col[r:r+w]...)
		}
	}
	return out
}

// CNNConfig describes one network of Nielsen's chapter-6 ladder: one or
// two blocks of convolution (5 × 5 filters, stride 1) → max-pool 2 × 2 → σ
// on 28 × 28 MNIST images, a fully connected hidden layer with σ, and a
// softmax output with the log-likelihood cost. σ is applied after pooling,
// as in Nielsen's ConvPoolLayer: for max pooling and an increasing σ that
// is the same function as pooling σ(z), at a quarter of the cost.
type CNNConfig struct {
	// Filters holds k_O of each convolutional block: {20} or {20, 40}.
	Filters []int
	// Hidden is the size of the fully connected hidden layer.
	Hidden int
	// Act is σ of the convolutions and the hidden layer; nil means Sigmoid.
	Act nn.Activation
	// Init initializes all weights (zero value InitScaled).
	Init nn.Init
	// Keep, when in (0, 1), puts inverted dropout with keep-probability
	// Keep after the hidden layer.
	Keep float64
}

// String describes the network, such as "conv 20×5×5 → pool → conv 40×5×5 →
// pool → FC 100 (relu) → softmax".
func (cfg CNNConfig) String() string {
	act := cfg.Act
	if act == nil {
		act = nn.Sigmoid{}
	}
	s := ""
	for _, k := range cfg.Filters {
		s += fmt.Sprintf("conv %d×5×5 → pool → ", k)
	}
	s += fmt.Sprintf("FC %d (%v)", cfg.Hidden, act)
	if cfg.Keep > 0 && cfg.Keep < 1 {
		s += fmt.Sprintf(" → dropout p=%g", cfg.Keep)
	}
	return s + " → softmax"
}

// NewCNN returns the network cfg describes, initialized from rng (which
// also draws the dropout masks). Like the layers' constructors, it panics
// on an impossible configuration: no convolution, no hidden layer, or
// convolutions and pools that do not fit the maps.
func NewCNN(cfg CNNConfig, rng *rand.Rand) *nn.Network {
	act := cfg.Act
	if act == nil {
		act = nn.Sigmoid{}
	}
	if len(cfg.Filters) == 0 || cfg.Hidden <= 0 {
		panic(fmt.Sprintf("nb: NewCNN: need at least one convolution and a hidden layer, got %v and %d", cfg.Filters, cfg.Hidden))
	}
	in := nn.Shape{Height: nn.MNISTRows, Width: nn.MNISTCols, Channels: 1}
	var layers []nn.Layer
	for _, k := range cfg.Filters {
		conv := nn.NewConv(nn.ConvConfig{Input: in, Filters: k, FilterH: 5, Act: nn.Linear{}, Init: cfg.Init}, rng)
		pool := nn.NewPool(nn.PoolConfig{Input: conv.Out, SizeH: 2})
		layers = append(layers, conv, pool, nn.NewAct(act))
		in = pool.Out
	}
	layers = append(layers, nn.NewDense(in.Len(), cfg.Hidden, act, cfg.Init, rng))
	if cfg.Keep > 0 && cfg.Keep < 1 {
		layers = append(layers, nn.NewDropout(cfg.Keep, nn.Inverted, rng))
	}
	layers = append(layers, nn.NewDense(cfg.Hidden, nn.MNISTClasses, nn.Softmax{}, cfg.Init, rng))
	return nn.NewNetwork(nn.CrossEntropy{}, layers...)
}

// FirstConv returns the first convolutional layer of net (nil if none).
func FirstConv(net *nn.Network) *nn.Conv {
	for _, l := range net.Layers {
		if c, ok := l.(*nn.Conv); ok {
			return c
		}
	}
	return nil
}

// SummaryTable returns the parameter counts of net's layers as a table
// with a total row, its words in the current language.
func SummaryTable(caption string, net *nn.Network) Table {
	t := Table{Caption: caption, Header: []string{T("layer"), T("description"), T("weights"), T("biases"), T("parameters")}}
	total := 0
	for _, s := range net.Summary() {
		t.Rows = append(t.Rows, []string{fmt.Sprint(s.Layer), s.Desc, fmt.Sprint(s.Weights), fmt.Sprint(s.Biases), fmt.Sprint(s.Params())})
		total += s.Params()
	}
	t.Rows = append(t.Rows, []string{"", T("total"), "", "", fmt.Sprint(total)})
	return t
}

// Upsample returns the h × w image (row by row) enlarged by an integer
// factor with nearest-neighbour sampling: (h·factor) × (w·factor) values,
// so that a pooled map can be drawn beside the maps it came from.
func Upsample(img []float64, h, w, factor int) []float64 {
	if len(img) != h*w || factor < 1 {
		panic(fmt.Sprintf("nb: Upsample: %d values for %d × %d, factor %d", len(img), h, w, factor))
	}
	W := w * factor
	out := make([]float64, h*factor*W)
	for i := range h * factor {
		for j := range W {
			out[i*W+j] = img[(i/factor)*w+j/factor]
		}
	}
	return out
}
