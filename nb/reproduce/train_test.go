package main

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/nb"
)

// tinyStep is a protocol that trains in milliseconds: a 2-16-16-3 network
// with dropout and L2 on 120 points, so the resume test covers the
// shuffle, the dropout masks and the regularizer.
func tinyStep() (Step, Data) {
	data := nn.Blobs(nn.BlobsConfig{N: 120, Std: 0.8}, nb.Rand(7, 0))
	val := nn.Blobs(nn.BlobsConfig{N: 60, Std: 0.8}, nb.Rand(8, 0))
	test := nn.Blobs(nn.BlobsConfig{N: 60, Std: 0.8}, nb.Rand(9, 0))
	s := Step{Name: "tiny", Nielsen: []float64{90}, Statistic: TestAtBestValidation,
		Protocol: Protocol{Program: "test", Network: "2-16-16-3", Cost: "log-likelihood", Eta: 0.2, BatchSize: 8, L2: 0.5, Epochs: 6, TrainImages: 120, Seed: 3},
		NewNet: func(rng *rand.Rand) *nn.Network {
			return nn.NewNetwork(nn.CrossEntropy{},
				nn.NewDense(2, 16, nn.ReLU{}, nn.InitHe, rng),
				nn.NewDropout(0.7, nn.ScaleAtInference, nil),
				nn.NewDense(16, 16, nn.ReLU{}, nn.InitHe, rng),
				nn.NewDropout(0.7, nn.ScaleAtInference, nil),
				nn.NewDense(16, 3, nn.Softmax{}, nn.InitScaled, rng))
		}}
	return s, Data{Train: data, Validation: val, Test: test}
}

// sameRun fails unless two runs have the same history (wall times aside)
// and the same parameters, to the bit.
func sameRun(t *testing.T, h1, h2 []Epoch, n1, n2 *nn.Network) {
	t.Helper()
	if len(h1) != len(h2) {
		t.Fatalf("%d epochs against %d", len(h1), len(h2))
	}
	for i := range h1 {
		a, b := h1[i], h2[i]
		a.Seconds, b.Seconds = 0, 0
		if a != b {
			t.Errorf("epoch %d: %+v, resumed %+v", i+1, a, b)
		}
	}
	p1, p2 := n1.Params(), n2.Params()
	for i := range p1 {
		if !mat.Equal(p1[i].Value, p2[i].Value) {
			t.Errorf("parameter %s differs after resuming", p1[i].Name)
		}
	}
}

func TestResumeGivesTheUninterruptedRun(t *testing.T) {
	s, d := tinyStep()
	whole, wholeNet, err := Train(context.Background(), s, d, Options{Dir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != s.Protocol.Epochs {
		t.Fatalf("trained %d epochs, want %d", len(whole), s.Protocol.Epochs)
	}

	dir := t.TempDir()
	// Session 1: two epochs, then stop between epochs.
	h, _, err := Train(context.Background(), s, d, Options{Dir: dir, MaxEpochs: 2}, nil)
	if err != nil || len(h) != 2 {
		t.Fatalf("session 1: %d epochs, error %v; want 2 epochs", len(h), err)
	}
	// Session 2: killed in the middle of epoch 4 (a cancelled context);
	// epoch 3 is kept, the half of epoch 4 is not.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := Options{Dir: dir, onBatch: func(epoch int, b nn.BatchInfo) {
		if epoch == 4 && b.Batch == 5 {
			cancel()
		}
	}}
	h, _, err = Train(ctx, s, d, opt, nil)
	if !errors.Is(err, context.Canceled) || len(h) != 3 {
		t.Fatalf("session 2: %d epochs, error %v; want 3 epochs and context.Canceled", len(h), err)
	}
	// Session 3: the rest.
	var reported int
	h, net, err := Train(context.Background(), s, d, Options{Dir: dir}, func(h []Epoch) error { reported = len(h); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if reported != s.Protocol.Epochs {
		t.Errorf("progress last saw %d epochs, want %d", reported, s.Protocol.Epochs)
	}
	sameRun(t, whole, h, wholeNet, net)
	// Only the last epoch's network is kept.
	files, _ := filepath.Glob(filepath.Join(dir, "net-epoch-*.gob"))
	if len(files) != 1 || filepath.Base(files[0]) != "net-epoch-006.gob" {
		t.Errorf("checkpoint files %v, want only net-epoch-006.gob", files)
	}
	// A complete run trains nothing more.
	again, _, err := Train(context.Background(), s, d, Options{Dir: dir}, func(h []Epoch) error {
		if len(h) != s.Protocol.Epochs {
			t.Errorf("progress with %d epochs, want only the checkpoint's %d", len(h), s.Protocol.Epochs)
		}
		return nil
	})
	if err != nil || len(again) != s.Protocol.Epochs {
		t.Errorf("complete run: %d epochs, error %v", len(again), err)
	}
}

func TestBadCheckpoint(t *testing.T) {
	s, d := tinyStep()
	tests := []struct {
		name    string
		corrupt func(dir string) error
		want    []string // in the error
	}{
		{"state.json not JSON", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, stateFile), []byte("{half"), 0o644)
		}, []string{filepath.Join("DIR", stateFile), "corrupt", "delete"}},
		{"network file truncated", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "net-epoch-002.gob"), []byte("\x00\x01garbage"), 0o644)
		}, []string{filepath.Join("DIR", "net-epoch-002.gob"), "cannot be read"}},
		{"network file missing", func(dir string) error {
			return os.Remove(filepath.Join(dir, "net-epoch-002.gob"))
		}, []string{filepath.Join("DIR", "net-epoch-002.gob")}},
		{"another protocol", func(dir string) error {
			b, err := os.ReadFile(filepath.Join(dir, stateFile))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, stateFile), []byte(strings.Replace(string(b), s.Protocol.Fingerprint(), "0123456789abcdef", 1)), 0o644)
		}, []string{filepath.Join("DIR", stateFile), "another protocol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, _, err := Train(context.Background(), s, d, Options{Dir: dir, MaxEpochs: 2}, nil); err != nil {
				t.Fatal(err)
			}
			if err := tt.corrupt(dir); err != nil {
				t.Fatal(err)
			}
			_, _, err := Train(context.Background(), s, d, Options{Dir: dir}, nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "DIR", dir); !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestUnknownStep(t *testing.T) {
	err := run([]string{"-root", "../..", "-step", "ch9-nothing"})
	if err == nil {
		t.Fatal("no error for an unknown step")
	}
	for _, w := range []string{`"ch9-nothing"`, "ch1-30", "ch6-5-dropout"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %s", err, w)
		}
	}
}

// TestLadderNetworks checks the chapter-6 networks against network3.py:
// layer sizes, dropout before every fully connected layer of step 5, and
// the initial values (softmax layer zero, biases N(0, 1)).
func TestLadderNetworks(t *testing.T) {
	tests := []struct {
		step   string
		params int
		drops  int
	}{
		{"ch6-1-conv", 20*26 + 2880*100 + 100 + 100*10 + 10, 0},
		{"ch6-2-conv2", 20*26 + 40*(20*25+1) + 640*100 + 100 + 100*10 + 10, 0},
		{"ch6-5-dropout", 20*26 + 40*(20*25+1) + 640*1000 + 1000 + 1000*1000 + 1000 + 1000*10 + 10, 3},
	}
	for _, tt := range tests {
		s, err := findStep(tt.step)
		if err != nil {
			t.Fatal(err)
		}
		net := s.NewNet(nb.Rand(1, 0))
		if got := net.NumParams(); got != tt.params {
			t.Errorf("%s: %d parameters, want %d", tt.step, got, tt.params)
		}
		drops := 0
		for _, l := range net.Layers {
			if d, ok := l.(*nn.Dropout); ok {
				drops++
				if d.Keep != 0.5 || d.Scaling != nn.ScaleAtInference {
					t.Errorf("%s: dropout %v, want keep 0.5 scaled at inference", tt.step, d)
				}
			}
		}
		if drops != tt.drops {
			t.Errorf("%s: %d dropout layers, want %d", tt.step, drops, tt.drops)
		}
		out := net.Layers[len(net.Layers)-1].(*nn.Dense)
		if mat.Norm(out.W.Value, 1) != 0 || mat.Norm(out.B.Value, 1) != 0 {
			t.Errorf("%s: softmax layer not zero", tt.step)
		}
		conv := nb.FirstConv(net)
		if std := rms(conv.W.Value); std < 0.06 || std > 0.12 { // N(0, 1/125): 0.089
			t.Errorf("%s: first filters' rms %.3f, want about 1/√125 = 0.089", tt.step, std)
		}
	}
}

func rms(m *mat.Dense) float64 {
	r, c := m.Dims()
	return mat.Norm(m, 2) / math.Sqrt(float64(r*c))
}
