package nb

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"

	"encoding/gob"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

// Train trains net with nn.Train and shows a live progress line (minibatch,
// running cost and accuracy, elapsed time, time left). Interrupting the
// kernel (the ■ button, or I I) stops training cleanly after the current
// minibatch: the epochs done so far are returned with an *Interrupted
// error. It neither seeds nor caches: for that, describe the run as a Run
// and use TrainRuns.
func (d *Display) Train(net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) (nn.History, error) {
	ctx, stop := interruptContext()
	defer stop()
	return d.trainInterruptible(ctx, net, train, cfg)
}

// trainInterruptible is Train with the context that the interrupt cancels.
func (d *Display) trainInterruptible(ctx context.Context, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) (nn.History, error) {
	hist, _, err := d.train(ctx, T("minibatch"), net, train, cfg)
	if err != nil && ctx.Err() != nil {
		return hist, &Interrupted{Epochs: len(hist), Total: max(cfg.Epochs, 1)}
	}
	return hist, err
}

// Train trains on the Default display; an error (a NaN cost) ends the cell
// with its message, an interrupt with one line saying how far it got.
func Train(net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig) nn.History {
	h, err := Default().Train(net, train, cfg)
	exitOn(err)
	return h
}

// CacheDirEnv names the environment variable that sets the directory of
// trained models; by default it is "redes-neuronales-course" in the
// user's cache directory.
const CacheDirEnv = "NB_CACHE_DIR"

// CacheDir returns the directory where TrainRuns keeps trained models.
// A class can share a read-only directory of models trained by the teacher
// (SharedCacheDir), which TrainRuns looks up first; a newly trained model
// is written to CacheDir only (and also to NB_FILL_SHARED_CACHE_DIR when
// that is set, which is how the teacher fills the shared one).
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

// cachedRun is what TrainRuns stores next to the weights.
type cachedRun struct {
	History   nn.History
	Start     *nn.EpochStats
	Gradients int
}

// result returns res with the cached figures filled in.
func (c cachedRun) result(res Result) Result {
	res.History, res.Start, res.Gradients = c.History, c.Start, c.Gradients
	return res
}

var unsafeKey = regexp.MustCompile(`[^A-Za-z0-9._=-]+`)

// SharedCacheDir returns the read-only directory of models shared by a
// class (NB_SHARED_CACHE_DIR), or "" when there is none.
func SharedCacheDir() string { return os.Getenv(SharedCacheDirEnv) }

// loadCached reads the weights at base+".params" into net and returns the
// run recorded at base+".history"; ok is false (and net unchanged) when
// either is missing or unreadable.
func loadCached(base string, net *nn.Network) (cachedRun, bool) {
	f, err := os.Open(base + ".history")
	if err != nil {
		return cachedRun{}, false
	}
	defer f.Close()
	var run cachedRun
	if err := gob.NewDecoder(f).Decode(&run); err != nil {
		return cachedRun{}, false
	}
	if err := net.LoadFile(base + ".params"); err != nil {
		return cachedRun{}, false
	}
	return run, true
}

// saveCached writes net's weights and run under base (see loadCached),
// creating the directory. The history is written last, through a temporary
// file renamed into place, so a reader never sees half a model.
func saveCached(base string, net *nn.Network, run cachedRun) error {
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
	if err := gob.NewEncoder(f).Encode(run); err != nil {
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

// LearningCurves returns two panels for a training history: cost and
// accuracy (in %) against epoch, for the training set (running means over
// each epoch's minibatches) and, when measured, the validation set. Their
// titles start with title; their words are in the current language (T).
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
		s := []plotting.Series{{Name: T("training"), X: ep, Y: train}}
		if len(h) > 0 && !math.IsNaN(h[0].ValidationCost) {
			s = append(s, plotting.Series{Name: T("validation"), X: ep, Y: val})
		}
		return s
	}
	cost = plotting.Lines(plotting.Config{Title: Tf("%s: cost", title), XLabel: T("epoch"), YLabel: "C", Legend: plotting.TopRight}, series(tc, vc)...)
	accuracy = plotting.Lines(plotting.Config{Title: Tf("%s: accuracy", title), XLabel: T("epoch"), YLabel: T("accuracy (%)"), Legend: plotting.BottomRight}, series(ta, va)...)
	return cost, accuracy
}
