package nb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"encoding/gob"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// Train trains net with nn.Train and shows a live progress line (minibatch,
// running cost and accuracy, elapsed time, time left). Interrupting the
// kernel (the ■ button, or I I) stops training cleanly after the current
// minibatch: the epochs done so far are returned with the error.
func (d *Display) Train(net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) (nn.History, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	epochs := max(cfg.Epochs, 1)
	m := cfg.BatchSize
	if m <= 0 {
		m = nn.DefaultBatchSize
	}
	mb, _ := net.MinBatch()
	batches := nn.Minibatches(train.Len(), m, mb)
	p := d.NewProgress(ProgressConfig{Label: "minibatch", Total: epochs * batches})
	user := cfg.OnBatch
	cfg.OnBatch = func(b nn.BatchInfo) {
		if user != nil {
			user(b)
		}
		p.Update(b.Step, b.RunningCost, b.RunningAccuracy)
	}
	hist, err := nn.Train(ctx, net, train, cfg)
	p.Done()
	if errors.Is(err, context.Canceled) {
		d.Markdown(fmt.Sprintf("**Interrupted** after %d complete epoch(s).", len(hist)))
	}
	return hist, err
}

// Train trains on the Default display; an error (a NaN cost, an interrupt)
// ends the cell with its message.
func Train(net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) nn.History {
	h, err := Default().Train(net, train, cfg)
	exitOn(err)
	return h
}

// CacheDirEnv names the environment variable that sets the directory of
// trained models; by default it is "redes-neuronales-course" in the
// user's cache directory.
const CacheDirEnv = "NB_CACHE_DIR"

// CacheDir returns the directory where TrainCached keeps trained models.
func CacheDir() string {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "redes-neuronales-course")
}

// cachedRun is what TrainCached stores next to the weights.
type cachedRun struct {
	History nn.History
}

var unsafeKey = regexp.MustCompile(`[^A-Za-z0-9._=-]+`)

// SharedCacheDir returns the read-only directory of models shared by a
// class (NB_SHARED_CACHE_DIR), or "" when there is none.
func SharedCacheDir() string { return os.Getenv(SharedCacheDirEnv) }

// TrainCached trains net like Train, unless a model was already trained
// under the same key, in which case it loads its weights and history
// instead. Every GoNB cell runs a new program, so this is how later cells
// reuse a network trained in an earlier one.
//
// The key should name what the network cannot show, the seed of cfg.Rand
// above all (sizes, η, epochs, data size and so on may be named too, for a
// readable file name). A model is looked up under a name derived from the
// key and from every training setting, the network's initial weights, the
// training and validation data and a fingerprint of the training code
// (modelKey), so a stale or different model is never served: rerunning the
// cell with other hyperparameters, other data or an edited library trains
// again. Quick mode is part of the name.
//
// The shared directory (SharedCacheDir, read-only, filled by the teacher)
// is looked up first, then the user's own (CacheDir). A newly trained model
// is written to the user's own directory only (and also to
// NB_FILL_SHARED_CACHE_DIR when that is set, which is how the teacher fills
// the shared one).
func (d *Display) TrainCached(key string, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) (nn.History, error) {
	code := codeFingerprint()
	name, err := modelKey(key, Quick(), net, train, cfg, code)
	if err != nil {
		return nil, err
	}
	shown := key
	if Quick() {
		shown = "quick-" + key
	}
	known := !strings.HasPrefix(code, "unknown-")
	if dir := SharedCacheDir(); dir != "" && known {
		if hist, ok := loadCached(filepath.Join(dir, name), net); ok {
			d.Markdown(fmt.Sprintf("Loaded the network trained earlier (`%s`) from the class's shared cache.", shown))
			return hist, nil
		}
	}
	base := filepath.Join(CacheDir(), name)
	if hist, ok := loadCached(base, net); ok {
		d.Markdown(fmt.Sprintf("Loaded the network trained earlier (`%s`) from the cache.", shown))
		return hist, nil
	}
	hist, err := d.Train(net, train, cfg)
	if err != nil {
		return hist, err
	}
	if err := saveCached(base, net, hist); err != nil {
		return hist, err
	}
	if dir := os.Getenv(FillSharedCacheDirEnv); dir != "" && known {
		if err := saveCached(filepath.Join(dir, name), net, hist); err != nil {
			return hist, err
		}
	}
	return hist, nil
}

// loadCached reads the weights at base+".params" into net and returns the
// history at base+".history"; ok is false (and net unchanged) when either
// is missing or unreadable.
func loadCached(base string, net *nn.Network) (nn.History, bool) {
	f, err := os.Open(base + ".history")
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var run cachedRun
	if err := gob.NewDecoder(f).Decode(&run); err != nil {
		return nil, false
	}
	if err := net.LoadFile(base + ".params"); err != nil {
		return nil, false
	}
	return run.History, true
}

// saveCached writes net's weights and hist under base (see loadCached),
// creating the directory. The history is written last, through a temporary
// file renamed into place, so a reader never sees half a model.
func saveCached(base string, net *nn.Network, hist nn.History) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return fmt.Errorf("nb: creating the model cache: %w", err)
	}
	if err := net.SaveFile(base + ".params"); err != nil {
		return err
	}
	// Readable by everyone, so that a shared cache serves the class.
	if err := os.Chmod(base+".params", 0o644); err != nil {
		return fmt.Errorf("nb: caching the weights: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(base), filepath.Base(base)+".history-*")
	if err != nil {
		return fmt.Errorf("nb: caching the training history: %w", err)
	}
	defer os.Remove(f.Name())
	if err := gob.NewEncoder(f).Encode(cachedRun{History: hist}); err != nil {
		f.Close()
		return fmt.Errorf("nb: caching the training history in %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("nb: caching the training history in %s: %w", f.Name(), err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("nb: caching the training history: %w", err)
	}
	if err := os.Rename(f.Name(), base+".history"); err != nil {
		return fmt.Errorf("nb: caching the training history: %w", err)
	}
	return nil
}

// TrainCached is TrainCached on the Default display; an error ends the cell.
func TrainCached(key string, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) nn.History {
	h, err := Default().TrainCached(key, net, train, cfg)
	exitOn(err)
	return h
}

// LearningCurves returns two panels for a training history: cost and
// accuracy (in %) against epoch, for the training set (running means over
// each epoch's minibatches) and, when measured, the validation set.
func LearningCurves(title string, h nn.History) (cost, accuracy *plot.Plot) {
	ep := make([]float64, len(h))
	var tc, vc, ta, va []float64
	for i, s := range h {
		ep[i] = float64(s.Epoch)
		tc = append(tc, s.TrainCost)
		vc = append(vc, s.ValidationCost)
		ta = append(ta, 100*s.TrainAccuracy)
		va = append(va, 100*s.ValidationAccuracy)
	}
	series := func(train, val []float64) []plotting.Series {
		s := []plotting.Series{{Name: "training", X: ep, Y: train}}
		if len(h) > 0 && !math.IsNaN(h[0].ValidationCost) {
			s = append(s, plotting.Series{Name: "validation", X: ep, Y: val})
		}
		return s
	}
	cost = plotting.Lines(plotting.Config{Title: title + ": cost", XLabel: "epoch", YLabel: "C", Legend: plotting.TopRight}, series(tc, vc)...)
	accuracy = plotting.Lines(plotting.Config{Title: title + ": accuracy", XLabel: "epoch", YLabel: "accuracy (%)", Legend: plotting.BottomRight}, series(ta, va)...)
	return cost, accuracy
}
