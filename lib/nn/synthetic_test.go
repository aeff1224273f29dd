package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func synthRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// synthCase makes one synthetic data set from a random source.
type synthCase struct {
	name         string
	make         func(rng *rand.Rand) *Dataset
	xRows, yRows int
	n            int
	classes      int // 0 for regression (no labels)
}

var synthCases = []synthCase{
	{"Blobs default", func(r *rand.Rand) *Dataset { return Blobs(BlobsConfig{Std: DefaultBlobsStd}, r) }, 2, 3, 300, 3},
	{"Blobs N=7 K=4", func(r *rand.Rand) *Dataset { return Blobs(BlobsConfig{N: 7, K: 4, Std: DefaultBlobsStd}, r) }, 2, 4, 7, 4},
	{"Spirals default", func(r *rand.Rand) *Dataset { return Spirals(SpiralsConfig{Noise: DefaultSpiralsNoise}, r) }, 2, 3, 300, 3},
	{"Spirals N=11 K=2", func(r *rand.Rand) *Dataset { return Spirals(SpiralsConfig{N: 11, K: 2, Noise: 0.1}, r) }, 2, 2, 11, 2},
	{"Regression1D default", func(r *rand.Rand) *Dataset { d, _ := Regression1D(Regression1DConfig{}, r); return d }, 1, 1, 100, 0},
	{"Regression1D N=20", func(r *rand.Rand) *Dataset { d, _ := Regression1D(Regression1DConfig{N: 20}, r); return d }, 1, 1, 20, 0},
}

func TestSyntheticShapes(t *testing.T) {
	for _, tc := range synthCases {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.make(synthRNG(1))
			if r, c := d.X.Dims(); r != tc.xRows || c != tc.n {
				t.Errorf("X is %d×%d, want %d×%d", r, c, tc.xRows, tc.n)
			}
			if r, c := d.Y.Dims(); r != tc.yRows || c != tc.n {
				t.Errorf("Y is %d×%d, want %d×%d", r, c, tc.yRows, tc.n)
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
			if tc.classes == 0 {
				if d.Labels != nil {
					t.Errorf("regression set has labels")
				}
				return
			}
			// Sample i is in class i mod K, and Y is its one-hot code.
			if len(d.Labels) != tc.n {
				t.Fatalf("%d labels, want %d", len(d.Labels), tc.n)
			}
			for i, l := range d.Labels {
				if l != i%tc.classes {
					t.Errorf("label of sample %d = %d, want %d", i, l, i%tc.classes)
				}
			}
			if !mat.Equal(d.Y, OneHot(d.Labels, tc.classes)) {
				t.Errorf("Y is not the one-hot code of Labels")
			}
		})
	}
}

func TestSyntheticSeeds(t *testing.T) {
	for _, tc := range synthCases {
		t.Run(tc.name, func(t *testing.T) {
			a, b, c := tc.make(synthRNG(42)), tc.make(synthRNG(42)), tc.make(synthRNG(43))
			if !mat.Equal(a.X, b.X) || !mat.Equal(a.Y, b.Y) {
				t.Errorf("the same seed gave different sets")
			}
			if mat.Equal(a.X, c.X) {
				t.Errorf("different seeds gave the same inputs")
			}
		})
	}
}

func TestBlobsCentres(t *testing.T) {
	const n, k = 3000, 5
	d := Blobs(BlobsConfig{N: n, K: k, Radius: 4, Std: 0.3}, synthRNG(3))
	var sum [k][2]float64
	var count [k]int
	for i, l := range d.Labels {
		sum[l][0] += d.X.At(0, i)
		sum[l][1] += d.X.At(1, i)
		count[l]++
	}
	for j := range k {
		if count[j] != n/k {
			t.Errorf("cluster %d has %d points, want %d", j, count[j], n/k)
		}
		angle := 2 * math.Pi * float64(j) / k
		mx, my := sum[j][0]/float64(count[j]), sum[j][1]/float64(count[j])
		// The standard error of each mean is 0.3/√600 ≈ 0.012.
		if math.Hypot(mx-4*math.Cos(angle), my-4*math.Sin(angle)) > 0.06 {
			t.Errorf("cluster %d is centred at (%.3f, %.3f), want (%.3f, %.3f)", j, mx, my, 4*math.Cos(angle), 4*math.Sin(angle))
		}
	}
	// The spread of the default clusters.
	d = Blobs(BlobsConfig{N: 20000, K: 1, Std: DefaultBlobsStd}, synthRNG(4))
	x := d.X.RawRowView(0)
	var s, s2 float64
	for _, v := range x {
		s += v
		s2 += v * v
	}
	mean := s / float64(len(x))
	if std := math.Sqrt(s2/float64(len(x)) - mean*mean); math.Abs(std-0.5) > 0.02 || math.Abs(mean-2) > 0.02 {
		t.Errorf("default cluster has mean %.3f and std %.3f, want 2 and 0.5", mean, std)
	}
}

func TestSpiralsRadius(t *testing.T) {
	// Noise only turns a point, so its radius is exactly m/(n_j − 1) for the
	// m-th point of its arm; without noise the angle is 4(j + r) too.
	for _, cfg := range []SpiralsConfig{{Noise: DefaultSpiralsNoise}, {N: 31, K: 4}} {
		d := Spirals(cfg, synthRNG(5))
		k := max(cfg.K, 3)
		n := d.Len()
		for i := range n {
			arm, m := i%k, i/k
			perArm := (n - arm + k - 1) / k
			want := float64(m) / float64(perArm-1)
			x, y := d.X.At(0, i), d.X.At(1, i)
			if r := math.Hypot(x, y); math.Abs(r-want) > 1e-12 {
				t.Fatalf("%+v: point %d (arm %d, #%d of %d) has radius %v, want %v", cfg, i, arm, m, perArm, r, want)
			}
			if cfg.Noise == 0 && want > 0 {
				theta := 4 * (float64(arm) + want)
				if math.Abs(x-want*math.Sin(theta)) > 1e-12 || math.Abs(y-want*math.Cos(theta)) > 1e-12 {
					t.Fatalf("%+v: point %d is at (%v, %v), want angle %v", cfg, i, x, y, theta)
				}
			}
		}
	}
}

func TestRegression1DOutliers(t *testing.T) {
	line := func(x float64) float64 { return 2*x + 1 }
	for _, tc := range []struct {
		name     string
		cfg      Regression1DConfig
		outliers int
	}{
		{"usual", Regression1DConfig{Noise: DefaultRegressionNoise, OutlierFraction: DefaultRegressionOutliers}, 10},
		{"fraction 0.25", Regression1DConfig{N: 40, Noise: 0.3, OutlierFraction: 0.25}, 10},
		{"rounded down", Regression1DConfig{N: 33, Noise: 0.3, OutlierFraction: 0.1}, 3},
		{"rounded up", Regression1DConfig{N: 37, Noise: 0.3, OutlierFraction: 0.1}, 4},
		{"zero is none", Regression1DConfig{N: 30, Noise: 0.3}, 0},
		{"all", Regression1DConfig{N: 12, Noise: 0.3, OutlierFraction: 1}, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, outlier := Regression1D(tc.cfg, synthRNG(9))
			if len(outlier) != d.Len() {
				t.Fatalf("%d outlier flags for %d samples", len(outlier), d.Len())
			}
			count := 0
			for i, o := range outlier {
				x, y := d.X.At(0, i), d.Y.At(0, i)
				if x < -2 || x > 2 {
					t.Errorf("x = %v outside the default [−2, 2]", x)
				}
				// Noise is N(0, 0.3²): 2 units is over 6σ; outliers are
				// 5 to 10 above the line.
				off := y - line(x)
				if o {
					count++
					if off < 3 || off > 12 {
						t.Errorf("outlier %d is %.2f from the line", i, off)
					}
				} else if math.Abs(off) > 2 {
					t.Errorf("sample %d is %.2f from the line but not an outlier", i, off)
				}
			}
			if count != tc.outliers {
				t.Errorf("%d outliers, want %d", count, tc.outliers)
			}
		})
	}
}

// TestSyntheticZeroIsNone checks that zero noise is no noise (issue 12,
// case 4) and that a negative level is refused.
func TestSyntheticZeroIsNone(t *testing.T) {
	d, outlier := Regression1D(Regression1DConfig{N: 50}, synthRNG(3))
	for i := range outlier {
		if x, y := d.X.At(0, i), d.Y.At(0, i); outlier[i] || y != 2*x+1 {
			t.Fatalf("Regression1DConfig{N: 50}: sample %d (outlier %t) at (%v, %v), want on y = 2x + 1", i, outlier[i], x, y)
		}
	}
	wantPanic(t, "Noise = -1 must be at least 0", func() { Spirals(SpiralsConfig{Noise: -1}, synthRNG(3)) })
	wantPanic(t, "OutlierFraction = -1 must be at least 0", func() { Regression1D(Regression1DConfig{OutlierFraction: -1}, synthRNG(3)) })
}

func TestRegression1DExact(t *testing.T) {
	// Without noise the inliers lie on F and the outliers exactly
	// [Offset, 2·Offset] above it.
	f := func(x float64) float64 { return x * x }
	d, outlier := Regression1D(Regression1DConfig{N: 200, F: f, XMin: 1, XMax: 3, OutlierFraction: 0.1, OutlierOffset: 2}, synthRNG(11))
	for i, o := range outlier {
		x, y := d.X.At(0, i), d.Y.At(0, i)
		if x < 1 || x > 3 {
			t.Errorf("x = %v outside [1, 3]", x)
		}
		off := y - f(x)
		if (!o && off != 0) || (o && (off < 2 || off > 4)) {
			t.Errorf("sample %d (outlier %t) is %v above F", i, o, off)
		}
	}
}

// Zero is a value: Std 0 puts every point exactly on its cluster's centre
// Radius·(cos 2πj/K, sin 2πj/K).
func TestBlobsWithoutSpread(t *testing.T) {
	d := Blobs(BlobsConfig{N: 6, K: 3, Std: 0}, synthRNG(1))
	for i := range 6 {
		j := float64(i % 3)
		want := []float64{2 * math.Cos(2*math.Pi*j/3), 2 * math.Sin(2*math.Pi*j/3)}
		if got := []float64{d.X.At(0, i), d.X.At(1, i)}; math.Abs(got[0]-want[0]) > 1e-15 || math.Abs(got[1]-want[1]) > 1e-15 {
			t.Errorf("point %d = %v, want its centre %v", i, got, want)
		}
	}
}
