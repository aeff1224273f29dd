package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// DropoutScaling says where dropout compensates for the activations it
// switches off.
type DropoutScaling int

const (
	// ScaleAtInference is the notes' dropout (§4.1): in training
	// ã = r ⊙ a, and at inference every activation is multiplied by the
	// keep-probability p, so that it matches the training expectation
	// E[r ⊙ a] = p a.
	ScaleAtInference DropoutScaling = iota
	// Inverted divides by p during training instead, ã = r ⊙ a / p, and
	// leaves inference untouched: the expectation is a in both modes.
	Inverted
)

func (s DropoutScaling) String() string {
	switch s {
	case ScaleAtInference:
		return "scale at inference"
	case Inverted:
		return "inverted"
	}
	return fmt.Sprintf("DropoutScaling(%d)", int(s))
}

// Dropout is a layer that, in Training mode, keeps each activation with
// probability p and sets it to zero otherwise (§4.1): ã = r ⊙ a with a mask
// r_ij ~ Bernoulli(p) drawn anew for every forward pass, one entry per
// neuron and sample. It has no parameters and works on columns of any
// length, so it can follow any layer.
//
// The masks come from Rand, drawn in a fixed order (row by row of the
// batch), so a seeded source gives the same masks on every run. In
// Inference mode dropout is deterministic: it multiplies by p
// (ScaleAtInference) or does nothing (Inverted). Replay mode applies the
// last Training mask again, for gradient checks (see Replay); SetMask
// chooses that mask instead, so that a check can fix it without a
// Training pass or a reseeded Rand.
type Dropout struct {
	// Keep is the keep-probability p, 0 < p ≤ 1.
	Keep    float64
	Scaling DropoutScaling
	Rand    *rand.Rand

	// Mask is the mask r of the last Training forward pass or of SetMask,
	// 0 or 1 per entry (nil before either).
	Mask *mat.Dense

	scale    float64 // the factor of the last forward pass where r = 1
	training bool    // whether the last forward pass drew a mask
	out, dx  *mat.Dense
}

// NewDropout returns a dropout layer with keep-probability keep and the
// given scaling, drawing its masks from rng. It panics if keep is not in
// (0, 1] or scaling is not ScaleAtInference or Inverted. rng may be nil
// for a layer that never runs in Training mode (Inference, or Replay with
// a mask from SetMask); a Training pass without it panics.
func NewDropout(keep float64, scaling DropoutScaling, rng *rand.Rand) *Dropout {
	d := &Dropout{Keep: keep, Scaling: scaling, Rand: rng}
	d.check()
	return d
}

func (d *Dropout) check() {
	if !(d.Keep > 0 && d.Keep <= 1) {
		panic(fmt.Sprintf("nn: Dropout: keep-probability p must be in (0, 1], got %v", d.Keep))
	}
	if d.Scaling != ScaleAtInference && d.Scaling != Inverted {
		panic(fmt.Sprintf("nn: Dropout: unknown scaling %d", int(d.Scaling)))
	}
}

// SetMask sets the mask r that the following Replay passes apply, as if
// the last Training pass had drawn it: one row per neuron and one column
// per sample of the batch the layer will see, every entry 0 (dropped) or
// 1 (kept). It copies r. It panics if r is empty, if an entry is neither 0
// nor 1, or if r has another number of rows than the batches the layer has
// already seen (the neurons of the layer before it). A Replay pass on a
// batch of another shape than r panics; a Training pass draws a new mask,
// which replaces r.
func (d *Dropout) SetMask(r *mat.Dense) {
	if r == nil || r.IsEmpty() {
		panic("nn: Dropout.SetMask: empty mask")
	}
	rows, cols := r.Dims()
	for i := range rows {
		for j := range cols {
			if v := r.At(i, j); v != 0 && v != 1 {
				panic(fmt.Sprintf("nn: Dropout.SetMask: entry (%d, %d) is %v; a mask holds 0 (dropped) or 1 (kept)", i, j, v))
			}
		}
	}
	if d.out != nil {
		if n, _ := d.out.Dims(); n != rows {
			panic(fmt.Sprintf("nn: Dropout.SetMask: mask has %d rows, but the layer's batches have %d neurons (rows)", rows, n))
		}
	}
	d.Mask = mat.DenseCopyOf(r)
}

// Forward returns r ⊙ x (divided by p when Inverted) in Training mode, and
// p x (ScaleAtInference) or x (Inverted) in Inference mode. In Replay
// mode it applies the mask of the last Training pass again (or the one
// set by SetMask, whichever came last), drawing nothing; it panics if
// that mask has another shape than x.
func (d *Dropout) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	d.check()
	r, c := x.Dims()
	if mode == Replay {
		return d.replay(x)
	}
	d.out = reuse(d.out, r, c)
	xr := x.RawMatrix()
	od := d.out.RawMatrix().Data
	d.training = mode == Training
	if !d.training {
		d.scale = 1
		if d.Scaling == ScaleAtInference {
			d.scale = d.Keep
		}
		for i := range r {
			for j, v := range xr.Data[i*xr.Stride : i*xr.Stride+c] {
				od[i*c+j] = d.scale * v
			}
		}
		return d.out
	}
	if d.Rand == nil {
		panic("nn: Dropout: nil Rand; pass rand.New(rand.NewPCG(seed, 0))")
	}
	d.scale = 1
	if d.Scaling == Inverted {
		d.scale = 1 / d.Keep
	}
	d.Mask = reuse(d.Mask, r, c)
	md := d.Mask.RawMatrix().Data
	for i := range r {
		for j, v := range xr.Data[i*xr.Stride : i*xr.Stride+c] {
			k := i*c + j
			if d.Rand.Float64() < d.Keep {
				md[k] = 1
				od[k] = d.scale * v
			} else {
				md[k] = 0
				od[k] = 0
			}
		}
	}
	return d.out
}

// replay is Forward in Replay mode: r ⊙ x with the last Training mask.
func (d *Dropout) replay(x *mat.Dense) *mat.Dense {
	r, c := x.Dims()
	if d.Mask == nil {
		panic("nn: Dropout: Replay mode before any Training pass; run a Training pass (Network.Gradient) on the batch first, or set a mask with SetMask")
	}
	if mr, mc := d.Mask.Dims(); mr != r || mc != c {
		panic(fmt.Sprintf("nn: Dropout: Replay mode on a %d×%d batch, but the last Training mask is %d×%d; run a Training pass on this batch first, or set a mask of its shape with SetMask", r, c, mr, mc))
	}
	d.out = reuse(d.out, r, c)
	d.training = true
	d.scale = 1
	if d.Scaling == Inverted {
		d.scale = 1 / d.Keep
	}
	xr := x.RawMatrix()
	od := d.out.RawMatrix().Data
	md := d.Mask.RawMatrix().Data
	for i := range r {
		for j, v := range xr.Data[i*xr.Stride : i*xr.Stride+c] {
			k := i*c + j
			if md[k] == 0 {
				od[k] = 0
			} else {
				od[k] = d.scale * v
			}
		}
	}
	return d.out
}

// Backward returns dout ⊙ r (divided by p when Inverted) after a Training
// pass, or dout times the inference factor after an Inference pass: the
// gradient flows only through the neurons that were kept.
func (d *Dropout) Backward(dout *mat.Dense) *mat.Dense {
	r, c := checkGrad("Dropout.Backward", d.out, dout)
	d.dx = reuse(d.dx, r, c)
	g := dout.RawMatrix()
	dd := d.dx.RawMatrix().Data
	var md []float64
	if d.training {
		md = d.Mask.RawMatrix().Data
	}
	for i := range r {
		for j, v := range g.Data[i*g.Stride : i*g.Stride+c] {
			k := i*c + j
			if md != nil && md[k] == 0 {
				dd[k] = 0
			} else {
				dd[k] = d.scale * v
			}
		}
	}
	return d.dx
}

// Params returns nil: dropout has no trainable parameters.
func (d *Dropout) Params() []*Param { return nil }

func (d *Dropout) String() string {
	return fmt.Sprintf("Dropout(p=%g, %v)", d.Keep, d.Scaling)
}
