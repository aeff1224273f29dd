package nn

import (
	"encoding/gob"
	"fmt"
	"io"
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

// savedNetwork is the on-disk form of a network's parameters.
type savedNetwork struct {
	Format string
	Params []savedParam
}

const saveFormat = "redesneuronales/nn params v1"

// Save writes the values of every parameter to w (encoding/gob). The
// architecture itself is not saved: Load reads the values into a network
// built the same way.
func (n *Network) Save(w io.Writer) error {
	s := savedNetwork{Format: saveFormat}
	for _, p := range n.Params() {
		r, c := p.Value.Dims()
		s.Params = append(s.Params, savedParam{Name: p.Name, Rows: r, Cols: c, Data: mat.DenseCopyOf(p.Value).RawMatrix().Data})
	}
	if err := gob.NewEncoder(w).Encode(s); err != nil {
		return fmt.Errorf("nn: saving parameters: %w", err)
	}
	return nil
}

// Load reads parameter values written by Save into n. It checks names and
// shapes first and changes nothing unless every parameter matches.
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
		sp := s.Params[i]
		r, c := p.Value.Dims()
		if sp.Name != p.Name || sp.Rows != r || sp.Cols != c || len(sp.Data) != r*c {
			return fmt.Errorf("nn: saved parameter %d is %s (%d×%d), this network has %s (%d×%d)", i+1, sp.Name, sp.Rows, sp.Cols, p.Name, r, c)
		}
	}
	for i, p := range params {
		p.Value.Copy(mat.NewDense(s.Params[i].Rows, s.Params[i].Cols, s.Params[i].Data))
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
