package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func TestShiftImage(t *testing.T) {
	// 3 × 2 image: rows [1 2 3], [4 5 6].
	src := []float64{1, 2, 3, 4, 5, 6}
	for _, tc := range []struct {
		dx, dy int
		want   []float64
	}{
		{0, 0, []float64{1, 2, 3, 4, 5, 6}},
		{1, 0, []float64{0, 1, 2, 0, 4, 5}},
		{-1, 0, []float64{2, 3, 0, 5, 6, 0}},
		{0, 1, []float64{0, 0, 0, 1, 2, 3}},
		{0, -1, []float64{4, 5, 6, 0, 0, 0}},
		{2, 1, []float64{0, 0, 0, 0, 0, 1}},
	} {
		if got := ShiftImage(nil, src, 3, 2, tc.dx, tc.dy); !slices.Equal(got, tc.want) {
			t.Errorf("shift (%d, %d) = %v, want %v", tc.dx, tc.dy, got, tc.want)
		}
	}
}

func TestRotateImage(t *testing.T) {
	// 3 × 3: a quarter turn about the centre pixel is exact.
	src := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	if got := RotateImage(nil, src, 3, 3, 0); !floats.EqualApprox(got, src, 1e-12) {
		t.Errorf("rotation by 0° = %v", got)
	}
	// Counter-clockwise on screen: the top row becomes the left column.
	want := []float64{3, 6, 9, 2, 5, 8, 1, 4, 7}
	if got := RotateImage(nil, src, 3, 3, 90); !floats.EqualApprox(got, want, 1e-12) {
		t.Errorf("rotation by 90° = %v, want %v", got, want)
	}
	// A small rotation keeps most of the ink of a centred blob.
	img := make([]float64, 28*28)
	for r := 10; r < 18; r++ {
		for c := 12; c < 16; c++ {
			img[r*28+c] = 1
		}
	}
	rot := RotateImage(nil, img, 28, 28, 10)
	if s0, s := floats.Sum(img), floats.Sum(rot); math.Abs(s-s0) > 0.05*s0 || floats.Equal(rot, img) {
		t.Errorf("10° rotation: ink %v → %v", s0, s)
	}
}

func TestElasticImage(t *testing.T) {
	src := make([]float64, 28*28)
	for i := range src {
		src[i] = float64(i%28) / 28
	}
	if got := ElasticImage(nil, src, 28, 28, 0, 4, rand.New(rand.NewPCG(1, 1))); !floats.EqualApprox(got, src, 1e-12) {
		t.Error("α = 0 changed the image")
	}
	a := ElasticImage(nil, src, 28, 28, 34, 4, rand.New(rand.NewPCG(1, 1)))
	b := ElasticImage(nil, src, 28, 28, 34, 4, rand.New(rand.NewPCG(1, 1)))
	if !floats.Equal(a, b) || floats.EqualApprox(a, src, 1e-3) {
		t.Error("elastic distortion is not reproducible or does nothing")
	}
}

func mnistLike(n int) *Dataset {
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(784, n, nil)
	labels := make([]int, n)
	for j := range n {
		labels[j] = j % 10
		for r := 8; r < 20; r++ {
			x.Set(r*28+10+j%5, j, rng.Float64())
		}
	}
	return &Dataset{X: x, Y: OneHot(labels, 10), Labels: labels}
}

func TestAugmentKeepsLabelsAndShapes(t *testing.T) {
	d := mnistLike(12)
	for _, cfg := range []AugmentConfig{
		{MaxShift: 1},
		{MaxShift: 2, Copies: 3},
		{MaxAngle: 15},
		{MaxAngle: 10, ElasticAlpha: 8, Noise: 0.1, Copies: 2},
		{Noise: 0.2},
	} {
		a := Augment(d, cfg, rand.New(rand.NewPCG(4, 4)))
		b := Augment(d, cfg, rand.New(rand.NewPCG(4, 4)))
		copies := max(cfg.Copies, 1)
		if r, c := a.X.Dims(); r != 784 || c != 12*copies || a.Len() != len(a.Labels) {
			t.Fatalf("%+v: X is %d×%d with %d labels", cfg, r, c, len(a.Labels))
		}
		if !mat.Equal(a.X, b.X) {
			t.Errorf("%+v: not reproducible with the same seed", cfg)
		}
		if mat.Equal(a.X.Slice(0, 784, 0, 12), d.X) {
			t.Errorf("%+v: no image changed", cfg)
		}
		for j, l := range a.Labels {
			if l != d.Labels[j%12] || a.Y.At(l, j) != 1 {
				t.Fatalf("%+v: copy %d has label %d, want %d", cfg, j, l, d.Labels[j%12])
			}
		}
		if lo, hi := mat.Min(a.X), mat.Max(a.X); lo < 0 || hi > 1 {
			t.Errorf("%+v: pixels in [%v, %v], want [0, 1]", cfg, lo, hi)
		}
	}
}

// TestAugmentZeroIsNone checks that zero strengths are no transformation
// (issue 12, case 4): the zero value copies the images unchanged.
func TestAugmentZeroIsNone(t *testing.T) {
	d := mnistLike(5)
	a := Augment(d, AugmentConfig{Copies: 2}, rand.New(rand.NewPCG(4, 4)))
	if !mat.Equal(a.X.Slice(0, 784, 0, 5), d.X) || !mat.Equal(a.X.Slice(0, 784, 5, 10), d.X) {
		t.Error("AugmentConfig{Copies: 2} changed the images")
	}
	wantPanic(t, "MaxShift = -1 is negative", func() { Augment(d, AugmentConfig{MaxShift: -1}, rand.New(rand.NewPCG(4, 4))) })
}

func TestExpandShiftsAndConcat(t *testing.T) {
	d := mnistLike(4)
	e := ExpandShifts(d, 28, 28)
	if e.Len() != 20 {
		t.Fatalf("expanded set has %d samples, want 20", e.Len())
	}
	col := make([]float64, 784)
	orig := make([]float64, 784)
	for j := range 20 {
		if e.Labels[j] != d.Labels[j/5] {
			t.Fatalf("expanded sample %d has label %d, want %d", j, e.Labels[j], d.Labels[j/5])
		}
		mat.Col(col, j, e.X)
		mat.Col(orig, j/5, d.X)
		if j%5 == 0 && !floats.Equal(col, orig) {
			t.Errorf("expanded sample %d is not the original", j)
		}
		if j%5 != 0 && floats.Equal(col, orig) {
			t.Errorf("expanded sample %d is not shifted", j)
		}
	}
	c := Concat(d, e)
	if c.Len() != 24 || c.Labels[4] != d.Labels[0] || !mat.Equal(c.X.Slice(0, 784, 4, 24), e.X) {
		t.Error("Concat did not append the samples in order")
	}
}
