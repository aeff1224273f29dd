package nb

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redesneuronales/course/lib/nn"
)

// TestModelKeyCoversEverySetting changes one thing at a time and checks
// that the cache name changes with it, and only with it.
func TestModelKeyCoversEverySetting(t *testing.T) {
	type input struct {
		label string
		quick bool
		seed  uint64
		start bool
		net   *nn.Network
		train *nn.Dataset
		cfg   nn.TrainConfig
		code  string
	}
	base := func() input {
		return input{
			label: "or",
			seed:  1,
			net:   nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1))),
			train: orData(),
			cfg:   nn.TrainConfig{Epochs: 3, BatchSize: 2, Optimizer: &nn.SGD{Eta: 0.5}},
			code:  "code-a",
		}
	}
	name := func(in input) string {
		t.Helper()
		n, err := modelKey(in.label, in.quick, in.seed, in.start, in.net, in.train, in.cfg, in.code)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := name(base())
	if !strings.HasPrefix(want, "or.") || len(want) != len("or.")+64 {
		t.Fatalf("name %q, want \"or.\" and a SHA-256 digest", want)
	}
	same := []struct {
		name   string
		change func(*input)
	}{
		{"nothing", func(*input) {}},
		{"a callback", func(in *input) { in.cfg.OnBatch = func(nn.BatchInfo) {} }},
		{"a shuffling source (replaced by the seed's)", func(in *input) { in.cfg.Rand = rand.New(rand.NewPCG(3, 3)) }},
		{"a new optimizer with the same fields", func(in *input) { in.cfg.Optimizer = &nn.SGD{Eta: 0.5} }},
		{"another network with the same seed", func(in *input) {
			in.net = nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
		}},
	}
	for _, c := range same {
		in := base()
		c.change(&in)
		if got := name(in); got != want {
			t.Errorf("%s: name %q changed from %q", c.name, got, want)
		}
	}
	differ := []struct {
		name   string
		change func(*input)
	}{
		{"label", func(in *input) { in.label = "or2" }},
		{"seed", func(in *input) { in.seed = 2 }},
		{"start measured", func(in *input) { in.start = true }},
		{"quick mode", func(in *input) { in.quick = true }},
		{"code fingerprint", func(in *input) { in.code = "code-b" }},
		{"initialization seed", func(in *input) {
			in.net = nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 2)))
		}},
		{"hidden size", func(in *input) {
			in.net = nn.NewMLP([]int{2, 4, 2}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
		}},
		{"output activation", func(in *input) {
			in.net = nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{Output: nn.Linear{}}, rand.New(rand.NewPCG(1, 1)))
		}},
		{"one input value", func(in *input) { in.train.X.Set(0, 0, 0.5) }},
		{"one target value", func(in *input) { in.train.Y.Set(1, 0, 0.5) }},
		{"one label", func(in *input) { in.train.Labels[0] = 1 }},
		{"validation set", func(in *input) { in.cfg.Validation = orData() }},
		{"epochs", func(in *input) { in.cfg.Epochs = 4 }},
		{"minibatch size", func(in *input) { in.cfg.BatchSize = 1 }},
		{"eta", func(in *input) { in.cfg.Optimizer = &nn.SGD{Eta: 0.25} }},
		{"optimizer", func(in *input) { in.cfg.Optimizer = &nn.Momentum{Eta: 0.5, Beta: 0.9} }},
		{"regularizer", func(in *input) { in.cfg.Regularizer = nn.L2{Lambda: 0.1} }},
		{"schedule", func(in *input) { in.cfg.Schedule = nn.StepDecay{Every: 1, Factor: 0.5} }},
		{"warmup then cosine", func(in *input) { in.cfg.Schedule = nn.Warmup{Epochs: 2, Then: nn.Cosine{}} }},
		{"warmup then constant", func(in *input) { in.cfg.Schedule = nn.Warmup{Epochs: 2, Then: nn.Constant{}} }},
		{"early stopping", func(in *input) { in.cfg.EarlyStopping = &nn.EarlyStopping{Patience: 2} }},
	}
	seen := map[string]string{want: "base"}
	for _, c := range differ {
		in := base()
		c.change(&in)
		got := name(in)
		if prev, ok := seen[got]; ok {
			t.Errorf("%s: name %q is the same as for %s", c.name, got, prev)
		}
		seen[got] = c.name
	}
	// Field values inside the optimizer count too, also through an
	// optimizer wrapped in another (never their addresses).
	a, b := base(), base()
	a.cfg.Optimizer = &nn.Momentum{Eta: 0.5, Beta: 0.9}
	b.cfg.Optimizer = &nn.Momentum{Eta: 0.5, Beta: 0.8}
	if name(a) == name(b) {
		t.Error("momentum β 0.9 and 0.8 give the same name")
	}
	decay := func(eta float64) input {
		in := base()
		in.cfg.Optimizer = &nn.WeightDecay{Optimizer: &nn.SGD{Eta: eta}, Lambda: 0.01}
		return in
	}
	if name(decay(0.5)) != name(decay(0.5)) {
		t.Error("two equal wrapped optimizers give different names")
	}
	if name(decay(0.5)) == name(decay(0.4)) {
		t.Error("η 0.5 and 0.4 inside weight decay give the same name")
	}
	// The label names the file; the digest does not depend on it.
	c := base()
	c.label = "another"
	if strings.TrimPrefix(name(c), "another") != strings.TrimPrefix(want, "or") {
		t.Errorf("the digest depends on the label: %q and %q", name(c), want)
	}
}

// TestFingerprintTree checks that the code fingerprint depends on the
// contents of the library's sources, not on where they are.
func TestFingerprintTree(t *testing.T) {
	write := func(root, rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree := func() string {
		root := t.TempDir()
		write(root, "go.mod", "module example\n")
		write(root, "go.sum", "")
		write(root, "lib/nn/train.go", "package nn\n")
		write(root, "lib/nn/train_test.go", "package nn\n")
		write(root, "nb/train.go", "package nb\n")
		write(root, "nb/harness/x.go", "package x\n")
		return root
	}
	fp := func(root string) string {
		t.Helper()
		s, err := fingerprintTree(root)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := tree(), tree()
	if fp(a) != fp(b) {
		t.Fatal("two copies of the same sources give different fingerprints")
	}
	want := fp(a)
	for _, c := range []struct {
		rel, text string
		changes   bool
	}{
		{"lib/nn/train.go", "package nn // edited\n", true},
		{"nb/train.go", "package nb // edited\n", true},
		{"go.sum", "gonum.org/v1/gonum v0.18.0 h1:x\n", true},
		{"lib/nn/new.go", "package nn\n", true},
		{"lib/nn/train_test.go", "package nn // a test\n", false},
		{"nb/harness/x.go", "package x // the harness\n", false},
		{"nb/i18n_es.go", "package nb // a new translation\n", false},
		{"nb/i18n.go", "package nb // the catalogs\n", false},
		{"lib/nn/i18n.go", "package nn // not a catalog of nb\n", true},
	} {
		root := tree()
		write(root, c.rel, c.text)
		if got := fp(root); (got != want) != c.changes {
			t.Errorf("editing %s: fingerprint changed %t, want %t", c.rel, got != want, c.changes)
		}
	}
	if _, err := fingerprintTree(t.TempDir()); err == nil {
		t.Error("a folder without the course's sources has a fingerprint")
	}
}

// TestTrainRunsSharedCache fills a shared cache as the teacher does,
// then checks that a user with an empty cache loads from it without
// training or writing, and that a change of setting trains into the user's
// own cache only.
func TestTrainRunsSharedCache(t *testing.T) {
	shared := t.TempDir()
	t.Setenv(CacheDirEnv, t.TempDir())
	t.Setenv(FillSharedCacheDirEnv, shared)
	trained := 0
	run := func(eta float64) Run {
		return Run{Label: "or-shared", NewNet: func(rng *rand.Rand) *nn.Network { return nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{}, rng) },
			Data: orData(), Seed: 1,
			Config: nn.TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: &nn.SGD{Eta: eta}, OnBatch: func(nn.BatchInfo) { trained++ }}}
	}
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	filled, err := d.TrainRuns([]Run{run(2)})
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(shared, "or-shared.*.params")); len(files) != 1 {
		t.Fatalf("the shared cache holds %v, want one model", files)
	}

	// A student: an empty own cache, the shared one read-only.
	own := t.TempDir()
	t.Setenv(CacheDirEnv, own)
	t.Setenv(FillSharedCacheDirEnv, "")
	t.Setenv(SharedCacheDirEnv, shared)
	if err := os.Chmod(shared, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(shared, 0o755)
	out.Reset()
	trained = 0
	res, err := d.TrainRuns([]Run{run(2)})
	if err != nil {
		t.Fatal(err)
	}
	if trained != 0 || !strings.Contains(out.String(), "shared cache") {
		t.Errorf("trained %d minibatches, said %q; want a load from the shared cache", trained, out.String())
	}
	if h := res[0].History; h.Last().TrainCost != filled[0].History.Last().TrainCost || res[0].Gradients != filled[0].Gradients {
		t.Errorf("loaded history ends at cost %v after %d gradients, want %v after %d", h.Last().TrainCost, res[0].Gradients, filled[0].History.Last().TrainCost, filled[0].Gradients)
	}
	if entries, _ := os.ReadDir(own); len(entries) != 0 {
		t.Errorf("loading from the shared cache wrote %d file(s) to the user's cache", len(entries))
	}

	// Another η: not served; trained into the user's own cache.
	out.Reset()
	if _, err := d.TrainRuns([]Run{run(1)}); err != nil {
		t.Fatalf("training beside a read-only shared cache: %v", err)
	}
	if trained == 0 || strings.Contains(out.String(), "shared cache") {
		t.Errorf("another η: trained %d minibatches, said %q; want a new training", trained, out.String())
	}
	if files, _ := filepath.Glob(filepath.Join(own, "or-shared.*.params")); len(files) != 1 {
		t.Errorf("the user's cache holds %v, want the new model", files)
	}
	if files, _ := filepath.Glob(filepath.Join(shared, "*.params")); len(files) != 1 {
		t.Errorf("the shared cache holds %v, want only the teacher's model", files)
	}
}
