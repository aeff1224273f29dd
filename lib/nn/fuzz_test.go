package nn

import (
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Native fuzz targets for the two readers of files (IDX and saved
// networks). Plain `go test` runs their seed corpus (f.Add below and
// testdata/fuzz/<name>/); `go test -run '^$' -fuzz FuzzX -fuzztime 30s
// ./lib/nn` explores further (make test-fuzz). A malformed file of any
// shape must give an error, never a panic, and a failed Load must leave
// the network unchanged.

// gz compresses raw for the fuzz targets (no testing.TB: f.Add seeds are
// built before any test runs).
func gz(raw []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	w.Write(raw)
	w.Close()
	return b.Bytes()
}

// FuzzMNIST reads an image file and a label file (gzip-compressed, or
// uncompressed IDX data when raw is true, so that the fuzzer reaches the
// IDX headers without having to forge gzip streams) into a training part of 2 images from image 0 and a
// validation part of 1 image from image 3.
func FuzzMNIST(f *testing.F) {
	images := func(n, rows, cols int) []byte {
		data := make([]byte, n*rows*cols)
		for i := range data {
			data[i] = byte(i * 7)
		}
		return idxBytes(idxImageMagic, []int{n, rows, cols}, data)
	}
	labels := func(n int, last byte) []byte {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i % 10)
		}
		data[n-1] = last
		return idxBytes(idxLabelMagic, []int{n}, data)
	}
	good := images(4, 28, 28)
	f.Add(good, labels(4, 3), true)
	f.Add(gz(good), gz(labels(4, 3)), false)
	f.Add(good[:len(good)-5], labels(4, 3), true)                                   // truncated images
	f.Add(good, labels(4, 11), true)                                                // label out of range
	f.Add(images(3, 28, 28), labels(3, 1), true)                                    // too few images
	f.Add(images(4, 27, 28), labels(4, 1), true)                                    // wrong image size
	f.Add(idxBytes(idxImageMagic, []int{1 << 28, 28, 28}, nil), labels(4, 1), true) // forged count
	f.Add(good, idxBytes(idxLabelMagic, []int{1 << 28}, []byte{1, 2}), true)        // forged label count
	f.Add(append(bytes.Clone(good), 0), labels(4, 3), true)                         // extra data
	f.Add([]byte{}, []byte{}, false)
	f.Fuzz(func(t *testing.T, images, labels []byte, raw bool) {
		open := newIDX
		if raw { // skip the decompressor, so that mutations reach the IDX data
			open = func(r io.Reader, path string, magic uint32, ndims int) (*idxFile, error) {
				return readIDXHeader(r, path, magic, ndims)
			}
		}
		lab, err := open(bytes.NewReader(labels), "labels", idxLabelMagic, 1)
		if err != nil {
			return
		}
		ls, err := lab.readLabels()
		lab.close()
		if err != nil {
			return
		}
		img, err := open(bytes.NewReader(images), "images", idxImageMagic, 3)
		if err != nil {
			return
		}
		defer img.close()
		train := &Dataset{X: mat.NewDense(MNISTPixels, 2, nil)}
		val := &Dataset{X: mat.NewDense(MNISTPixels, 1, nil)}
		err = loadMNISTParts(img, ls, "labels", []mnistPart{{first: 0, ds: train}, {first: 3, ds: val}})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "nn: MNIST") {
				t.Errorf("error %q does not start with nn: MNIST", err)
			}
			return
		}
		for _, d := range []*Dataset{train, val} {
			for _, l := range d.Labels {
				if l < 0 || l >= MNISTClasses {
					t.Fatalf("accepted label %d", l)
				}
			}
			for _, v := range d.X.RawMatrix().Data {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("pixel %v outside [0, 1]", v)
				}
			}
		}
	})
}

// fuzzNet is a small network with a Stateful layer.
func fuzzNet() *Network {
	rng := rand.New(rand.NewPCG(1, 2))
	return NewNetwork(Quadratic{},
		NewDense(2, 3, Linear{}, InitScaled, rng),
		NewBatchNorm(3, nil),
		NewAct(Tanh{}),
		NewDense(3, 2, Sigmoid{}, InitScaled, rng))
}

// FuzzLoad loads arbitrary bytes as a saved network: an error or a
// complete load, never a panic, and nothing changed on error.
func FuzzLoad(f *testing.F) {
	var good bytes.Buffer
	if err := fuzzNet().Save(&good); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:good.Len()/2])
	var other bytes.Buffer
	NewMLP([]int{2, 3, 2}, MLPConfig{}, rand.New(rand.NewPCG(1, 1))).Save(&other)
	f.Add(other.Bytes())
	for _, s := range []savedNetwork{
		{Format: saveFormat},
		{Format: "something else"},
		{Format: saveFormat, Params: []savedParam{{Name: "W1", Rows: 3, Cols: 2, Data: []float64{1}}}},
		{Format: saveFormat, Params: []savedParam{{Name: "W1", Rows: -3, Cols: -2}}},
		{Format: saveFormat, Params: []savedParam{{Name: "W1", Rows: 1 << 40, Cols: 1 << 40}}},
	} {
		var b bytes.Buffer
		gob.NewEncoder(&b).Encode(s)
		f.Add(b.Bytes())
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		net := fuzzNet()
		before := snapshotValues(net)
		if err := net.Load(bytes.NewReader(data)); err != nil {
			if !strings.HasPrefix(err.Error(), "nn: ") {
				t.Errorf("error %q does not start with nn:", err)
			}
			if !equalSnapshots(before, snapshotValues(net)) {
				t.Fatal("a failed Load changed the network")
			}
			return
		}
		for _, m := range snapshotValues(net) {
			for _, v := range m.RawMatrix().Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("loaded a non-finite value %v", v)
				}
			}
		}
	})
}

// TestLoadNamesWhatTheFileHolds checks that Load's errors state what the
// file holds: a wrong number of values is not reported as a wrong shape,
// and a non-finite value is named.
func TestLoadNamesWhatTheFileHolds(t *testing.T) {
	net := fuzzNet()
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	var s savedNetwork
	if err := gob.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(&s); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(s *savedNetwork)
		want string
	}{
		{"short data", func(s *savedNetwork) { s.Params[0].Data = s.Params[0].Data[:5] }, "saved parameter 1 (W1, 3×2) holds 5 values instead of 6"},
		{"NaN", func(s *savedNetwork) { s.Params[1].Data[2] = math.NaN() }, "value 2 of saved parameter 2 (b1) is NaN"},
		{"Inf state", func(s *savedNetwork) { s.State[1].Data[0] = math.Inf(-1) }, "value 0 of saved state 2 (state2.2) is -Inf"},
	} {
		var c savedNetwork
		if err := gob.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(&c); err != nil {
			t.Fatal(err)
		}
		tc.edit(&c)
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(c); err != nil {
			t.Fatal(err)
		}
		other := fuzzNet()
		before := snapshotValues(other)
		err := other.Load(&b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if !equalSnapshots(before, snapshotValues(other)) {
			t.Errorf("%s: a failed Load changed the network", tc.name)
		}
	}
}
