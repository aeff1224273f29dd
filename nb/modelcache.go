package nb

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// SharedCacheDirEnv names the environment variable that sets a read-only
// directory of trained models shared by a class (see the README's
// "Teaching a class"). TrainCached looks there before the user's own cache
// (CacheDir) and never writes there.
const SharedCacheDirEnv = "NB_SHARED_CACHE_DIR"

// FillSharedCacheDirEnv names the environment variable that, when set,
// makes TrainCached also copy every model it trains into that directory.
// The teacher sets it for one full-mode `make export` (make hub-models) to
// fill the shared cache; students never have it.
const FillSharedCacheDirEnv = "NB_FILL_SHARED_CACHE_DIR"

// modelKey returns the file name (without extension) under which a model
// trained by TrainCached is cached: the caller's key, made safe for a file
// name, then a SHA-256 digest (hex) of everything that determines the
// trained weights:
//
//   - the caller's key and quick mode (which name the seeds of cfg.Rand,
//     which cannot be read back from a *rand.Rand);
//   - the network before training: its layers (net.String), and the
//     values and state of every parameter (nn.Network.Save), so the
//     architecture and the initialization seed are covered;
//   - the training set and the validation set: every element of X and Y,
//     and the labels;
//   - every setting of cfg (epochs, minibatch size, η, and the optimizer,
//     regularizer, schedule and early stopping with their fields and
//     types); the callbacks OnBatch and OnEpoch only watch and are left out;
//   - code, a fingerprint of the code that trains (codeFingerprint).
//
// A model is served only under the same name, so a different or stale
// model (other settings, other data, edited library code, another Go or
// gonum version) is never loaded: it is trained again.
func modelKey(key string, quick bool, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig, code string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "key %q\nquick %t\ncode %s\n", key, quick, code)
	fmt.Fprintf(h, "net %s\n", net.String())
	if err := net.Save(h); err != nil {
		return "", err
	}
	hashDataset(h, "train", train)
	hashDataset(h, "validation", cfg.Validation)
	fmt.Fprintf(h, "epochs %d\nbatch %d\n", cfg.Epochs, cfg.BatchSize) // η is the optimizer's
	for _, s := range []struct {
		name string
		v    any
	}{{"optimizer", cfg.Optimizer}, {"regularizer", cfg.Regularizer}, {"schedule", cfg.Schedule}, {"early", cfg.EarlyStopping}} {
		fmt.Fprintf(h, "%s %#v\n", s.name, s.v)
	}
	fmt.Fprintf(h, "rand-set %t\n", cfg.Rand != nil)
	name := unsafeKey.ReplaceAllString(key, "_")
	if quick {
		name = "quick-" + name
	}
	return name + "." + hex.EncodeToString(h.Sum(nil)), nil
}

// hashDataset writes the shape and every value of d (nil allowed) to h.
func hashDataset(h hash.Hash, name string, d *nn.Dataset) {
	if d == nil {
		fmt.Fprintf(h, "%s none\n", name)
		return
	}
	fmt.Fprintf(h, "%s labels %d\n", name, len(d.Labels))
	buf := make([]byte, 0, 1<<16)
	for _, l := range d.Labels {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(l))
		if len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	for _, m := range []*mat.Dense{d.X, d.Y} {
		if m == nil {
			fmt.Fprintf(h, "%s matrix none\n", name)
			continue
		}
		r, c := m.Dims()
		fmt.Fprintf(h, "%s matrix %d×%d\n", name, r, c)
		buf = buf[:0]
		for i := range r {
			for _, v := range m.RawRowView(i) {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
				if len(buf) == cap(buf) {
					h.Write(buf)
					buf = buf[:0]
				}
			}
		}
		h.Write(buf)
	}
}

// codeFingerprint returns a SHA-256 digest (hex) of the code that trains a
// network: the Go release and architecture, the course module's go.mod and
// go.sum (the versions of gonum and every other dependency), and the
// contents (not the paths) of every Go source file of the course's lib/
// and nb/ folders, found next to this file. Two copies of the same course
// in different folders, for example each student's, give the same
// fingerprint; any edit to the library gives another.
//
// When the sources cannot be read (a binary built with -trimpath, or moved
// away from its sources), the fingerprint starts with "unknown-" and names
// the failure; TrainCached then neither reads nor fills a shared cache.
var codeFingerprint = sync.OnceValue(func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "unknown-no-source-path"
	}
	root := filepath.Dir(filepath.Dir(file))
	fp, err := fingerprintTree(root)
	if err != nil {
		return "unknown-" + unsafeKey.ReplaceAllString(err.Error(), "_")
	}
	return fp
})

// fingerprintTree is codeFingerprint for the course module rooted at root.
func fingerprintTree(root string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "go %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	var files []string
	for _, dir := range []string{"lib", "nb"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := e.Name()
			if e.IsDir() && (name == "harness" || name == "testdata") {
				return filepath.SkipDir
			}
			if !e.IsDir() && (strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".s")) && !strings.HasSuffix(name, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	files = append(files, filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
	slices.Sort(files)
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s\n", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
