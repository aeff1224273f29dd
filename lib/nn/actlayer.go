package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// ActLayer applies an activation σ on its own, a = σ(z), so that another
// layer can sit between the weighted input and σ: batch normalization
// (§4.2) computes a^(l) = σ(BN(W^(l) a^(l−1) + b^(l))) as a Dense layer
// with the Linear activation, a BatchNorm and an ActLayer.
type ActLayer struct {
	Act Activation

	// After Forward: Z is the input (not copied) and A = σ(Z).
	Z, A *mat.Dense
	dz   *mat.Dense
}

// NewAct returns a layer that applies act (nil means Sigmoid). Every
// activation is a valid setting, so it never panics.
func NewAct(act Activation) *ActLayer {
	if act == nil {
		act = Sigmoid{}
	}
	return &ActLayer{Act: act}
}

// Forward returns σ(z).
func (l *ActLayer) Forward(z *mat.Dense, mode Mode) *mat.Dense {
	r, c := z.Dims()
	l.Z = z
	l.A = reuse(l.A, r, c)
	apply(l.Act, l.A, z)
	return l.A
}

// Backward returns ∂C/∂z from ∂C/∂a through the activation's Backprop.
func (l *ActLayer) Backward(dout *mat.Dense) *mat.Dense {
	r, c := checkGrad("ActLayer.Backward", l.A, dout)
	l.dz = reuse(l.dz, r, c)
	z, _, _ := l.Output()
	l.Act.Backprop(l.dz, dout, z, l.A)
	return l.dz
}

// Output returns the input z, the activation a = σ(z) of the last Forward
// and σ (see OutputLayer). z is copied if it is a view with a stride.
func (l *ActLayer) Output() (z, a *mat.Dense, act Activation) {
	z = l.Z
	if z != nil {
		if zr := z.RawMatrix(); zr.Stride != zr.Cols {
			z = mat.DenseCopyOf(z)
		}
	}
	return z, l.A, l.Act
}

// BackwardDelta is Backward given δ = ∂C/∂z: with no parameters, it
// returns δ itself (copied into the layer's scratch), the gradient with
// respect to the layer's input.
func (l *ActLayer) BackwardDelta(delta *mat.Dense) *mat.Dense {
	r, c := checkGrad("ActLayer.BackwardDelta", l.A, delta)
	l.dz = reuse(l.dz, r, c)
	l.dz.Copy(delta)
	return l.dz
}

// Params returns nil: an activation has no trainable parameters.
func (l *ActLayer) Params() []*Param { return nil }

func (l *ActLayer) String() string { return fmt.Sprintf("Act(%v)", l.Act) }
