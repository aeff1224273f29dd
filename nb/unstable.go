package nb

// Helpers for notebooks/A_Unstable_Gradients.ipynb (Appendix A of the
// notes): the per-layer "speed of learning" ‖∂C/∂b^(l)‖, its spread over
// random initializations, the product-of-factors estimate of how δ^(l)
// shrinks or grows from one layer to the previous one, and the set-ups of
// Nielsen's chapter 5 (one-neuron chains, biases that zero z^(l)).

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// NielsenSpeeds holds the per-hidden-layer speeds of learning ‖∂C/∂b^(l)‖
// that Nielsen reports in chapter 5 of Neural Networks and Deep Learning,
// keyed by the number of hidden layers of [784, 30, …, 30, 10] sigmoid
// networks at initialization (first 1,000 MNIST training images).
var NielsenSpeeds = map[int][]float64{
	2: {0.07, 0.31},
	3: {0.012, 0.060, 0.283},
	4: {0.003, 0.017, 0.070, 0.285},
}

// BiasGradNorms runs a training forward pass and a backward pass of net on
// the batch (x, y) and returns ‖∂C/∂b^(l)‖ for l = 1, …, L, where ∂C/∂b^(l)
// is the mean of δ^(l) over the batch's samples (Nielsen's speed of
// learning of layer l).
func BiasGradNorms(net *nn.Network, x, y *mat.Dense) []float64 {
	net.Gradient(x, y)
	var norms []float64
	for _, p := range net.Params() {
		if p.Kind == nn.Bias {
			norms = append(norms, mat.Norm(p.Grad, 2))
		}
	}
	return norms
}

// SeededMLP returns nn.NewMLP(sizes, cfg, rng) with rng seeded by seed, so
// that seed s always gives the same network.
func SeededMLP(sizes []int, cfg nn.MLPConfig, seed uint64) *nn.Network {
	return nn.NewMLP(sizes, cfg, Rand(seed, 0))
}

// GradNormsOverSeeds builds one network per seed 1, …, seeds with
// SeededMLP and returns BiasGradNorms of each on the whole dataset: row s−1
// holds the norms of layers 1, …, L for seed s.
func GradNormsOverSeeds(sizes []int, cfg nn.MLPConfig, data *nn.Dataset, seeds int) [][]float64 {
	if seeds < 1 {
		panic(fmt.Sprintf("nb: GradNormsOverSeeds: need at least one seed, got %d", seeds))
	}
	rows := make([][]float64, seeds)
	for s := range rows {
		rows[s] = BiasGradNorms(SeededMLP(sizes, cfg, uint64(s+1)), data.X, data.Y)
	}
	return rows
}

// Spread summarizes repeated measurements column by column: the mean, the
// sample standard deviation (0 for a single row), the minimum and the
// maximum of each column.
type Spread struct {
	Mean, Std, Min, Max []float64
}

// SpreadOf returns the Spread of rows, which must all have the same length:
// for each column, stat.MeanStdDev (the sample standard deviation, with
// n − 1) and floats.Min and floats.Max of its values.
func SpreadOf(rows [][]float64) Spread {
	if len(rows) == 0 {
		panic("nb: SpreadOf: no rows")
	}
	n := len(rows[0])
	s := Spread{
		Mean: make([]float64, n), Std: make([]float64, n),
		Min: make([]float64, n), Max: make([]float64, n),
	}
	for i, r := range rows {
		if len(r) != n {
			panic(fmt.Sprintf("nb: SpreadOf: row %d has %d values, row 0 has %d", i, len(r), n))
		}
	}
	col := make([]float64, len(rows))
	for j := range n {
		for i, r := range rows {
			col[i] = r[j]
		}
		s.Mean[j], s.Std[j] = stat.MeanStdDev(col, nil)
		if len(rows) == 1 {
			s.Std[j] = 0 // stat gives NaN: no spread in one value
		}
		s.Min[j], s.Max[j] = floats.Min(col), floats.Max(col)
	}
	return s
}

// LayerFactor describes one backward step δ^(l+1) → δ^(l) =
// (W^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l)) over a batch.
type LayerFactor struct {
	// Layer is l, counted from 1.
	Layer int
	// WeightScale is √n_l · rms(w^(l+1)) = √(‖W^(l+1)‖_F² / n_{l+1}): the
	// factor by which multiplying by (W^(l+1))ᵀ scales the length of a
	// vector on average when the weights are random.
	WeightScale float64
	// RMSPrime is the root mean square of σ'(z^(l)) over the neurons and
	// samples of the batch; MaxPrime is the largest |σ'(z^(l))|.
	RMSPrime, MaxPrime float64
	// Estimate is WeightScale · RMSPrime, the product-of-factors estimate
	// of Measured.
	Estimate float64
	// Measured is ‖δ^(l)‖_F / ‖δ^(l+1)‖_F with δ holding one column per
	// sample: the root-mean-square shrink (or growth) of the error of one
	// sample.
	Measured float64
	// BiasRatio is ‖∂C/∂b^(l)‖ / ‖∂C/∂b^(l+1)‖, the same ratio for the
	// errors averaged over the batch (Nielsen's speeds of learning).
	BiasRatio float64
	// SpectralNorm is ‖W^(l+1)‖₂, the largest singular value, and
	// BoundRatio the largest over the samples x of
	// ‖δ_x^(l)‖ / (‖W^(l+1)‖₂ ‖δ_x^(l+1)‖), which max|σ'| bounds.
	SpectralNorm, BoundRatio float64
}

// LayerFactors returns the LayerFactor of every pair of consecutive layers
// (l, l+1), l = 1, …, L−1, from the last forward and backward pass of net
// (call net.Gradient first). Every layer must be an *nn.Dense whose
// activation is an nn.Scalar.
func LayerFactors(net *nn.Network) []LayerFactor {
	dense := make([]*nn.Dense, len(net.Layers))
	for i, l := range net.Layers {
		d, ok := l.(*nn.Dense)
		if !ok {
			panic(fmt.Sprintf("nb: LayerFactors: layer %d is %T, not *nn.Dense", i+1, l))
		}
		if d.Delta == nil {
			panic("nb: LayerFactors before a backward pass; call net.Gradient first")
		}
		dense[i] = d
	}
	out := make([]LayerFactor, 0, len(dense)-1)
	for i := 0; i+1 < len(dense); i++ {
		cur, next := dense[i], dense[i+1]
		act, ok := cur.Act.(nn.Scalar)
		if !ok {
			panic(fmt.Sprintf("nb: LayerFactors: activation %v of layer %d is not element-wise (nn.Scalar)", cur.Act, i+1))
		}
		nNext, _ := next.W.Value.Dims()
		f := LayerFactor{
			Layer:       i + 1,
			WeightScale: mat.Norm(next.W.Value, 2) / math.Sqrt(float64(nNext)), // Frobenius norm
		}
		var ss float64
		zs := cur.Z.RawMatrix().Data
		for _, z := range zs {
			p := act.Prime(z)
			ss += p * p
			f.MaxPrime = math.Max(f.MaxPrime, math.Abs(p))
		}
		f.RMSPrime = math.Sqrt(ss / float64(len(zs)))
		f.Estimate = f.WeightScale * f.RMSPrime
		f.Measured = mat.Norm(cur.Delta, 2) / mat.Norm(next.Delta, 2)
		f.BiasRatio = mat.Norm(cur.B.Grad, 2) / mat.Norm(next.B.Grad, 2)
		f.SpectralNorm = spectralNorm(next.W.Value)
		_, m := cur.Delta.Dims()
		for j := range m {
			num := mat.Norm(cur.Delta.ColView(j), 2)
			den := f.SpectralNorm * mat.Norm(next.Delta.ColView(j), 2)
			if den > 0 {
				f.BoundRatio = math.Max(f.BoundRatio, num/den)
			}
		}
		out = append(out, f)
	}
	return out
}

// FactorsOverSeeds builds the network of every seed 1, …, seeds with
// SeededMLP(sizes, cfg, seed), runs net.Gradient on data and returns, for
// every pair of consecutive layers, the LayerFactor averaged over the
// seeds: the mean of WeightScale, RMSPrime, Estimate, Measured, BiasRatio
// and SpectralNorm, and the largest MaxPrime and BoundRatio (so that a
// bound checked on the result holds for every seed). Every layer must be
// an *nn.Dense with an element-wise activation, as for LayerFactors.
func FactorsOverSeeds(sizes []int, cfg nn.MLPConfig, data *nn.Dataset, seeds int) []LayerFactor {
	if seeds < 1 {
		panic(fmt.Sprintf("nb: FactorsOverSeeds: need at least one seed, got %d", seeds))
	}
	var out []LayerFactor
	w := 1 / float64(seeds)
	for seed := 1; seed <= seeds; seed++ {
		net := SeededMLP(sizes, cfg, uint64(seed))
		net.Gradient(data.X, data.Y)
		fs := LayerFactors(net)
		if out == nil {
			out = make([]LayerFactor, len(fs))
		}
		for i, f := range fs {
			m := &out[i]
			m.Layer = f.Layer
			m.WeightScale += w * f.WeightScale
			m.RMSPrime += w * f.RMSPrime
			m.Estimate += w * f.Estimate
			m.Measured += w * f.Measured
			m.BiasRatio += w * f.BiasRatio
			m.SpectralNorm += w * f.SpectralNorm
			m.MaxPrime = math.Max(m.MaxPrime, f.MaxPrime)
			m.BoundRatio = math.Max(m.BoundRatio, f.BoundRatio)
		}
	}
	return out
}

// spectralNorm returns the largest singular value of w.
func spectralNorm(w *mat.Dense) float64 {
	var svd mat.SVD
	if !svd.Factorize(w, mat.SVDNone) {
		panic("nb: singular value decomposition failed")
	}
	return svd.Values(nil)[0]
}

// NewChain returns Nielsen's chain network of chapter 5: one neuron per
// layer, layer l with weight w[l−1], bias b[l−1] and activation act (nil
// means Sigmoid), and the given cost (nil means Quadratic).
func NewChain(w, b []float64, act nn.Activation, cost nn.Cost) *nn.Network {
	if len(w) == 0 || len(w) != len(b) {
		panic(fmt.Sprintf("nb: NewChain: need as many weights as biases (at least one), got %d and %d", len(w), len(b)))
	}
	rng := Rand(1, 0)
	layers := make([]nn.Layer, len(w))
	for i := range w {
		d := nn.NewDense(1, 1, act, nn.InitScaled, rng)
		d.W.Value.Set(0, 0, w[i])
		d.B.Value.Set(0, 0, b[i])
		layers[i] = d
	}
	return nn.NewNetwork(cost, layers...)
}

// ZeroWeightedInputs sets the biases of net, layer by layer, to
// b^(l) = −W^(l) a^(l−1)(x), so that every weighted input z^(l) of the
// single sample x (one column) is 0 and every sigmoid neuron sits where σ'
// is largest. This is Nielsen's recipe for exploding gradients. Every
// layer must be an *nn.Dense.
func ZeroWeightedInputs(net *nn.Network, x *mat.Dense) {
	if _, c := x.Dims(); c != 1 {
		panic(fmt.Sprintf("nb: ZeroWeightedInputs: x must be one sample (one column), got %d columns", c))
	}
	a := mat.DenseCopyOf(x)
	for i, l := range net.Layers {
		d, ok := l.(*nn.Dense)
		if !ok {
			panic(fmt.Sprintf("nb: ZeroWeightedInputs: layer %d is %T, not *nn.Dense", i+1, l))
		}
		var wa mat.Dense
		wa.Mul(d.W.Value, a)
		d.B.Value.Scale(-1, &wa)
		a = mat.DenseCopyOf(d.Forward(a, nn.Inference))
	}
}

// ScaleWeights multiplies every weight matrix W^(l) of net by s.
func ScaleWeights(net *nn.Network, s float64) {
	for _, p := range net.Params() {
		if p.Kind == nn.Weight {
			p.Value.Scale(s, p.Value)
		}
	}
}

// LayerSeries returns the series (l, v[l−1]) for l = 1, …, len(v), to plot
// a quantity per layer.
func LayerSeries(name string, v []float64) plotting.Series {
	x := make([]float64, len(v))
	for i := range x {
		x[i] = float64(i + 1)
	}
	return plotting.Series{Name: name, X: x, Y: v}
}
