package nb

// Helpers for notebook 02_Gradient_Descent (§2, §2.1): cost surfaces of
// two parameters and gradient descent paths on them. (Runs of minibatch
// SGD with different minibatch sizes are Runs of TrainRuns, runs.go.)

import (
	"fmt"
	"math"

	"github.com/redesneuronales/course/lib/plotting"
)

// Path is a gradient descent trajectory: the parameters θ_t = (X[t], Y[t])
// and the costs C[t] = C(θ_t) for t = 0, 1, ..., steps.
type Path struct {
	X, Y, C []float64
}

// Descend runs steps steps of gradient descent θ_{t+1} = θ_t − η ∇C(θ_t)
// on s from θ_0 = (t1, t2). A path that diverges is kept as it goes: its
// values may become infinite or NaN (plots leave those points out).
func Descend(s Surface2D, t1, t2, eta float64, steps int) Path {
	p := Path{X: []float64{t1}, Y: []float64{t2}, C: []float64{s.C(t1, t2)}}
	for range steps {
		g1, g2 := s.Grad(t1, t2)
		t1, t2 = t1-eta*g1, t2-eta*g2
		p.X = append(p.X, t1)
		p.Y = append(p.Y, t2)
		p.C = append(p.C, s.C(t1, t2))
	}
	return p
}

// LargestStableEta returns, to a relative precision of about 1e-8, the
// largest learning rate η for which gradient descent is stable at the
// minimum θ* = (m1, m2) of s: small deviations δ = θ − θ* shrink from one
// step to the next instead of growing.
//
// It follows a deviation of size 10⁻⁷ through the gradient-descent map,
// δ ← δ − η (∇C(θ* + δ) − ∇C(θ*)), rescaling it to 10⁻⁷ after every step
// so that it stays small (where C is close to its second-order Taylor
// expansion), and averages log ‖δ_{t+1}‖/‖δ_t‖ over the second half of
// 2,000 steps; η is stable when that average is negative. It bisects η in
// (0, hi]. For a quadratic the answer is exactly 2/λ_max of the Hessian,
// and near any minimum it is 2/λ_max of the Hessian there. hi must be
// unstable; it panics otherwise.
func LargestStableEta(s Surface2D, m1, m2, hi float64) float64 {
	const (
		steps = 2000
		size  = 1e-7
	)
	g01, g02 := s.Grad(m1, m2)
	stable := func(eta float64) bool {
		d1, d2 := size, 0.7*size // a direction that is no eigenvector in the examples
		growth := 0.0
		for t := range steps {
			g1, g2 := s.Grad(m1+d1, m2+d2)
			n1, n2 := d1-eta*(g1-g01), d2-eta*(g2-g02)
			norm := math.Hypot(n1, n2)
			if t >= steps/2 {
				growth += math.Log(norm / math.Hypot(d1, d2))
			}
			if norm == 0 || math.IsNaN(norm) || math.IsInf(norm, 0) {
				return norm == 0
			}
			d1, d2 = n1*size/norm, n2*size/norm
		}
		return growth < 0
	}
	if stable(hi) {
		panic(fmt.Sprintf("nb: LargestStableEta: η = %g is stable; pass a larger hi", hi))
	}
	lo := 0.0
	for hi-lo > 1e-9*hi {
		mid := (lo + hi) / 2
		if stable(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Series returns the path as a plotting series for plotting.Contour.
func (p Path) Series(name string) plotting.Series {
	return plotting.Series{Name: name, X: p.X, Y: p.Y}
}

// Until returns the beginning of the path up to and including its first
// point outside the window xr × yr (the whole path if it stays inside), so
// that a diverging path on a contour plot ends where it leaves the figure
// instead of crossing it back and forth.
func (p Path) Until(xr, yr plotting.Range) Path {
	for t := range p.X {
		if !(p.X[t] >= xr.Min && p.X[t] <= xr.Max && p.Y[t] >= yr.Min && p.Y[t] <= yr.Max) {
			return Path{X: p.X[:t+1], Y: p.Y[:t+1], C: p.C[:t+1]}
		}
	}
	return p
}

// Steps returns 0, 1, ..., len(p.C)−1: the iteration numbers, for plotting
// the cost against t.
func (p Path) Steps() []float64 {
	t := make([]float64, len(p.C))
	for i := range t {
		t[i] = float64(i)
	}
	return t
}
