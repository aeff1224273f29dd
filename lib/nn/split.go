package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Permutation returns a random order of 0..n−1 drawn from rng.
func Permutation(n int, rng *rand.Rand) []int {
	if rng == nil {
		panic("nn: Permutation: nil *rand.Rand; pass rand.New(rand.NewPCG(seed, 0))")
	}
	return rng.Perm(n)
}

// Shuffled returns the samples of d in a random order drawn from rng, as a
// new Dataset (§5).
func Shuffled(d *Dataset, rng *rand.Rand) *Dataset {
	return d.Subset(Permutation(d.Len(), rng))
}

// Split divides d at random into disjoint parts whose sizes are the given
// fractions of Len (§5): Split(d, rng, 0.8, 0.2) is the usual 80/20 split
// into training and test sets, Split(d, rng, 0.6, 0.2, 0.2) a three-way
// split into training, validation and test sets. The fractions must be
// positive and add up to 1; sizes are rounded so that they add up to Len
// and every part gets at least one sample (see SplitSizes). The same seed
// gives the same parts. The parts share nothing with d; part i holds the
// samples SplitIndices(d.Len(), rng, fractions...)[i] would name.
func Split(d *Dataset, rng *rand.Rand, fractions ...float64) []*Dataset {
	if err := d.validateShape(); err != nil {
		panic("nn: Split: " + err.Error())
	}
	idx := SplitIndices(d.Len(), rng, fractions...)
	parts := make([]*Dataset, len(idx))
	for i, ix := range idx {
		parts[i] = d.Subset(ix)
	}
	return parts
}

// SplitIndices returns the indices of the samples of each part of a random
// split of n samples by the given fractions: a random permutation of 0..n−1
// cut into consecutive pieces of the sizes SplitSizes gives. It panics on
// fractions that SplitSizes rejects.
func SplitIndices(n int, rng *rand.Rand, fractions ...float64) [][]int {
	sizes, err := SplitSizes(n, fractions...)
	if err != nil {
		panic(err.Error())
	}
	perm := Permutation(n, rng)
	parts := make([][]int, len(sizes))
	start := 0
	for i, s := range sizes {
		parts[i] = perm[start : start+s : start+s]
		start += s
	}
	return parts
}

// SplitSizes returns the sizes of the parts Split makes of n samples: the
// rounded cumulative fractions, so that they add up to n. It returns an
// error when a fraction is not positive, when they do not add up to 1, or
// when a part would be empty.
func SplitSizes(n int, fractions ...float64) ([]int, error) {
	if len(fractions) == 0 {
		return nil, fmt.Errorf("nn: Split: no fractions")
	}
	sum := 0.0
	for _, f := range fractions {
		if !(f > 0) {
			return nil, fmt.Errorf("nn: Split: fractions must be positive, got %v", fractions)
		}
		sum += f
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, fmt.Errorf("nn: Split: fractions %v add up to %v, not 1", fractions, sum)
	}
	sizes := make([]int, len(fractions))
	cum, prev := 0.0, 0
	for i, f := range fractions {
		cum += f
		end := int(math.Round(cum * float64(n)))
		if i == len(fractions)-1 {
			end = n
		}
		sizes[i] = end - prev
		if sizes[i] <= 0 {
			return nil, fmt.Errorf("nn: Split: part %d of %d samples split by %v would be empty", i+1, n, fractions)
		}
		prev = end
	}
	return sizes, nil
}

// Standardizer maps every input feature x_k to (x_k − μ_k) / s_k (§5). Fit
// it on the training split only and apply the same map to the validation
// and test splits: statistics of the test data must not leak into training.
type Standardizer struct {
	// Mean and Std hold μ_k and s_k, one per feature (row of X). A feature
	// whose standard deviation is zero gets s_k = 1, so that constant
	// features become 0 instead of NaN.
	Mean, Std []float64
}

// StandardizeScope says whether a Standardizer has statistics per feature
// or one pair for all.
type StandardizeScope int

const (
	// PerFeature gives every feature (pixel) its own μ_k and s_k.
	PerFeature StandardizeScope = iota
	// AllFeatures uses one μ and one s for all features, which keeps the
	// relative brightness of pixels in images.
	AllFeatures
)

// FitStandardizer returns the Standardizer with the means and (population)
// standard deviations of the inputs of train.
func FitStandardizer(train *Dataset, scope StandardizeScope) *Standardizer {
	if err := train.Validate(); err != nil {
		panic("nn: FitStandardizer: " + err.Error())
	}
	r, c := train.X.Dims()
	mean := make([]float64, r)
	std := make([]float64, r)
	x := train.X.RawMatrix()
	var tm, tv float64
	for i := range r {
		row := x.Data[i*x.Stride : i*x.Stride+c]
		mu := 0.0
		for _, v := range row {
			mu += v
		}
		mu /= float64(c)
		s := 0.0
		for _, v := range row {
			s += (v - mu) * (v - mu)
		}
		mean[i], std[i] = mu, s/float64(c)
		tm += mu
	}
	if scope == AllFeatures {
		tm /= float64(r)
		for i := range r {
			// Σ (x − tm)² over a row = c·(var_i + (μ_i − tm)²).
			tv += std[i] + (mean[i]-tm)*(mean[i]-tm)
		}
		tv /= float64(r)
		for i := range r {
			mean[i], std[i] = tm, tv
		}
	}
	for i, v := range std {
		std[i] = math.Sqrt(v)
		if std[i] == 0 {
			std[i] = 1
		}
	}
	return &Standardizer{Mean: mean, Std: std}
}

// Apply returns a copy of d with every input standardized; targets and
// labels are copied unchanged.
func (s *Standardizer) Apply(d *Dataset) *Dataset {
	r, c := d.X.Dims()
	if r != len(s.Mean) || r != len(s.Std) {
		panic(fmt.Sprintf("nn: Standardizer.Apply: data has %d features, standardizer %d", r, len(s.Mean)))
	}
	x := mat.NewDense(r, c, nil)
	src := d.X.RawMatrix()
	dst := x.RawMatrix().Data
	for i := range r {
		for j, v := range src.Data[i*src.Stride : i*src.Stride+c] {
			dst[i*c+j] = (v - s.Mean[i]) / s.Std[i]
		}
	}
	out := &Dataset{X: x, Y: mat.DenseCopyOf(d.Y)}
	if d.Labels != nil {
		out.Labels = append([]int(nil), d.Labels...)
	}
	return out
}
