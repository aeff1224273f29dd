package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/nb"
)

// Data holds the three sets of a run.
type Data struct {
	Train, Validation, Test *nn.Dataset
}

// Options control one session of a step.
type Options struct {
	// Dir holds the step's checkpoint: state.json and the network after
	// the last finished epoch.
	Dir string
	// MaxEpochs, when positive, stops the session after that many epochs
	// (the step stays resumable).
	MaxEpochs int
	// Log receives a line per epoch; nil means none.
	Log io.Writer
	// onBatch, when set, is called after every minibatch (tests use it to
	// cancel in the middle of an epoch).
	onBatch func(epoch int, b nn.BatchInfo)
}

// checkpoint is the on-disk state of a step between epochs.
type checkpoint struct {
	Fingerprint string  `json:"fingerprint"`
	Net         string  `json:"net"` // file name, in the same directory, of the network after the last epoch
	History     []Epoch `json:"history"`
}

const stateFile = "state.json"

// checkpointEpochs is the number of epochs the checkpoint in dir holds:
// 0 when there is none. A checkpoint that cannot be read is an error.
func checkpointEpochs(dir string) (int, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the checkpoint: %w", err)
	}
	var c checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return 0, fmt.Errorf("checkpoint %s is corrupt (%v); delete %s to start the step again", path, err, dir)
	}
	return len(c.History), nil
}

// Train trains step s for the epochs its checkpoint in opt.Dir does not
// hold yet and returns the whole history. After every epoch it saves the
// network and the history to opt.Dir and calls progress with the history,
// so a session killed at any moment loses at most the epoch it was in.
//
// Everything random is seeded per epoch (the shuffle of epoch e from
// nb.Rand(seed, 100+e), the dropout masks from nb.Rand(seed, 10000·i+e))
// and SGD keeps no state, so a resumed run gives exactly the numbers of an
// uninterrupted one.
//
// The error is ctx's when it is cancelled (the epoch in progress is not
// kept), or names the checkpoint file that cannot be read or belongs to
// another protocol.
func Train(ctx context.Context, s Step, d Data, opt Options, progress func([]Epoch) error) ([]Epoch, *nn.Network, error) {
	p := s.Protocol
	net := s.NewNet(nb.Rand(p.Seed, 0))
	hist, err := resume(opt.Dir, p.Fingerprint(), net)
	if err != nil {
		return nil, nil, err
	}
	if len(hist) > 0 && progress != nil {
		// Report the checkpoint's epochs first: a session stopped before
		// its first epoch still leaves a current result.
		if err := progress(hist); err != nil {
			return hist, net, err
		}
	}
	var reg nn.Regularizer
	if p.L2 > 0 {
		reg = nn.L2{Lambda: p.L2}
	}
	for e, session := len(hist)+1, 0; e <= p.Epochs; e, session = e+1, session+1 {
		if opt.MaxEpochs > 0 && session >= opt.MaxEpochs {
			break
		}
		seedDropout(net, p.Seed, e)
		cfg := nn.TrainConfig{Epochs: 1, BatchSize: p.BatchSize, Optimizer: &nn.SGD{Eta: p.Eta}, Regularizer: reg, Rand: nb.Rand(p.Seed, 100+uint64(e))}
		if opt.onBatch != nil {
			cfg.OnBatch = func(b nn.BatchInfo) { opt.onBatch(e, b) }
		}
		start := time.Now()
		st, err := nn.Train(ctx, net, d.Train, cfg)
		if err != nil {
			return hist, net, fmt.Errorf("%s, epoch %d: %w", s.Name, e, err)
		}
		_, va := net.Evaluate(d.Validation)
		_, ta := net.Evaluate(d.Test)
		hist = append(hist, Epoch{Epoch: e, TrainCost: st[0].TrainCost, TrainAccuracy: 100 * st[0].TrainAccuracy,
			ValidationAccuracy: 100 * va, TestAccuracy: 100 * ta, Seconds: time.Since(start).Seconds()})
		if err := save(opt.Dir, p.Fingerprint(), net, hist); err != nil {
			return hist, net, err
		}
		if opt.Log != nil {
			h := hist[len(hist)-1]
			fmt.Fprintf(opt.Log, "%s, seed %d: epoch %d/%d: validation %.2f%%, test %.2f%%, %.1f s\n", s.Name, p.Seed, e, p.Epochs, h.ValidationAccuracy, h.TestAccuracy, h.Seconds)
		}
		if progress != nil {
			if err := progress(hist); err != nil {
				return hist, net, err
			}
		}
	}
	return hist, net, nil
}

// seedDropout gives dropout layer i (counted from 1) of net the masks of
// epoch e: nb.Rand(seed, 10000·i + e).
func seedDropout(net *nn.Network, seed uint64, e int) {
	i := uint64(0)
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dropout); ok {
			i++
			d.Rand = nb.Rand(seed, 10000*i+uint64(e))
		}
	}
}

// resume reads the checkpoint in dir into net and returns its history; no
// checkpoint means epoch 0 and an empty history.
func resume(dir, fingerprint string, net *nn.Network) ([]Epoch, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the checkpoint: %w", err)
	}
	var c checkpoint
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("checkpoint %s is corrupt (%v); delete %s to start the step again", path, err, dir)
	}
	if c.Fingerprint != fingerprint {
		return nil, fmt.Errorf("checkpoint %s was made with another protocol (fingerprint %s, this one %s); delete %s to start the step again", path, c.Fingerprint, fingerprint, dir)
	}
	for i, h := range c.History {
		if h.Epoch != i+1 {
			return nil, fmt.Errorf("checkpoint %s is corrupt: entry %d of its history is epoch %d; delete %s to start the step again", path, i+1, h.Epoch, dir)
		}
	}
	if len(c.History) == 0 {
		return nil, nil
	}
	netPath := filepath.Join(dir, filepath.Base(c.Net))
	if err := net.LoadFile(netPath); err != nil {
		return nil, fmt.Errorf("checkpoint %s cannot be read (%v); delete %s to start the step again", netPath, err, dir)
	}
	return c.History, nil
}

// save writes the network after the last epoch of hist and then the
// state that names it, each atomically, and removes the network of the
// epoch before: whenever the process dies, state.json names a complete
// network file of the epoch its history ends with.
func save(dir, fingerprint string, net *nn.Network, hist []Epoch) error {
	e := len(hist)
	name := fmt.Sprintf("net-epoch-%03d.gob", e)
	if err := net.SaveFile(filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("saving the checkpoint: %w", err)
	}
	b, err := json.MarshalIndent(checkpoint{Fingerprint: fingerprint, Net: name, History: hist}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, stateFile), b); err != nil {
		return fmt.Errorf("saving the checkpoint: %w", err)
	}
	if e > 1 {
		old := filepath.Join(dir, fmt.Sprintf("net-epoch-%03d.gob", e-1))
		if err := os.Remove(old); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the previous checkpoint: %w", err)
		}
	}
	return nil
}

// writeAtomic writes b to path through a temporary file in the same
// directory and a rename, creating the directory.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
