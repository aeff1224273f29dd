package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// indexed returns n samples whose input and label are their index.
func indexed(n int) *Dataset {
	x := mat.NewDense(2, n, nil)
	labels := make([]int, n)
	for j := range n {
		x.Set(0, j, float64(j))
		x.Set(1, j, float64(j%3)) // a feature with another spread
		labels[j] = j % 4
	}
	return &Dataset{X: x, Y: OneHot(labels, 4), Labels: labels}
}

func TestSplitSizesDisjointReproducible(t *testing.T) {
	for _, tc := range []struct {
		n         int
		fractions []float64
		want      []int
	}{
		{100, []float64{0.8, 0.2}, []int{80, 20}},
		{1000, []float64{0.6, 0.2, 0.2}, []int{600, 200, 200}},
		{10, []float64{0.5, 0.25, 0.25}, []int{5, 3, 2}},
		{7, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, []int{2, 3, 2}},
	} {
		d := indexed(tc.n)
		parts := Split(d, rand.New(rand.NewPCG(1, 2)), tc.fractions...)
		again := Split(d, rand.New(rand.NewPCG(1, 2)), tc.fractions...)
		var all []int
		for i, p := range parts {
			if p.Len() != tc.want[i] {
				t.Errorf("Split(%d, %v): part %d has %d samples, want %d", tc.n, tc.fractions, i, p.Len(), tc.want[i])
			}
			if !mat.Equal(p.X, again[i].X) {
				t.Errorf("Split(%d, %v): part %d differs with the same seed", tc.n, tc.fractions, i)
			}
			for j := range p.Len() {
				k := int(p.X.At(0, j))
				all = append(all, k)
				if p.Labels[j] != d.Labels[k] || p.Y.At(d.Labels[k], j) != 1 {
					t.Fatalf("sample %d lost its label", k)
				}
			}
		}
		slices.Sort(all)
		for i, k := range all {
			if i != k {
				t.Fatalf("Split(%d, %v): parts are not a partition of the samples: %v", tc.n, tc.fractions, all)
			}
		}
	}
	// Another seed gives another split; the first part is not just the head.
	a := Split(indexed(100), rand.New(rand.NewPCG(1, 2)), 0.5, 0.5)[0]
	b := Split(indexed(100), rand.New(rand.NewPCG(3, 4)), 0.5, 0.5)[0]
	if mat.Equal(a.X, b.X) || mat.Equal(a.X, indexed(50).X) {
		t.Error("splits do not depend on the seed or are not random")
	}
}

func TestSplitSizesErrors(t *testing.T) {
	for _, tc := range []struct {
		n         int
		fractions []float64
		want      string
	}{
		{10, nil, "no fractions"},
		{10, []float64{0.5, 0.6}, "add up to"},
		{10, []float64{1.2, -0.2}, "positive"},
		{3, []float64{0.9, 0.05, 0.05}, "would be empty"},
	} {
		if _, err := SplitSizes(tc.n, tc.fractions...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SplitSizes(%d, %v) error %v, want one containing %q", tc.n, tc.fractions, err, tc.want)
		}
	}
}

func TestShuffledKeepsPairs(t *testing.T) {
	d := indexed(50)
	s := Shuffled(d, rand.New(rand.NewPCG(1, 1)))
	if mat.Equal(s.X, d.X) {
		t.Error("not shuffled")
	}
	for j := range 50 {
		if k := int(s.X.At(0, j)); s.Labels[j] != d.Labels[k] {
			t.Fatalf("sample %d has label %d, want %d", k, s.Labels[j], d.Labels[k])
		}
	}
}

func TestStandardizerUsesTrainingStatistics(t *testing.T) {
	d := indexed(100)
	d.X.SetRow(1, make([]float64, 100)) // a constant feature
	parts := Split(d, rand.New(rand.NewPCG(1, 2)), 0.8, 0.2)
	train, test := parts[0], parts[1]
	s := FitStandardizer(train, PerFeature)
	tr := s.Apply(train)
	mean, std := stat.PopMeanStdDev(mat.Row(nil, 0, tr.X), nil)
	if math.Abs(mean) > 1e-12 || math.Abs(std-1) > 1e-12 {
		t.Errorf("standardized training feature: mean %v, std %v, want 0 and 1", mean, std)
	}
	if c := mat.Row(nil, 1, tr.X); slices.Max(c) != 0 || slices.Min(c) != 0 {
		t.Errorf("constant feature standardized to %v, want 0", c)
	}
	// The test split is mapped with the training split's μ and s.
	te := s.Apply(test)
	for j := range test.Len() {
		want := (test.X.At(0, j) - s.Mean[0]) / s.Std[0]
		if te.X.At(0, j) != want || te.Labels[j] != test.Labels[j] {
			t.Fatalf("test sample %d: %v, want %v", j, te.X.At(0, j), want)
		}
	}
	all := FitStandardizer(train, AllFeatures)
	flat := mat.DenseCopyOf(train.X).RawMatrix().Data
	m, sd := stat.PopMeanStdDev(flat, nil)
	if math.Abs(all.Mean[1]-m) > 1e-9 || math.Abs(all.Std[0]-sd) > 1e-9 {
		t.Errorf("AllFeatures: μ %v, s %v, want %v, %v", all.Mean[1], all.Std[0], m, sd)
	}
}

func TestSplitIndicesMatchSplit(t *testing.T) {
	d := indexed(50)
	idx := SplitIndices(50, rand.New(rand.NewPCG(5, 5)), 0.6, 0.4)
	parts := Split(d, rand.New(rand.NewPCG(5, 5)), 0.6, 0.4)
	for i, ix := range idx {
		for j, k := range ix {
			if int(parts[i].X.At(0, j)) != k {
				t.Fatalf("part %d sample %d is %v, SplitIndices says %d", i, j, parts[i].X.At(0, j), k)
			}
		}
	}
}
