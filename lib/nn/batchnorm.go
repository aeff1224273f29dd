package nn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// BatchNormConfig configures NewBatchNorm and NewChannelBatchNorm.
//
// Both fields mean what they hold, zero included (ε = 0 is the formula
// without protection against a neuron of zero variance; Momentum = 0 keeps
// the running statistics at their initial values). A nil *BatchNormConfig
// means DefaultBatchNormEps and DefaultBatchNormMomentum.
type BatchNormConfig struct {
	// Eps is the ε ≥ 0 added to the variance.
	Eps float64
	// Momentum, in [0, 1], is the weight of the newest minibatch in the
	// running statistics, running ← (1 − Momentum) running + Momentum batch.
	Momentum float64
}

// The settings of a nil *BatchNormConfig.
const (
	DefaultBatchNormEps      = 1e-5
	DefaultBatchNormMomentum = 0.1
)

// settings returns ε and the momentum of cfg, checked; who names the
// caller in the panic.
func (cfg *BatchNormConfig) settings(who string) (eps, momentum float64) {
	if cfg == nil {
		return DefaultBatchNormEps, DefaultBatchNormMomentum
	}
	if !(cfg.Eps >= 0) || math.IsInf(cfg.Eps, 1) || !(cfg.Momentum >= 0 && cfg.Momentum <= 1) {
		panic(fmt.Sprintf("nn: %s: need finite ε ≥ 0 and 0 ≤ momentum ≤ 1, got ε = %v, momentum = %v", who, cfg.Eps, cfg.Momentum))
	}
	return cfg.Eps, cfg.Momentum
}

// BatchNorm is batch normalization (§4.2), one layer between the weighted
// input z = W a + b and σ. For every neuron i it normalizes z_i over the m
// samples of the minibatch,
//
//	μ = (1/m) Σ z,   σ² = (1/m) Σ (z − μ)²,   ẑ = (z − μ) / √(σ² + ε),
//
// and returns BN(z) = γ ẑ + β with trainable γ (Kind Scale, initialized to
// 1) and β (Kind Bias, initialized to 0), one per neuron.
//
// In Training mode it uses the statistics of the batch and updates running
// averages of μ and of the unbiased variance m σ²/(m − 1) (Replay mode
// uses the batch's statistics without updating them); in Inference
// mode it uses the running averages, so that a sample's output does not
// depend on the other samples of its batch. The running statistics are
// state, not parameters: Network.Save and Load keep them (see Stateful).
type BatchNorm struct {
	Gamma, Beta *Param
	Eps         float64
	Momentum    float64
	// RunningMean and RunningVar are n × 1; they start at 0 and 1.
	RunningMean, RunningVar *mat.Dense

	// After a Training Forward: Mean and Var are the batch statistics μ
	// and σ² (n × 1) and ZHat is ẑ.
	Mean, Var, ZHat *mat.Dense

	invStd   []float64 // 1/√(σ² + ε) per neuron of the last forward pass
	training bool
	out, dz  *mat.Dense
}

// NewBatchNorm returns batch normalization for n neurons; a nil cfg means
// the defaults (ε = 1e-5, momentum 0.1). It panics if n ≤ 0 or cfg holds
// an ε < 0 or a momentum outside [0, 1].
func NewBatchNorm(n int, cfg *BatchNormConfig) *BatchNorm {
	if n <= 0 {
		panic(fmt.Sprintf("nn: NewBatchNorm: number of neurons must be positive, got %d", n))
	}
	eps, mom := cfg.settings("NewBatchNorm")
	b := &BatchNorm{
		Gamma:       newParam("gamma", Scale, n, 1),
		Beta:        newParam("beta", Bias, n, 1),
		Eps:         eps,
		Momentum:    mom,
		RunningMean: mat.NewDense(n, 1, nil),
		RunningVar:  mat.NewDense(n, 1, nil),
		Mean:        mat.NewDense(n, 1, nil),
		Var:         mat.NewDense(n, 1, nil),
		invStd:      make([]float64, n),
	}
	for i := range n {
		b.Gamma.Value.Set(i, 0, 1)
		b.RunningVar.Set(i, 0, 1)
	}
	return b
}

// Len returns the number of neurons n.
func (b *BatchNorm) Len() int {
	n, _ := b.Gamma.Value.Dims()
	return n
}

// Forward returns γ ẑ + β, normalizing with the batch statistics in
// Training mode (which needs m ≥ 2 samples) and with the running ones in
// Inference mode.
func (b *BatchNorm) Forward(z *mat.Dense, mode Mode) *mat.Dense {
	n := b.Len()
	r, m := z.Dims()
	if r != n {
		panic(fmt.Sprintf("nn: BatchNorm.Forward: input has %d rows, layer normalizes %d neurons", r, n))
	}
	if (mode == Training || mode == Replay) && m < 2 {
		panic(fmt.Sprintf("nn: BatchNorm.Forward: training needs a minibatch of at least 2 samples, got %d", m))
	}
	return b.normalize(z, 1, mode)
}

// normalize is Forward for rows of z that come in groups of p: group i
// (rows i·p, …, i·p + p − 1) has γ_i, β_i and the statistics μ_i, σ²_i,
// taken over its p rows and the m samples. BatchNorm has groups of one
// row, a neuron; ChannelBatchNorm a group per map, one row per position.
func (b *BatchNorm) normalize(z *mat.Dense, p int, mode Mode) *mat.Dense {
	replay := mode == Replay // batch statistics, running averages unchanged
	b.training = mode == Training || replay
	r, m := z.Dims()
	N := p * m // values per group
	zr := z.RawMatrix()
	row := func(k int) []float64 { return zr.Data[k*zr.Stride : k*zr.Stride+m] }
	b.out = reuse(b.out, r, m)
	b.ZHat = reuse(b.ZHat, r, m)
	od := b.out.RawMatrix().Data
	hd := b.ZHat.RawMatrix().Data
	gamma := b.Gamma.Value.RawMatrix().Data
	beta := b.Beta.Value.RawMatrix().Data
	mean := b.Mean.RawMatrix().Data
	vr := b.Var.RawMatrix().Data
	rm := b.RunningMean.RawMatrix().Data
	rv := b.RunningVar.RawMatrix().Data
	for i := range b.Len() {
		var mu, v float64
		if b.training {
			for k := i * p; k < (i+1)*p; k++ {
				for _, x := range row(k) {
					mu += x
				}
			}
			mu /= float64(N)
			for k := i * p; k < (i+1)*p; k++ {
				for _, x := range row(k) {
					v += (x - mu) * (x - mu)
				}
			}
			v /= float64(N)
			mean[i], vr[i] = mu, v
			if !replay {
				rm[i] = (1-b.Momentum)*rm[i] + b.Momentum*mu
				rv[i] = (1-b.Momentum)*rv[i] + b.Momentum*v*float64(N)/float64(N-1)
			}
		} else {
			mu, v = rm[i], rv[i]
		}
		is := 1 / math.Sqrt(v+b.Eps)
		b.invStd[i] = is
		for k := i * p; k < (i+1)*p; k++ {
			for j, x := range row(k) {
				h := (x - mu) * is
				hd[k*m+j] = h
				od[k*m+j] = gamma[i]*h + beta[i]
			}
		}
	}
	return b.out
}

// Backward takes g = ∂C/∂BN(z), one column per sample, sets
// ∂C/∂γ = (1/m) Σ g ⊙ ẑ and ∂C/∂β = (1/m) Σ g, and returns ∂C/∂z. After a
// Training pass the batch statistics depend on every z of the batch, and
// the chain rule through μ and σ² gives, per neuron,
//
//	∂C/∂z = (γ / √(σ² + ε)) · (g − mean(g) − ẑ · mean(g ⊙ ẑ)),
//
// the means being over the m samples. After an Inference pass the
// statistics are constants and ∂C/∂z = γ g / √(σ²_run + ε).
func (b *BatchNorm) Backward(dout *mat.Dense) *mat.Dense {
	return b.backward("BatchNorm.Backward", dout, 1)
}

// backward is Backward for groups of p rows (see normalize): the sums of
// ∂C/∂γ_i and ∂C/∂β_i run over the group's p rows and are divided by the m
// samples, the means of the formula over its p·m values.
func (b *BatchNorm) backward(who string, dout *mat.Dense, p int) *mat.Dense {
	r, m := checkGrad(who, b.out, dout)
	b.dz = reuse(b.dz, r, m)
	g := dout.RawMatrix()
	row := func(k int) []float64 { return g.Data[k*g.Stride : k*g.Stride+m] }
	dzd := b.dz.RawMatrix().Data
	hd := b.ZHat.RawMatrix().Data
	gamma := b.Gamma.Value.RawMatrix().Data
	dgamma := b.Gamma.Grad.RawMatrix().Data
	dbeta := b.Beta.Grad.RawMatrix().Data
	inv, invN := 1/float64(m), 1/float64(p*m)
	for i := range b.Len() {
		var sg, sgh float64
		for k := i * p; k < (i+1)*p; k++ {
			for j, v := range row(k) {
				sg += v
				sgh += v * hd[k*m+j]
			}
		}
		dgamma[i] = sgh * inv
		dbeta[i] = sg * inv
		c := gamma[i] * b.invStd[i]
		mg, mgh := sg*invN, sgh*invN
		for k := i * p; k < (i+1)*p; k++ {
			out := dzd[k*m : (k+1)*m]
			h := hd[k*m : (k+1)*m]
			for j, v := range row(k) {
				if b.training {
					out[j] = c * (v - mg - h[j]*mgh)
				} else {
					out[j] = c * v
				}
			}
		}
	}
	return b.dz
}

// Params returns γ and β.
func (b *BatchNorm) Params() []*Param { return []*Param{b.Gamma, b.Beta} }

// State returns the running mean and variance, which Network.Save and Load
// keep along with the parameters.
func (b *BatchNorm) State() []*mat.Dense { return []*mat.Dense{b.RunningMean, b.RunningVar} }

func (b *BatchNorm) String() string { return fmt.Sprintf("BatchNorm(%d)", b.Len()) }
