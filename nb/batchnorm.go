package nb

import (
	"fmt"

	"github.com/redesneuronales/course/lib/nn"
)

// BNConfig describes a fully connected network with or without batch
// normalization (§4.2), for BNNetwork.
type BNConfig struct {
	// Sizes are n_0, n_1, ..., n_L.
	Sizes []int
	// Hidden is σ of the hidden layers; nil means Sigmoid. The output
	// layer is a sigmoid layer with the binary cross-entropy cost.
	Hidden nn.Activation
	// Init initializes every Dense layer.
	Init nn.Init
	// WeightScale multiplies the initial weights of the hidden layers (not
	// the biases, not the output layer), to model a badly scaled
	// initialization; 0 means 1.
	WeightScale float64
	// BatchNorm, when set, puts a BatchNorm between W a + b and σ in every
	// hidden layer: a^(l) = σ(BN(W a^(l−1) + b)).
	BatchNorm bool
	// Seed draws the initial weights.
	Seed uint64
}

func (c BNConfig) scale() float64 {
	if c.WeightScale == 0 {
		return 1
	}
	return c.WeightScale
}

// BNNetwork builds the network that c describes.
func BNNetwork(c BNConfig) *nn.Network {
	if len(c.Sizes) < 2 {
		panic(fmt.Sprintf("nb: BNNetwork: need at least two sizes, got %v", c.Sizes))
	}
	act := c.Hidden
	if act == nil {
		act = nn.Sigmoid{}
	}
	rng := Rand(c.Seed, 0)
	var layers []nn.Layer
	L := len(c.Sizes) - 1
	for l := range L - 1 {
		if !c.BatchNorm {
			layers = append(layers, nn.NewDense(c.Sizes[l], c.Sizes[l+1], act, c.Init, rng))
			continue
		}
		layers = append(layers,
			nn.NewDense(c.Sizes[l], c.Sizes[l+1], nn.Linear{}, c.Init, rng),
			nn.NewBatchNorm(c.Sizes[l+1], nil),
			nn.NewAct(act))
	}
	layers = append(layers, nn.NewDense(c.Sizes[L-1], c.Sizes[L], nn.Sigmoid{}, c.Init, rng))
	if k := c.scale(); k != 1 {
		for _, l := range layers[:len(layers)-1] {
			if d, ok := l.(*nn.Dense); ok {
				d.W.Value.Scale(k, d.W.Value)
			}
		}
	}
	return nn.NewNetwork(nn.BinaryCrossEntropy{}, layers...)
}
