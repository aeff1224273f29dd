package nn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Init is a scheme for the initial weights and biases of a layer with n_in
// inputs and n_out outputs. The zero value is InitScaled.
type Init int

const (
	// InitScaled draws weights from N(0, 1/n_in) and biases from N(0, 1):
	// Nielsen's default_weight_initializer. It keeps z^(l) of order 1, so
	// sigmoid neurons start unsaturated.
	InitScaled Init = iota
	// InitNormal draws weights and biases from N(0, 1): Nielsen's chapter-1
	// initializer ("large_weight_initializer").
	InitNormal
	// InitXavier draws weights from N(0, 2/(n_in + n_out)) (Glorot and
	// Bengio, normal form) and sets biases to 0.
	InitXavier
	// InitHe draws weights from N(0, 2/n_in) (He et al., for ReLU) and sets
	// biases to 0.
	InitHe
)

func (i Init) String() string {
	switch i {
	case InitScaled:
		return "N(0, 1/nᵢₙ)"
	case InitNormal:
		return "N(0, 1)"
	case InitXavier:
		return "Xavier"
	case InitHe:
		return "He"
	}
	return "unknown init"
}

// Fill sets w (n_out × n_in) and b (n_out × 1) with fresh values from rng.
func (i Init) Fill(w, b *mat.Dense, rng *rand.Rand) {
	nOut, nIn := w.Dims()
	wStd, bStd := 1.0, 1.0
	switch i {
	case InitScaled:
		wStd = 1 / math.Sqrt(float64(nIn))
	case InitNormal:
	case InitXavier:
		wStd, bStd = math.Sqrt(2/float64(nIn+nOut)), 0
	case InitHe:
		wStd, bStd = math.Sqrt(2/float64(nIn)), 0
	default:
		panic("nn: unknown Init")
	}
	fillNormal(w, wStd, rng)
	fillNormal(b, bStd, rng)
}

// fillNormal sets every element of m to a draw from N(0, std²).
func fillNormal(m *mat.Dense, std float64, rng *rand.Rand) {
	d := contiguous(m, "Init.Fill")
	for i := range d {
		if std == 0 {
			d[i] = 0
			continue
		}
		d[i] = std * rng.NormFloat64()
	}
}
