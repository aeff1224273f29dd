package nn

import (
	"fmt"
	"math"

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
type ChannelBatchNorm struct {
	// Shape is the shape of the maps, m × n × k.
	Shape       Shape
	Gamma, Beta *Param
	Eps         float64
	Momentum    float64
	// RunningMean and RunningVar are k × 1; they start at 0 and 1.
	RunningMean, RunningVar *mat.Dense

	// After a Training Forward: Mean and Var are the batch statistics of
	// every map (k × 1) and ZHat is ẑ.
	Mean, Var, ZHat *mat.Dense

	invStd   []float64
	training bool
	out, dz  *mat.Dense
}

// NewChannelBatchNorm returns batch normalization for maps of shape s; a
// nil cfg means the defaults, as for NewBatchNorm. It panics if s has a
// size that is not positive or cfg holds an ε < 0 or a momentum outside
// [0, 1].
func NewChannelBatchNorm(s Shape, cfg *BatchNormConfig) *ChannelBatchNorm {
	if !s.valid() {
		panic(fmt.Sprintf("nn: NewChannelBatchNorm: shape %v must have positive sizes", s))
	}
	bn := NewBatchNorm(s.Channels, cfg) // defaults, checks and initial values
	return &ChannelBatchNorm{
		Shape: s, Gamma: bn.Gamma, Beta: bn.Beta, Eps: bn.Eps, Momentum: bn.Momentum,
		RunningMean: bn.RunningMean, RunningVar: bn.RunningVar,
		Mean: bn.Mean, Var: bn.Var, invStd: make([]float64, s.Channels),
	}
}

// Forward returns γ ẑ + β for the batch z (Shape.Len() × B), normalizing
// with the statistics of the batch in Training mode and with the running
// ones in Inference mode.
func (b *ChannelBatchNorm) Forward(z *mat.Dense, mode Mode) *mat.Dense {
	replay := mode == Replay // batch statistics, running averages unchanged
	if replay {
		mode = Training
	}
	r, m := z.Dims()
	if r != b.Shape.Len() {
		panic(fmt.Sprintf("nn: ChannelBatchNorm.Forward: input has %d rows, layer expects %v = %d (one column per sample)", r, b.Shape, b.Shape.Len()))
	}
	P := b.Shape.Height * b.Shape.Width
	N := P * m // values per map
	b.training = mode == Training
	if b.training && N < 2 {
		panic("nn: ChannelBatchNorm.Forward: training needs at least 2 values per map")
	}
	zr := z.RawMatrix()
	b.out = reuse(b.out, r, m)
	b.ZHat = reuse(b.ZHat, r, m)
	od, hd := b.out.RawMatrix().Data, b.ZHat.RawMatrix().Data
	gamma, beta := b.Gamma.Value.RawMatrix().Data, b.Beta.Value.RawMatrix().Data
	mean, vr := b.Mean.RawMatrix().Data, b.Var.RawMatrix().Data
	rm, rv := b.RunningMean.RawMatrix().Data, b.RunningVar.RawMatrix().Data
	rowsOf := func(c int, f func(row []float64, off int)) {
		for i := c * P; i < (c+1)*P; i++ {
			f(zr.Data[i*zr.Stride:i*zr.Stride+m], i*m)
		}
	}
	for c := range b.Shape.Channels {
		var mu, v float64
		if b.training {
			rowsOf(c, func(row []float64, _ int) {
				for _, x := range row {
					mu += x
				}
			})
			mu /= float64(N)
			rowsOf(c, func(row []float64, _ int) {
				for _, x := range row {
					v += (x - mu) * (x - mu)
				}
			})
			v /= float64(N)
			mean[c], vr[c] = mu, v
			if !replay {
				rm[c] = (1-b.Momentum)*rm[c] + b.Momentum*mu
				rv[c] = (1-b.Momentum)*rv[c] + b.Momentum*v*float64(N)/float64(N-1)
			}
		} else {
			mu, v = rm[c], rv[c]
		}
		is := 1 / math.Sqrt(v+b.Eps)
		b.invStd[c] = is
		g, bt := gamma[c], beta[c]
		rowsOf(c, func(row []float64, off int) {
			for j, x := range row {
				h := (x - mu) * is
				hd[off+j] = h
				od[off+j] = g*h + bt
			}
		})
	}
	return b.out
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
	if b.out == nil {
		panic("nn: ChannelBatchNorm.Backward before Forward")
	}
	r, m := b.out.Dims()
	if gr, gc := dout.Dims(); gr != r || gc != m {
		panic(shapeError("ChannelBatchNorm.Backward: gradient vs layer output", gr, gc, r, m))
	}
	P := b.Shape.Height * b.Shape.Width
	N := float64(P * m)
	b.dz = reuse(b.dz, r, m)
	g := dout.RawMatrix()
	dzd, hd := b.dz.RawMatrix().Data, b.ZHat.RawMatrix().Data
	gamma := b.Gamma.Value.RawMatrix().Data
	dgamma, dbeta := b.Gamma.Grad.RawMatrix().Data, b.Beta.Grad.RawMatrix().Data
	for c := range b.Shape.Channels {
		var sg, sgh float64
		for i := c * P; i < (c+1)*P; i++ {
			for j, v := range g.Data[i*g.Stride : i*g.Stride+m] {
				sg += v
				sgh += v * hd[i*m+j]
			}
		}
		dgamma[c] = sgh / float64(m)
		dbeta[c] = sg / float64(m)
		k := gamma[c] * b.invStd[c]
		mg, mgh := sg/N, sgh/N
		for i := c * P; i < (c+1)*P; i++ {
			for j, v := range g.Data[i*g.Stride : i*g.Stride+m] {
				if b.training {
					dzd[i*m+j] = k * (v - mg - hd[i*m+j]*mgh)
				} else {
					dzd[i*m+j] = k * v
				}
			}
		}
	}
	return b.dz
}

// Params returns γ and β.
func (b *ChannelBatchNorm) Params() []*Param { return []*Param{b.Gamma, b.Beta} }

// State returns the running mean and variance, which Network.Save and Load
// keep along with the parameters.
func (b *ChannelBatchNorm) State() []*mat.Dense {
	return []*mat.Dense{b.RunningMean, b.RunningVar}
}

func (b *ChannelBatchNorm) String() string { return fmt.Sprintf("ChannelBatchNorm(%v)", b.Shape) }
