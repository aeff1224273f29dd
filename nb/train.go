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
		m = 10
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

// TrainCached trains net like Train, unless a model was already trained
// under the same key, in which case it loads its weights and history
// instead. Every GoNB cell runs a new program, so this is how later cells
// reuse a network trained in an earlier one.
//
// The key must describe everything that determines the result (sizes,
// activations, cost, η, epochs, minibatch size, seeds, data size); quick
// mode is added to it. Rerunning the training cell with other
// hyperparameters gives another key and trains again.
func (d *Display) TrainCached(key string, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) (nn.History, error) {
	if Quick() {
		key = "quick-" + key
	}
	base := filepath.Join(CacheDir(), unsafeKey.ReplaceAllString(key, "_"))
	// The history is read first: Load changes the network only when it
	// succeeds, so a missing or broken cache entry always trains from the
	// network's initial weights, never from half a cache.
	if run, ok := readCachedRun(base + ".history"); ok {
		if err := net.LoadFile(base + ".params"); err == nil {
			d.Markdown(fmt.Sprintf("Loaded the network trained earlier (`%s`) from the cache.", key))
			return run.History, nil
		}
	}
	hist, err := d.Train(net, train, cfg)
	if err != nil {
		return hist, err
	}
	if err := net.SaveFile(base + ".params"); err != nil {
		return hist, err
	}
	f, err := os.Create(base + ".history")
	if err != nil {
		return hist, fmt.Errorf("nb: caching the training history: %w", err)
	}
	defer f.Close()
	if err := gob.NewEncoder(f).Encode(cachedRun{History: hist}); err != nil {
		return hist, fmt.Errorf("nb: caching the training history in %s: %w", f.Name(), err)
	}
	return hist, nil
}

// readCachedRun reads a cached training history; ok is false when there is
// none or it cannot be decoded.
func readCachedRun(path string) (run cachedRun, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return run, false
	}
	defer f.Close()
	return run, gob.NewDecoder(f).Decode(&run) == nil
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
