package nb

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/redesneuronales/course/lib/nn"
)

// OverfitConfig describes Nielsen's overfitting experiment of §4.1: a
// 784-30-10 sigmoid network with the cross-entropy cost trained by SGD on
// the first 1,000 MNIST training images for 400 epochs. Zero sizes and
// counts mean Nielsen's settings; Eta means what it holds, zero included
// (set Nielsen's 0.5 explicitly), like the Eta of nn.SGD, which Config
// builds from it.
type OverfitConfig struct {
	Images     int     // training images; 0 means 1,000
	TestImages int     // test images; 0 means all 10,000
	Hidden     int     // hidden neurons; 0 means 30
	Epochs     int     // 0 means 400
	Eta        float64 // learning rate η (Nielsen: 0.5); no default
	BatchSize  int     // minibatch size m; 0 means 10
	// Init is the weight initialization; Nielsen's run used his "large"
	// initializer, N(0, 1) for every weight and bias (nn.InitNormal, the
	// zero value here is nn.InitScaled, so set it explicitly).
	Init nn.Init
	Seed uint64 // seed of the weights and of the shuffling
}

// WithDefaults returns c with zero sizes and counts set to Nielsen's values.
func (c OverfitConfig) WithDefaults() OverfitConfig {
	if c.Images == 0 {
		c.Images = 1000
	}
	if c.TestImages == 0 {
		c.TestImages = nn.MNISTTestSize
	}
	if c.Hidden == 0 {
		c.Hidden = 30
	}
	if c.Epochs == 0 {
		c.Epochs = 400
	}
	if c.BatchSize == 0 {
		c.BatchSize = nn.DefaultBatchSize
	}
	return c
}

// Config returns the training configuration: η, m, epochs and a shuffling
// source seeded by Seed. The caller adds Validation and the remedy.
func (c OverfitConfig) Config() nn.TrainConfig {
	c = c.WithDefaults()
	return nn.TrainConfig{Epochs: c.Epochs, BatchSize: c.BatchSize, Optimizer: &nn.SGD{Eta: c.Eta}, Rand: Rand(c.Seed, 1)}
}

// Network returns the 784-Hidden-10 sigmoid network with the binary
// cross-entropy cost and weights drawn with Seed. With keep < 1 a dropout
// layer with keep-probability keep (the notes' scaling) follows the hidden
// layer.
func (c OverfitConfig) Network(keep float64) *nn.Network {
	c = c.WithDefaults()
	rng := Rand(c.Seed, 0)
	hidden := nn.NewDense(nn.MNISTPixels, c.Hidden, nn.Sigmoid{}, c.Init, rng)
	out := nn.NewDense(c.Hidden, nn.MNISTClasses, nn.Sigmoid{}, c.Init, rng)
	if keep < 1 {
		return nn.NewNetwork(nn.BinaryCrossEntropy{}, hidden, nn.NewDropout(keep, nn.ScaleAtInference, Rand(c.Seed, 2)), out)
	}
	return nn.NewNetwork(nn.BinaryCrossEntropy{}, hidden, out)
}

// OverfitData loads the first Images training images, the first
// validation images (as many as the training images, from MNIST's
// validation range) and the first TestImages test images; extra training
// images after the first Images are returned in more (extra of them), for
// the "more data" remedy. A loading error ends the cell.
func OverfitData(c OverfitConfig, extra int) (train, more, validation, test *nn.Dataset) {
	c = c.WithDefaults()
	m, err := nn.LoadMNIST(nn.MNISTConfig{TrainSize: c.Images + extra, ValidationSize: c.Images, TestSize: c.TestImages})
	exitOn(err)
	train = m.Train.Head(c.Images)
	more = m.Train
	return train, more, m.Validation, m.Test
}

// Weights returns the entries of every parameter of Kind Weight.
func Weights(net *nn.Network) []float64 {
	var w []float64
	for _, p := range net.Params() {
		if p.Kind == nn.Weight {
			w = append(w, flatten(p.Value)...)
		}
	}
	return w
}

// SmallFraction returns the fraction of the values whose magnitude is
// below eps.
func SmallFraction(w []float64, eps float64) float64 {
	n := 0
	for _, v := range w {
		if math.Abs(v) < eps {
			n++
		}
	}
	return float64(n) / float64(len(w))
}

// AbsQuantile returns the q-quantile (0 ≤ q ≤ 1) of the magnitudes |w|:
// stat.Quantile with stat.Empirical on the sorted |w|, the smallest |w_i|
// with at least a fraction q of the magnitudes at or below it.
func AbsQuantile(w []float64, q float64) float64 {
	a := make([]float64, len(w))
	for i, v := range w {
		a[i] = math.Abs(v)
	}
	sort.Float64s(a)
	return stat.Quantile(q, stat.Empirical, a, nil)
}
