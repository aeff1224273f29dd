package nb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func xorNet(rng *rand.Rand) *nn.Network { return nn.NewMLP([]int{2, 4, 2}, nn.MLPConfig{}, rng) }

func orData() *nn.Dataset {
	x := mat.NewDense(2, 4, []float64{0, 0, 1, 1, 0, 1, 0, 1})
	labels := []int{0, 1, 1, 1}
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 2), Labels: labels}
}

// TestTrainRunsComparesBatchSizes compares minibatch sizes as notebook 02
// does: every run starts from the same θ, records the cost on the whole
// training set from epoch 0, and counts its updates.
func TestTrainRunsComparesBatchSizes(t *testing.T) {
	data := XOR(XORConfig{N: 40, Noise: 0.3}, Rand(5, 6))
	var out bytes.Buffer
	d := NewDisplay(&out, "")
	var runs []Run
	for _, m := range []int{4, 40} {
		runs = append(runs, Run{Label: "m", NewNet: xorNet, Data: data, Seed: 7, Start: true, Uncached: true,
			Config: nn.TrainConfig{Epochs: 3, BatchSize: m, Optimizer: &nn.SGD{Eta: 1}, Validation: data}})
	}
	// A diverging run is kept with its error, and the next run trains.
	linear := func(rng *rand.Rand) *nn.Network {
		return nn.NewMLP([]int{2, 4, 2}, nn.MLPConfig{Output: nn.Linear{}}, rng)
	}
	runs = append(runs[:1], Run{Label: "huge η", NewNet: linear, Data: data, Seed: 7, Uncached: true,
		Config: nn.TrainConfig{Epochs: 50, BatchSize: 4, Optimizer: &nn.SGD{Eta: 1e6}}}, runs[1])
	res, err := d.TrainRuns(runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || !errors.Is(res[1].Err, nn.ErrNonFinite) || res[0].Err != nil || res[2].Err != nil {
		t.Fatalf("%d results, errors %v; want 3, the second with ErrNonFinite", len(res), []error{res[0].Err, res[1].Err, res[2].Err})
	}
	if !strings.Contains(out.String(), "huge η stopped") {
		t.Errorf("the failed run is not reported: %q", out.String())
	}
	for _, want := range []string{"m: minibatch 30/30", "m: minibatch 3/3"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no progress line %q in %q", want, out.String())
		}
	}
	res = []Result{res[0], res[2]}
	for i, want := range []int{30, 3} {
		if res[i].Gradients != want || len(res[i].History) != 3 || res[i].Start == nil {
			t.Errorf("run %d: %d gradients, %d epochs, start %v; want %d, 3, measured", i, res[i].Gradients, len(res[i].History), res[i].Start, want)
		}
	}
	if res[0].Start.ValidationCost != res[1].Start.ValidationCost {
		t.Errorf("initial costs %v and %v differ", res[0].Start.ValidationCost, res[1].Start.ValidationCost)
	}
	// Rerun the full-batch run by hand, seeded as Run documents it.
	net := xorNet(rand.New(rand.NewPCG(7, 0)))
	c0, _ := net.Evaluate(data)
	if _, err := nn.Train(context.Background(), net, data, nn.TrainConfig{Epochs: 3, BatchSize: 40, Optimizer: &nn.SGD{Eta: 1}, Rand: rand.New(rand.NewPCG(7, 1))}); err != nil {
		t.Fatal(err)
	}
	c3, _ := net.Evaluate(data)
	if c0 != res[1].Start.ValidationCost || c3 != res[1].History.Last().ValidationCost {
		t.Errorf("costs before and after %v, %v; recorded %v, %v", c0, c3, res[1].Start.ValidationCost, res[1].History.Last().ValidationCost)
	}
	for i, p := range net.Params() {
		if !mat.Equal(p.Value, res[1].Net.Params()[i].Value) {
			t.Errorf("%s differs from the run's trained network", p.Name)
		}
	}
	byEpoch, byTime := Curves(res, ValidationCost)
	if byEpoch.X.Label.Text != "epoch" || byTime.X.Label.Text != "seconds of training" || byEpoch.X.Min != 0 || byEpoch.X.Max != 3 {
		t.Errorf("axes %q [%v, %v] and %q", byEpoch.X.Label.Text, byEpoch.X.Min, byEpoch.X.Max, byTime.X.Label.Text)
	}
}

// TestTrainRunsCacheEntries checks that the cache entry of a run follows
// its settings, not its label: runs that differ only in a setting no label
// names get different entries, and the same settings get the same entry,
// loaded without training.
func TestTrainRunsCacheEntries(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheDirEnv, dir)
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	trained := 0
	run := func(lambda float64, seed uint64) Run {
		return Run{Label: "or", NewNet: xorNet, Data: orData(), Seed: seed,
			Config: nn.TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, Regularizer: nn.L2{Lambda: lambda},
				OnBatch: func(nn.BatchInfo) { trained++ }}}
	}
	entries := func() []string {
		f, _ := filepath.Glob(filepath.Join(dir, "or.*.params"))
		return f
	}
	first, err := d.TrainRuns([]Run{run(0.1, 1)})
	if err != nil || trained == 0 || len(entries()) != 1 {
		t.Fatalf("first run: %d minibatches, entries %v, error %v", trained, entries(), err)
	}
	for _, c := range []struct {
		name string
		run  Run
	}{{"λ", run(0.2, 1)}, {"seed", run(0.1, 2)}} {
		n := len(entries())
		trained = 0
		if _, err := d.TrainRuns([]Run{c.run}); err != nil {
			t.Fatal(err)
		}
		if trained == 0 || len(entries()) != n+1 {
			t.Errorf("another %s under the same label: %d minibatches trained, %d entries (had %d)", c.name, trained, len(entries()), n)
		}
	}
	// The same settings again, the network passed built instead of its
	// constructor: loaded, not trained, the same weights and history.
	trained = 0
	out.Reset()
	again := run(0.1, 1)
	again.NewNet, again.Net = nil, xorNet(Rand(1, 0))
	res, err := d.TrainRuns([]Run{again})
	if err != nil {
		t.Fatal(err)
	}
	if trained != 0 || !strings.Contains(out.String(), "from the cache") || len(entries()) != 3 {
		t.Errorf("same settings: %d minibatches trained, %d entries, said %q; want a load", trained, len(entries()), out.String())
	}
	if res[0].History.Last().TrainCost != first[0].History.Last().TrainCost || res[0].Gradients != first[0].Gradients {
		t.Errorf("loaded history ends at %v after %d gradients, want %v after %d", res[0].History.Last().TrainCost, res[0].Gradients, first[0].History.Last().TrainCost, first[0].Gradients)
	}
	for i, p := range first[0].Net.Params() {
		if !mat.Equal(p.Value, res[0].Net.Params()[i].Value) {
			t.Errorf("%s differs from the cached network", p.Name)
		}
	}
	// A missing history: trained again from the initial weights, exactly
	// as without a cache.
	hist, _ := filepath.Glob(filepath.Join(dir, "or.*.history"))
	for _, f := range hist {
		os.Remove(f)
	}
	trained = 0
	res, err = d.TrainRuns([]Run{run(0.1, 1)})
	if err != nil || trained == 0 {
		t.Fatalf("after removing the histories: %d minibatches trained, error %v", trained, err)
	}
	for i, p := range first[0].Net.Params() {
		if !mat.Equal(p.Value, res[0].Net.Params()[i].Value) {
			t.Errorf("%s: the rerun did not start from the initial weights", p.Name)
		}
	}
}

// TestTrainRunsCacheAcrossLanguages trains a run under its English label
// and runs it again in Spanish, under its label in Spanish (as a notebook
// labels it with nb.T): the model is found by its digest and loaded, not
// trained again, and the shared cache that a teacher filled in English
// serves a class that works in Spanish.
func TestTrainRunsCacheAcrossLanguages(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%t", shared), func(t *testing.T) {
			first := t.TempDir()
			t.Setenv(CacheDirEnv, first)
			t.Setenv(LangEnv, "")
			trained := 0
			run := func(label string) Run {
				return Run{Label: label, NewNet: xorNet, Data: orData(), Seed: 1,
					Config: nn.TrainConfig{Epochs: 3, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, OnBatch: func(nn.BatchInfo) { trained++ }}}
			}
			var out bytes.Buffer
			d := NewDisplay(&out, "")
			if _, err := d.TrainRuns([]Run{run("plain SGD")}); err != nil || trained == 0 {
				t.Fatalf("English run: %d minibatches trained, error %v", trained, err)
			}
			if shared {
				t.Setenv(SharedCacheDirEnv, first)
				t.Setenv(CacheDirEnv, t.TempDir())
			}
			t.Setenv(LangEnv, "es")
			trained = 0
			out.Reset()
			res, err := d.TrainRuns([]Run{run("SGD simple")})
			if err != nil || trained != 0 {
				t.Errorf("Spanish run: %d minibatches trained, error %v; want a load of the English run's model", trained, err)
			}
			if len(res) != 1 || res[0].Label() != "SGD simple" || len(res[0].History) != 3 {
				t.Errorf("Spanish run: %d results, want one labelled SGD simple with 3 epochs", len(res))
			}
			if !strings.Contains(out.String(), "SGD simple") {
				t.Errorf("said %q, want the run's Spanish label", out.String())
			}
		})
	}
}

// TestTrainRunsWarmupComparison expresses notebook 04_5's comparison:
// runs that differ only in a schedule, over several seeds. A mode's seeds
// share a label; Curves draws their mean and RunTable names the seeds.
func TestTrainRunsWarmupComparison(t *testing.T) {
	data := XOR(XORConfig{N: 40, Noise: 0.3}, Rand(5, 6))
	modes := []struct {
		name     string
		schedule nn.Schedule
	}{{"no warmup", nil}, {"warmup over 2 epochs", nn.Warmup{Epochs: 2}}}
	var runs []Run
	for seed := uint64(1); seed <= 2; seed++ {
		for _, m := range modes {
			runs = append(runs, Run{Label: m.name, NewNet: xorNet, Data: data, Seed: seed, Uncached: true,
				Config: nn.TrainConfig{Epochs: 3, BatchSize: 4, Optimizer: &nn.SGD{Eta: 2}, Schedule: m.schedule, Validation: data}})
		}
	}
	res, err := NewDisplay(io.Discard, "").TrainRuns(runs)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i += 2 {
		if res[i].History[0].TrainCost == res[i+1].History[0].TrainCost {
			t.Errorf("seed %d: the warmup run's first epoch is the same as the plain run's", res[i].Run.Seed)
		}
	}
	if res[0].History[0].TrainCost == res[2].History[0].TrainCost {
		t.Error("seeds 1 and 2 give the same first epoch")
	}
	p, _ := Curves(res, ValidationAccuracy)
	svg, err := plotting.SVG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"no warmup (mean of 2 seeds)", "warmup over 2 epochs (mean of 2 seeds)"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the legend has no %q", want)
		}
	}
	tab := RunTable("warmup", res, ValidationAccuracy.Last())
	if len(tab.Rows) != 4 || tab.Rows[3][0] != "warmup over 2 epochs (seed 2)" {
		t.Errorf("rows %v", tab.Rows)
	}
}

func TestRunMisuse(t *testing.T) {
	for name, r := range map[string]Run{
		"no network":           {Data: orData()},
		"two networks":         {NewNet: xorNet, Net: xorNet(Rand(1, 0)), Data: orData()},
		"no data":              {NewNet: xorNet},
		"start, no validation": {NewNet: xorNet, Data: orData(), Start: true},
	} {
		func() {
			defer func() {
				if e := recover(); e == nil || !strings.HasPrefix(e.(string), "nb: ") {
					t.Errorf("%s: panic %v, want an nb: message", name, e)
				}
			}()
			NewDisplay(io.Discard, "").TrainRuns([]Run{r})
		}()
	}
	adam := nn.NewAdam(0.01)
	r := Run{NewNet: xorNet, Data: orData(), Config: nn.TrainConfig{Optimizer: adam}}
	defer func() {
		if e := recover(); e == nil || !strings.Contains(e.(string), "share one optimizer") {
			t.Errorf("two runs with one optimizer: panic %v", e)
		}
	}()
	NewDisplay(io.Discard, "").TrainRuns([]Run{r, r})
}

func TestCurvesAndRunTable(t *testing.T) {
	epoch := func(e int, acc float64) nn.EpochStats {
		return nn.EpochStats{Epoch: e, TrainCost: 1 / float64(e), ValidationAccuracy: acc, TrainAccuracy: acc + 0.1, Duration: time.Second}
	}
	h := nn.History{epoch(1, 0.5), epoch(2, 0.7), epoch(3, 0.6)}
	es := Run{Label: "stopped", Config: nn.TrainConfig{EarlyStopping: &nn.EarlyStopping{Patience: 1}}}
	runs := []Result{{Run: Run{Label: "plain"}, History: h}, {Run: es, History: h}}
	byEpoch, byTime := Curves(runs, ValidationAccuracy)
	// The axes span the data: epochs 1..3 and 1..3 s, accuracies 50..70 %.
	if byEpoch.X.Min != 1 || byEpoch.X.Max != 3 || byEpoch.Y.Min != 50 || byEpoch.Y.Max != 70 || byTime.X.Max != 3 {
		t.Errorf("spans x [%v, %v], y [%v, %v], time up to %v", byEpoch.X.Min, byEpoch.X.Max, byEpoch.Y.Min, byEpoch.Y.Max, byTime.X.Max)
	}
	runs[1].Gradients = 12
	tab := RunTable("runs", runs, EpochsTrained(), TrainCost.Last(), ValidationAccuracy.Best(), ValidationAccuracy.At(1), TrainAccuracy.Last(), EpochTime(), TrainingTime(), GradientCount())
	want := [][]string{
		{"plain", "3", "0.3333", "70.00% (2)", "50.00%", "70.00%", "1.000", "3.000", "0"},
		{"stopped", "3 (best 2)", "0.3333", "70.00% (2)", "50.00%", "70.00%", "1.000", "3.000", "12"},
	}
	if len(tab.Rows) != 2 || strings.Join(tab.Rows[0], "|") != strings.Join(want[0], "|") || strings.Join(tab.Rows[1], "|") != strings.Join(want[1], "|") {
		t.Errorf("rows %v, want %v", tab.Rows, want)
	}
	if tab.Header[0] != "run" || len(tab.Header) != 9 || tab.Header[2] != "training cost, last epoch" || TrainCost.Last().Named("C").Header != "C" {
		t.Errorf("header %v", tab.Header)
	}
	if c := TrainCost.Best().Value(runs[0]); c != "0.3333 (3)" {
		t.Errorf("lowest training cost %q, want 0.3333 (3)", c)
	}

	// Runs that share a label are averaged over the seeds that did not
	// fail; the table names their seeds.
	seed := func(s uint64, acc float64, err error) Result {
		return Result{Run: Run{Label: "warmup", Seed: s}, History: nn.History{epoch(1, acc), epoch(2, acc)}, Err: err}
	}
	seeds := []Result{seed(1, 0.6, nil), seed(2, 0.8, nil), seed(3, 0.1, nn.ErrNonFinite)}
	p, _ := Curves(seeds, ValidationAccuracy)
	if p.Y.Min != 70 || p.Y.Max != 70 {
		t.Errorf("mean over seeds drawn over [%v, %v], want 70 %%", p.Y.Min, p.Y.Max)
	}
	tab = RunTable("seeds", seeds, ValidationAccuracy.Last())
	if tab.Rows[0][0] != "warmup (seed 1)" || tab.Rows[2][0] != "warmup (seed 3) (failed)" {
		t.Errorf("rows %v", tab.Rows)
	}
	if x, _, y := meanPoints(seeds, ValidationAccuracy); len(x) != 2 || math.Abs(y[1]-70) > 1e-12 {
		t.Errorf("mean points %v %v", x, y)
	}
}

// TestMustEndsTheCell runs the failing helpers in a child process, as a
// notebook cell runs: each must exit with status 1 and the error's
// message on standard error.
func TestMustEndsTheCell(t *testing.T) {
	if which := os.Getenv("NB_TEST_EXIT"); which != "" {
		err := errors.New("the data is not there")
		switch which {
		case "Must":
			Must(0, err)
		case "NoErr":
			NoErr(err)
		case "MNIST":
			MNIST(nn.MNISTConfig{TrainSize: -1})
		}
		os.Exit(0)
	}
	if Must(3, nil) != 3 {
		t.Error("Must(3, nil) is not 3")
	}
	NoErr(nil)
	for _, c := range []struct{ which, message string }{
		{"Must", "the data is not there"},
		{"NoErr", "the data is not there"},
		{"MNIST", "loading the MNIST images: "},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMustEndsTheCell$")
		cmd.Env = append(os.Environ(), "NB_TEST_EXIT="+c.which)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), c.message) {
			t.Errorf("%s: %v, stderr %q; want exit status 1 and %q", c.which, err, stderr.String(), c.message)
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
