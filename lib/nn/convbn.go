package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ChannelBatchNorm is batch normalization for the feature maps of a
// convolutional layer (§4.2, §6): the k maps of shape m × n × k each get
// one γ and one β, and their statistics are taken over the minibatch and
// all m·n positions of the map,
//
//	μ_c = mean of z over the m·n positions of map c and the B samples,
//	σ²_c = the corresponding variance,   ẑ = (z − μ_c) / √(σ²_c + ε),
//
// so that, like the filters, the normalization is the same at every
// position. It returns γ_c ẑ + β_c. γ (Kind Scale) starts at 1 and β
// (Kind Bias) at 0. Training, Replay and inference work as in BatchNorm, with
// running averages of μ_c and of the unbiased variance; the parameter
// gradients are summed over positions and averaged over the samples, like
// a convolution's.
//
// It is a BatchNorm whose neurons are the k maps: the embedded BatchNorm
// holds γ, β, ε, the momentum and the statistics, one per map (k × 1),
// and ZHat (Shape.Len() × B); its Params, State and Len serve unchanged.
type ChannelBatchNorm struct {
	// Shape is the shape of the maps, m × n × k.
	Shape Shape
	BatchNorm
}

// NewChannelBatchNorm returns batch normalization for maps of shape s; a
// nil cfg means the defaults, as for NewBatchNorm. It panics if s has a
// size that is not positive or cfg holds an ε < 0 or a momentum outside
// [0, 1].
func NewChannelBatchNorm(s Shape, cfg *BatchNormConfig) *ChannelBatchNorm {
	if !s.valid() {
		panic(fmt.Sprintf("nn: NewChannelBatchNorm: shape %v must have positive sizes", s))
	}
	return &ChannelBatchNorm{Shape: s, BatchNorm: *NewBatchNorm(s.Channels, cfg)}
}

// Forward returns γ ẑ + β for the batch z (Shape.Len() × B), normalizing
// with the statistics of the batch in Training mode and with the running
// ones in Inference mode.
func (b *ChannelBatchNorm) Forward(z *mat.Dense, mode Mode) *mat.Dense {
	r, m := z.Dims()
	if r != b.Shape.Len() {
		panic(fmt.Sprintf("nn: ChannelBatchNorm.Forward: input has %d rows, layer expects %v = %d (one column per sample)", r, b.Shape, b.Shape.Len()))
	}
	P := b.Shape.Height * b.Shape.Width // positions per map
	if (mode == Training || mode == Replay) && P*m < 2 {
		panic("nn: ChannelBatchNorm.Forward: training needs at least 2 values per map")
	}
	return b.normalize(z, P, mode)
}

// Backward takes g = ∂C/∂output, sets ∂C/∂γ_c = (1/B) Σ g ⊙ ẑ and
// ∂C/∂β_c = (1/B) Σ g (sums over the positions of map c and the B
// samples) and returns ∂C/∂z, per map
//
//	∂C/∂z = (γ_c / √(σ²_c + ε)) · (g − mean(g) − ẑ · mean(g ⊙ ẑ))
//
// with means over the map's positions and samples after a Training pass,
// and γ_c g / √(σ²_run + ε) after an Inference pass.
func (b *ChannelBatchNorm) Backward(dout *mat.Dense) *mat.Dense {
	return b.backward("ChannelBatchNorm.Backward", dout, b.Shape.Height*b.Shape.Width)
}

func (b *ChannelBatchNorm) String() string { return fmt.Sprintf("ChannelBatchNorm(%v)", b.Shape) }
