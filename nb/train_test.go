package nb

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func orData() *nn.Dataset {
	x := mat.NewDense(2, 4, []float64{0, 0, 1, 1, 0, 1, 0, 1})
	labels := []int{0, 1, 1, 1}
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 2), Labels: labels}
}

func TestTrainCachedReusesTheTrainedNetwork(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	cfg := nn.TrainConfig{Epochs: 20, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}}
	a := nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	h1, err := d.TrainCached("or-test", a, orData(), cfg)
	if err != nil || len(h1) != 20 {
		t.Fatalf("first run: %d epochs, error %v", len(h1), err)
	}
	if strings.Contains(out.String(), "from the cache") {
		t.Fatal("first run claims to load from the cache")
	}
	// The same network built again (the cache name covers the initial
	// weights): loaded, not trained.
	b := nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
	trained := 0
	cfg.OnBatch = func(nn.BatchInfo) { trained++ }
	h2, err := d.TrainCached("or-test", b, orData(), cfg)
	if trained != 0 {
		t.Errorf("second run trained %d minibatches, want a load", trained)
	}
	if err != nil || len(h2) != 20 || h2.Last().TrainCost != h1.Last().TrainCost {
		t.Fatalf("second run: %d epochs, last cost %v (want %v), error %v", len(h2), h2.Last().TrainCost, h1.Last().TrainCost, err)
	}
	if !strings.Contains(out.String(), "from the cache") {
		t.Error("second run did not say it loaded from the cache")
	}
	for i, p := range a.Params() {
		if !mat.Equal(p.Value, b.Params()[i].Value) {
			t.Errorf("%s differs from the cached network", p.Name)
		}
	}
}

// TestTrainCachedWithoutHistoryTrainsFromScratch checks that a cache entry
// whose history is missing does not leave the cached weights in the
// network to be trained further: the run is the same as without a cache.
func TestTrainCachedWithoutHistoryTrainsFromScratch(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheDirEnv, dir)
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	cfg := func() nn.TrainConfig {
		return nn.TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, Rand: rand.New(rand.NewPCG(3, 3))}
	}
	newNet := func() *nn.Network { return nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1))) }
	if _, err := d.TrainCached("half", newNet(), orData(), cfg()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "half.*.history")) // the key, then the digest (modelKey)
	if len(files) != 1 {
		t.Fatalf("history files %v", files)
	}
	os.Remove(files[0])
	again := newNet()
	if _, err := d.TrainCached("half", again, orData(), cfg()); err != nil {
		t.Fatal(err)
	}
	fresh := newNet()
	if _, err := nn.Train(context.Background(), fresh, orData(), cfg()); err != nil {
		t.Fatal(err)
	}
	for i, p := range fresh.Params() {
		if !mat.Equal(p.Value, again.Params()[i].Value) {
			t.Errorf("%s: the rerun did not start from the initial weights", p.Name)
		}
	}
}

func TestTrainReportsNonFiniteCost(t *testing.T) {
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	net := nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{Output: nn.Linear{}}, rand.New(rand.NewPCG(1, 1)))
	_, err := d.Train(net, orData(), nn.TrainConfig{Epochs: 200, BatchSize: 2, Optimizer: &nn.SGD{Eta: 1e6}})
	if err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("error %v, want a non-finite cost error", err)
	}
}

func TestLearningCurvesOmitMissingValidation(t *testing.T) {
	h := nn.History{{Epoch: 1, TrainCost: 1, TrainAccuracy: 0.5}}
	for _, tc := range []struct {
		val  float64
		want bool
	}{{math.NaN(), false}, {0.7, true}} {
		h[0].ValidationCost, h[0].ValidationAccuracy = tc.val, tc.val
		c, _ := LearningCurves("run", h)
		svg, err := plotting.SVG(c, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(svg, []byte("validation")); got != tc.want || strings.Contains(c.Title.Text, "dropped") {
			t.Errorf("validation %v: legend has a validation entry: %v, want %v (title %q)", tc.val, got, tc.want, c.Title.Text)
		}
	}
}
