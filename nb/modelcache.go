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
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// SharedCacheDirEnv names the environment variable that sets a read-only
// directory of trained models shared by a class (see the README's
// "Teaching a class"). TrainRuns looks there before the user's own cache
// (CacheDir) and never writes there.
const SharedCacheDirEnv = "NB_SHARED_CACHE_DIR"

// FillSharedCacheDirEnv names the environment variable that, when set,
// makes TrainRuns also copy every model it trains into that directory.
// The teacher sets it for one full-mode `make export` (make hub-models) to
// fill the shared cache; students never have it.
const FillSharedCacheDirEnv = "NB_FILL_SHARED_CACHE_DIR"

// modelKey returns the file name (without extension) under which a run
// trained by TrainRuns is cached: the run's label, made safe for a file
// name, then a SHA-256 digest (hex) of everything that decides the trained
// weights:
//
//   - the network before training: its layers (net.String), and the
//     values and state of every parameter (nn.Network.Save), so the
//     architecture and the initialization seed are covered;
//   - the training set and the validation set: every element of X and Y,
//     and the labels;
//   - every field of cfg, read by reflection so that a field added to
//     nn.TrainConfig is covered without a change here: epochs, minibatch
//     size, and the optimizer, regularizer, schedule and early stopping
//     with all their fields, followed through pointers and interfaces
//     (writeValue); the callbacks OnBatch and OnEpoch only watch and
//     are left out, and cfg.Rand is left out for the seed that made it;
//   - seed (of the shuffling, see Run), whether the run measures its start
//     (Run.Start), and quick mode;
//   - code, a fingerprint of the code that trains (codeFingerprint).
//
// The label is not part of the digest, and a model is looked up by its
// digest alone (cachedBase): a run whose label is drawn in another
// language (see T) loads the model trained under its English label. A
// model is served only under the same digest, so a different or stale
// model (other settings, other data, edited library code, another Go or
// gonum version) is never loaded: it is trained again.
func modelKey(label string, quick bool, seed uint64, start bool, net *nn.Network, train *nn.Dataset, cfg nn.TrainConfig, code string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "quick %t\nseed %d\nstart %t\ncode %s\n", quick, seed, start, code)
	fmt.Fprintf(h, "net %s\n", net.String())
	if err := net.Save(h); err != nil {
		return "", err
	}
	hashDataset(h, "train", train)
	hashDataset(h, "validation", cfg.Validation)
	v := reflect.ValueOf(cfg)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Name == "Validation" || f.Name == "Rand" || f.Type.Kind() == reflect.Func {
			continue
		}
		fmt.Fprintf(h, "config %s ", f.Name)
		writeValue(h, v.Field(i), 0)
		fmt.Fprintln(h)
	}
	name := unsafeKey.ReplaceAllString(label, "_")
	if name == "" {
		name = "run"
	}
	if quick {
		name = "quick-" + name
	}
	return name + "." + hex.EncodeToString(h.Sum(nil)), nil
}

// writeValue writes v to w in a form that depends only on its type and
// contents: numbers bit for bit, pointers and interfaces by what they hold
// (never by address), structs field by field (unexported fields too), map
// entries in sorted order. A function is written as set or nil. Values
// nested deeper than 32 levels are cut off, which ends reference cycles.
func writeValue(w io.Writer, v reflect.Value, depth int) {
	if depth > 32 {
		fmt.Fprint(w, "…")
		return
	}
	switch v.Kind() {
	case reflect.Invalid:
		fmt.Fprint(w, "nil")
	case reflect.Bool:
		fmt.Fprint(w, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprint(w, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprint(w, v.Uint())
	case reflect.Float32, reflect.Float64:
		fmt.Fprintf(w, "%#x", math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		fmt.Fprintf(w, "%#x,%#x", math.Float64bits(real(c)), math.Float64bits(imag(c)))
	case reflect.String:
		fmt.Fprintf(w, "%q", v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			fmt.Fprintf(w, "%s(nil)", v.Type())
			return
		}
		if v.Kind() == reflect.Interface {
			fmt.Fprintf(w, "%s:", v.Elem().Type())
		} else {
			fmt.Fprint(w, "&")
		}
		writeValue(w, v.Elem(), depth+1)
	case reflect.Struct:
		fmt.Fprintf(w, "%s{", v.Type())
		for i := range v.NumField() {
			fmt.Fprintf(w, "%s:", v.Type().Field(i).Name)
			writeValue(w, v.Field(i), depth+1)
			fmt.Fprint(w, ",")
		}
		fmt.Fprint(w, "}")
	case reflect.Array, reflect.Slice:
		if v.Kind() == reflect.Slice && v.IsNil() {
			fmt.Fprint(w, "[]nil")
			return
		}
		fmt.Fprintf(w, "[%d]{", v.Len())
		for i := range v.Len() {
			writeValue(w, v.Index(i), depth+1)
			fmt.Fprint(w, ",")
		}
		fmt.Fprint(w, "}")
	case reflect.Map:
		entries := make([]string, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			var b strings.Builder
			writeValue(&b, it.Key(), depth+1)
			b.WriteString(":")
			writeValue(&b, it.Value(), depth+1)
			entries = append(entries, b.String())
		}
		slices.Sort(entries)
		fmt.Fprintf(w, "map[%d]{%s}", len(entries), strings.Join(entries, ","))
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		fmt.Fprintf(w, "%s(set=%t)", v.Kind(), !v.IsNil())
	}
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
// and nb/ folders, found next to this file, but for nb's catalogs of
// translations (i18n*.go), which train nothing: a new translation keeps
// the models a class has cached. Two copies of the same course
// in different folders, for example each student's, give the same
// fingerprint; any edit to the library gives another.
//
// When the sources cannot be read (a binary built with -trimpath, or moved
// away from its sources), the fingerprint starts with "unknown-" and names
// the failure; TrainRuns then neither reads nor fills a shared cache.
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
			if e.IsDir() || !(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".s")) || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			if dir == "nb" && filepath.Dir(path) == filepath.Join(root, "nb") && strings.HasPrefix(name, "i18n") {
				return nil // translations (i18n.go, i18n_es.go, ...)
			}
			files = append(files, path)
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

// cachedBase returns the path, without extension, under which dir holds
// the model cached as name (a label and a digest, see modelKey): dir/name
// itself if it is there, otherwise a model of dir with the same digest
// under another label, such as the same run labelled in another language;
// dir/name when there is neither.
func cachedBase(dir, name string) string {
	base := filepath.Join(dir, name)
	if _, err := os.Stat(base + ".history"); err == nil {
		return base
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return base
	}
	suffix := name[i:] + ".history" // ".<digest>.history"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return base
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, suffix) && !e.IsDir() {
			return filepath.Join(dir, strings.TrimSuffix(n, ".history"))
		}
	}
	return base
}
