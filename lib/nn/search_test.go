package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestSpaceGridAndRandom(t *testing.T) {
	space := Space{
		{Name: "eta", Values: []float64{0.1, 1}, Min: 1e-3, Max: 10, Log: true},
		{Name: "batch", Values: []float64{10, 20, 50}},
		{Name: "hidden", Min: 5, Max: 30, Integer: true},
	}
	grid := Space{space[0], space[1]}.Grid()
	want := [][]float64{{0.1, 10}, {0.1, 20}, {0.1, 50}, {1, 10}, {1, 20}, {1, 50}}
	if len(grid) != len(want) {
		t.Fatalf("%d grid points, want %d", len(grid), len(want))
	}
	for i, p := range grid {
		if p.Get("eta") != want[i][0] || p.Get("batch") != want[i][1] {
			t.Errorf("grid point %d is %v, want %v", i, p, want[i])
		}
	}
	pts := space.Random(500, rand.New(rand.NewPCG(1, 0)))
	below := 0
	for _, p := range pts {
		eta, b, h := p.Get("eta"), p.Get("batch"), p.Get("hidden")
		if eta < 1e-3 || eta > 10 || (b != 10 && b != 20 && b != 50) || h < 5 || h > 30 || h != math.Round(h) {
			t.Fatalf("random point %v outside the space", p)
		}
		if eta < 0.1 {
			below++
		}
	}
	// log-uniform: half the draws below the geometric middle 0.1.
	if below < 200 || below > 300 {
		t.Errorf("%d of 500 log-uniform draws of η below 0.1, want about 250", below)
	}
}

// TestSearchScoresOnValidationOnly checks that every trial's score is the
// validation accuracy of the network it trained (retrained here from the
// same seed), that a diverging trial is recorded and sorted last, and that
// the test split was never evaluated: a Dataset caches its sample rows on
// first use by Train or Evaluate.
func TestSearchScoresOnValidationOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 0))
	all := Blobs(BlobsConfig{N: 300, Std: 0.9}, rng)
	idx := rng.Perm(300)
	train, val, test := all.Subset(idx[:150]), all.Subset(idx[150:225]), all.Subset(idx[225:])
	build := func(p Point, rng *rand.Rand) (*Network, TrainConfig) {
		net := NewMLP([]int{2, int(p.Get("hidden")), 3}, MLPConfig{Hidden: Tanh{}, Output: Linear{}}, rng)
		return net, TrainConfig{Epochs: 3, BatchSize: 10, Optimizer: &SGD{Eta: p.Get("eta")}, Validation: test}
	}
	s := &Search{Train: train, Validation: val, Build: build, Seed: 7}
	res, err := s.Grid(context.Background(), Space{
		{Name: "eta", Values: []float64{0.01, 0.1, 1e9}},
		{Name: "hidden", Values: []float64{2, 8}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if test.rows != nil {
		t.Fatal("the search evaluated the test split")
	}
	if val.rows == nil {
		t.Fatal("the search never evaluated the validation split")
	}
	for _, tr := range res {
		if tr.Point.Get("eta") == 1e9 {
			if tr.Err == nil || !math.IsNaN(tr.Score) {
				t.Errorf("η = 1e9: score %g, error %v; want NaN and an error", tr.Score, tr.Err)
			}
			continue
		}
		r := rand.New(rand.NewPCG(7, 0))
		net, cfg := build(tr.Point, r)
		cfg.Validation, cfg.Rand = val, r
		if _, err := Train(context.Background(), net, train, cfg); err != nil {
			t.Fatal(err)
		}
		_, acc := net.Evaluate(val)
		if tr.Score != acc {
			t.Errorf("%v: score %g, validation accuracy of the retrained network %g", tr.Point, tr.Score, acc)
		}
	}
	sorted := res.Sorted()
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1].Score, sorted[i].Score
		if math.IsNaN(a) && !math.IsNaN(b) || a < b {
			t.Errorf("not sorted: %g before %g", a, b)
		}
	}
	if res.Best().Score != sorted[0].Score || math.IsNaN(sorted[0].Score) {
		t.Errorf("best %v", res.Best())
	}
}

func TestSearchStopsOnCancel(t *testing.T) {
	data := Blobs(BlobsConfig{Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	s := &Search{Train: data, Validation: data, Build: func(p Point, rng *rand.Rand) (*Network, TrainConfig) {
		return NewMLP([]int{2, 3, 3}, MLPConfig{}, rng), TrainConfig{Optimizer: &SGD{}}
	}, OnTrial: func(Trial) {
		if n++; n == 2 {
			cancel()
		}
	}}
	res, err := s.Grid(ctx, Space{{Name: "x", Values: []float64{1, 2, 3, 4}}})
	if err == nil || len(res) != 2 {
		t.Errorf("%d trials, error %v; want 2 and an error", len(res), err)
	}
}

func TestCopyLayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 0))
	src := NewMLP([]int{4, 6, 3}, MLPConfig{}, rng)
	dst := NewMLP([]int{4, 6, 5}, MLPConfig{}, rng)
	got := CopyLayers(dst, src)
	if len(got) != 1 || got[0] != 0 {
		t.Fatalf("copied layers %v, want [0]", got)
	}
	if !equalParams(dst.Layers[0].Params(), src.Layers[0].Params()) {
		t.Error("layer 0 not copied")
	}
	if dst.Layers[1].Params()[0].Value.At(0, 0) == src.Layers[1].Params()[0].Value.At(0, 0) {
		t.Error("layer 1 changed")
	}
	dst2 := NewMLP([]int{4, 6, 3}, MLPConfig{}, rng)
	if got := CopyLayers(dst2, src, 1); len(got) != 1 || !equalParams(dst2.Layers[1].Params(), src.Layers[1].Params()) ||
		equalParams(dst2.Layers[0].Params(), src.Layers[0].Params()) {
		t.Errorf("explicit copy of layer 1: %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic copying a layer that does not fit")
		}
	}()
	CopyLayers(dst, src, 1)
}

func equalParams(a, b []*Param) bool {
	for i := range a {
		ra, rb := a[i].Value.RawMatrix().Data, b[i].Value.RawMatrix().Data
		for j := range ra {
			if ra[j] != rb[j] {
				return false
			}
		}
	}
	return true
}

// TestSearchSeedZeroIsASeed checks that Seed 0 seeds the trials with 0
// (issue 12, case 4), not with another seed: the trial's network is the
// one Build makes from rand.NewPCG(0, 0).
func TestSearchSeedZeroIsASeed(t *testing.T) {
	data := Blobs(BlobsConfig{N: 60, Std: DefaultBlobsStd}, rand.New(rand.NewPCG(1, 0)))
	var first []float64
	s := &Search{Train: data, Validation: data, Build: func(p Point, rng *rand.Rand) (*Network, TrainConfig) {
		net := NewMLP([]int{2, 3, 3}, MLPConfig{}, rng)
		first = append([]float64(nil), net.Params()[0].Value.RawMatrix().Data...)
		return net, TrainConfig{Epochs: 1, Optimizer: &SGD{Eta: 0}}
	}}
	if _, err := s.Grid(context.Background(), Space{{Name: "x", Values: []float64{1}}}); err != nil {
		t.Fatal(err)
	}
	want := NewMLP([]int{2, 3, 3}, MLPConfig{}, rand.New(rand.NewPCG(0, 0))).Params()[0].Value.RawMatrix().Data
	for i := range want {
		if first[i] != want[i] {
			t.Fatalf("Seed 0 built W1 = %v, want %v (from seed 0)", first, want)
		}
	}
}
