package nn

import (
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
)

// savedParam is the on-disk form of one parameter.
type savedParam struct {
	Name       string
	Rows, Cols int
	Data       []float64
}

// savedNetwork is the on-disk form of a network's parameters. State was
// added after the first version: files without it decode with State nil,
// which is what a network without stateful layers has.
type savedNetwork struct {
	Format string
	Params []savedParam
	State  []savedParam
}

// Stateful is implemented by layers that keep state besides their trainable
// parameters which inference needs, such as the running statistics of
// BatchNorm. Save writes that state and Load restores it.
type Stateful interface {
	// State returns the state as matrices that Load overwrites in place.
	State() []*mat.Dense
}

// state returns the state matrices of every Stateful layer with names
// such as "state3.1" (layer 3, first matrix).
func (n *Network) state() (names []string, ms []*mat.Dense) {
	for l, layer := range n.Layers {
		if s, ok := layer.(Stateful); ok {
			for k, m := range s.State() {
				names = append(names, fmt.Sprintf("state%d.%d", l+1, k+1))
				ms = append(ms, m)
			}
		}
	}
	return names, ms
}

const saveFormat = "redesneuronales/nn params v1"

// Save writes the values of every parameter, and the state of Stateful
// layers, to w (encoding/gob). The architecture itself is not saved: Load
// reads the values into a network built the same way.
func (n *Network) Save(w io.Writer) error {
	s := savedNetwork{Format: saveFormat}
	for _, p := range n.Params() {
		r, c := p.Value.Dims()
		s.Params = append(s.Params, savedParam{Name: p.Name, Rows: r, Cols: c, Data: mat.DenseCopyOf(p.Value).RawMatrix().Data})
	}
	names, state := n.state()
	for i, m := range state {
		r, c := m.Dims()
		s.State = append(s.State, savedParam{Name: names[i], Rows: r, Cols: c, Data: mat.DenseCopyOf(m).RawMatrix().Data})
	}
	if err := gob.NewEncoder(w).Encode(s); err != nil {
		return fmt.Errorf("nn: saving parameters: %w", err)
	}
	return nil
}

// Load reads parameter values (and the state of Stateful layers) written by
// Save into n. It checks names, shapes and values first (every value must
// be finite) and changes nothing unless everything matches. Files written
// before state was saved load into networks without Stateful layers.
func (n *Network) Load(r io.Reader) error {
	var s savedNetwork
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return fmt.Errorf("nn: reading parameters: %w", err)
	}
	if s.Format != saveFormat {
		return fmt.Errorf("nn: reading parameters: unknown format %q", s.Format)
	}
	params := n.Params()
	if len(s.Params) != len(params) {
		return fmt.Errorf("nn: saved network has %d parameters, this one has %d", len(s.Params), len(params))
	}
	for i, p := range params {
		r, c := p.Value.Dims()
		if err := s.Params[i].check("parameter", i, p.Name, r, c); err != nil {
			return err
		}
	}
	names, state := n.state()
	if len(s.State) != len(state) {
		return fmt.Errorf("nn: saved network has %d state matrices (such as batch-normalization statistics), this one has %d", len(s.State), len(state))
	}
	for i, m := range state {
		r, c := m.Dims()
		if err := s.State[i].check("state", i, names[i], r, c); err != nil {
			return err
		}
	}
	for i, p := range params {
		p.Value.Copy(mat.NewDense(s.Params[i].Rows, s.Params[i].Cols, s.Params[i].Data))
	}
	for i, m := range state {
		m.Copy(mat.NewDense(s.State[i].Rows, s.State[i].Cols, s.State[i].Data))
	}
	return nil
}

// check returns an error unless sp, the saved matrix number i (counted
// from 0) of the given kind, has the name and the r × c shape of the
// network's matrix, holds r·c values, and every one is finite. The error
// tells what the file says apart from what it holds.
func (sp savedParam) check(kind string, i int, name string, r, c int) error {
	if sp.Name != name || sp.Rows != r || sp.Cols != c {
		return fmt.Errorf("nn: saved %s %d is %s (%d×%d), this network has %s (%d×%d)", kind, i+1, sp.Name, sp.Rows, sp.Cols, name, r, c)
	}
	if len(sp.Data) != r*c {
		return fmt.Errorf("nn: saved %s %d (%s, %d×%d) holds %d values instead of %d: the file is corrupt", kind, i+1, name, r, c, len(sp.Data), r*c)
	}
	for k, v := range sp.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("nn: value %d of saved %s %d (%s) is %v", k, kind, i+1, name, v)
		}
	}
	return nil
}

// SaveFile saves the parameters to path, creating its directory. It writes
// to a temporary file first, so an interrupted save never leaves a broken
// file behind.
func (n *Network) SaveFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("nn: saving parameters: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("nn: saving parameters: %w", err)
	}
	defer os.Remove(f.Name())
	if err := n.Save(f); err != nil {
		f.Close()
		return fmt.Errorf("%w (file %s)", err, path)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("nn: saving parameters to %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("nn: saving parameters to %s: %w", path, err)
	}
	return nil
}

// LoadFile loads parameters saved by SaveFile from path.
func (n *Network) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("nn: loading parameters: %w", err)
	}
	defer f.Close()
	if err := n.Load(f); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return nil
}
