package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Small synthetic data sets for the notebooks: two-dimensional
// classification problems (Blobs, Spirals) and a one-dimensional regression
// with outliers (Regression1D). Each is drawn from the *rand.Rand it is given,
// so the same seed gives the same set, and comes in the notes' layout, one
// sample per column.
//
// Zero counts and sizes (N, K, Radius, Std, XMin/XMax, OutlierOffset) mean
// their documented defaults: a set of no points, or with every cluster at
// one place or of no spread, teaches nothing. Noise levels and fractions
// mean what they hold, zero included (no noise, no outliers); the Default…
// constants give the usual values.

// Usual noise levels of the synthetic sets.
const (
	DefaultSpiralsNoise       = 0.2 // radians, SpiralsConfig.Noise
	DefaultRegressionNoise    = 0.3 // Regression1DConfig.Noise
	DefaultRegressionOutliers = 0.1 // Regression1DConfig.OutlierFraction
)

// BlobsConfig describes Gaussian clusters in the plane. Zero fields mean the
// documented defaults.
type BlobsConfig struct {
	// N is the number of points; 0 means 300. Sample i belongs to cluster
	// i mod K, so the clusters are as even as N allows and interleaved.
	N int
	// K is the number of clusters (classes); 0 means 3.
	K int
	// Radius places the centre of cluster j at
	// Radius·(cos 2πj/K, sin 2πj/K); 0 means 2.
	Radius float64
	// Std is the standard deviation of each coordinate around its centre
	// (DefaultBlobsStd is the usual 0.5); 0 puts every point on its centre.
	Std float64
}

// DefaultBlobsStd is the usual spread of Blobs: BlobsConfig{Std: DefaultBlobsStd}.
const DefaultBlobsStd = 0.5

// Blobs returns K Gaussian clusters in the plane: X is 2 × N, Labels the
// cluster of each point and Y its one-hot encoding (K × N).
func Blobs(cfg BlobsConfig, rng *rand.Rand) *Dataset {
	n := synthCount(cfg.N, 300, "BlobsConfig.N")
	k := synthCount(cfg.K, 3, "BlobsConfig.K")
	radius := synthFloat(cfg.Radius, 2)
	std := cfg.Std
	if !(std >= 0) || math.IsInf(std, 1) {
		panic(fmt.Sprintf("nn: Blobs: Std must be finite and ≥ 0, got %v", std))
	}
	x := mat.NewDense(2, n, nil)
	labels := make([]int, n)
	for i := range n {
		c := i % k
		angle := 2 * math.Pi * float64(c) / float64(k)
		x.Set(0, i, radius*math.Cos(angle)+std*rng.NormFloat64())
		x.Set(1, i, radius*math.Sin(angle)+std*rng.NormFloat64())
		labels[i] = c
	}
	return &Dataset{X: x, Y: OneHot(labels, k), Labels: labels}
}

// SpiralsConfig describes interleaved spiral arms in the plane, the
// classic set (CS231n's) that no linear classifier separates. Zero fields
// mean the documented defaults.
type SpiralsConfig struct {
	// N is the number of points; 0 means 300. Sample i belongs to arm
	// i mod K.
	N int
	// K is the number of arms (classes); 0 means 3.
	K int
	// Noise is the standard deviation, in radians, added to each point's
	// angle; 0 means none (DefaultSpiralsNoise is the usual 0.2).
	Noise float64
}

// Spirals returns K spiral arms: the m-th point of arm j (of n_j) lies at
// radius r = m/(n_j−1) and angle θ = 4(j + r) + noise, at (r sin θ, r cos θ),
// so all arms start at the origin and wind a little over half a turn each.
// X is 2 × N, Labels the arm of each point and Y its one-hot encoding
// (K × N).
func Spirals(cfg SpiralsConfig, rng *rand.Rand) *Dataset {
	n := synthCount(cfg.N, 300, "SpiralsConfig.N")
	k := synthCount(cfg.K, 3, "SpiralsConfig.K")
	noise := synthLevel(cfg.Noise, "SpiralsConfig.Noise")
	x := mat.NewDense(2, n, nil)
	labels := make([]int, n)
	for i := range n {
		arm, m := i%k, i/k
		perArm := n / k // points on this arm
		if arm < n%k {
			perArm++
		}
		r := 0.0
		if perArm > 1 {
			r = float64(m) / float64(perArm-1)
		}
		theta := 4*(float64(arm)+r) + noise*rng.NormFloat64()
		x.Set(0, i, r*math.Sin(theta))
		x.Set(1, i, r*math.Cos(theta))
		labels[i] = arm
	}
	return &Dataset{X: x, Y: OneHot(labels, k), Labels: labels}
}

// Regression1DConfig describes noisy samples of a function of one variable
// with a fraction of outliers. Zero fields mean the documented defaults.
type Regression1DConfig struct {
	// N is the number of samples; 0 means 100.
	N int
	// F is the true function; nil means the line y = 2x + 1.
	F func(x float64) float64
	// XMin and XMax bound the inputs, drawn uniformly; both 0 mean [−2, 2].
	XMin, XMax float64
	// Noise is the standard deviation of the Gaussian noise added to every
	// F(x); 0 means none (DefaultRegressionNoise is the usual 0.3).
	Noise float64
	// OutlierFraction is the fraction of samples that are outliers, rounded
	// to the nearest count; 0 means none (DefaultRegressionOutliers is the
	// usual 0.1).
	OutlierFraction float64
	// OutlierOffset: each outlier lies above F(x) + noise by a distance
	// drawn uniformly from [OutlierOffset, 2·OutlierOffset]; 0 means 5.
	// The outliers all lie on one side so that they pull a least-squares
	// (MSE) fit away from the line, as the notes warn.
	OutlierOffset float64
}

// Regression1D returns samples y = F(x) + ε, ε ~ N(0, Noise²), with a
// fraction of them moved far above the curve, as a Dataset with X and Y of
// shape 1 × N and no Labels. outlier[i] reports whether sample i is an
// outlier (to colour them in a plot); the outliers are chosen at random.
func Regression1D(cfg Regression1DConfig, rng *rand.Rand) (data *Dataset, outlier []bool) {
	n := synthCount(cfg.N, 100, "Regression1DConfig.N")
	f := cfg.F
	if f == nil {
		f = func(x float64) float64 { return 2*x + 1 }
	}
	lo, hi := cfg.XMin, cfg.XMax
	if lo == 0 && hi == 0 {
		lo, hi = -2, 2
	}
	if hi < lo {
		panic("nn: Regression1DConfig: XMax is below XMin")
	}
	noise := synthLevel(cfg.Noise, "Regression1DConfig.Noise")
	frac := synthLevel(cfg.OutlierFraction, "Regression1DConfig.OutlierFraction")
	if frac > 1 {
		panic("nn: Regression1DConfig: OutlierFraction is above 1")
	}
	offset := synthFloat(cfg.OutlierOffset, 5)

	x := mat.NewDense(1, n, nil)
	y := mat.NewDense(1, n, nil)
	xs, ys := x.RawMatrix().Data, y.RawMatrix().Data
	for i := range n {
		xs[i] = lo + (hi-lo)*rng.Float64()
		ys[i] = f(xs[i]) + noise*rng.NormFloat64()
	}
	outlier = make([]bool, n)
	if frac > 0 {
		count := int(math.Round(frac * float64(n)))
		for _, i := range rng.Perm(n)[:count] {
			outlier[i] = true
			ys[i] += offset * (1 + rng.Float64())
		}
	}
	return &Dataset{X: x, Y: y}, outlier
}

// synthCount returns n, or def if n is 0; it panics on a negative n.
func synthCount(n, def int, name string) int {
	if n < 0 {
		panic("nn: " + name + " is negative")
	}
	if n == 0 {
		return def
	}
	return n
}

// synthLevel returns v; it panics on a negative or NaN v.
func synthLevel(v float64, name string) float64 {
	if !(v >= 0) {
		panic(fmt.Sprintf("nn: %s = %v must be at least 0 (0 means none)", name, v))
	}
	return v
}

// synthFloat returns v, or def if v is 0.
func synthFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
