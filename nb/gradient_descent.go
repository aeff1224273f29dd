package nb

// Helpers for notebook 02_Gradient_Descent (§2, §2.1): cost surfaces of
// two parameters and gradient descent paths on them. (Runs of minibatch
// SGD with different minibatch sizes are Runs of TrainRuns, runs.go.)

import (
	"fmt"
	"math"

	"github.com/redesneuronales/course/lib/plotting"
)

// Surface2D is a cost C(θ) of two parameters θ = (θ₁, θ₂), with its
// gradient and a window that shows its interesting part.
type Surface2D struct {
	Name string
	C    func(t1, t2 float64) float64
	Grad func(t1, t2 float64) (g1, g2 float64)
	X, Y plotting.Range // window for contour plots
}

// Quadratic2D returns the quadratic bowl C(θ) = ½ θᵀ A θ whose Hessian A
// has eigenvalues l1 and l2, with the eigenvector of l1 at angle (radians)
// from the θ₁ axis:
//
//	A = R diag(l1, l2) Rᵀ,  R = [cos −sin; sin cos],  ∇C(θ) = A θ.
//
// Its minimum is C(0) = 0. With l1 ≪ l2 it is a long narrow valley, the
// shape that makes gradient descent zigzag.
func Quadratic2D(l1, l2, angle float64) Surface2D {
	c, s := math.Cos(angle), math.Sin(angle)
	a11 := l1*c*c + l2*s*s
	a22 := l1*s*s + l2*c*c
	a12 := (l1 - l2) * c * s
	grad := func(x, y float64) (float64, float64) { return a11*x + a12*y, a12*x + a22*y }
	return Surface2D{
		Name: fmt.Sprintf("quadratic, λ = %g and %g", l1, l2),
		C: func(x, y float64) float64 {
			gx, gy := grad(x, y)
			return 0.5 * (x*gx + y*gy)
		},
		Grad: grad,
		X:    plotting.Range{Min: -5, Max: 5},
		Y:    plotting.Range{Min: -3.5, Max: 3.5},
	}
}

// DoubleWell returns a non-convex cost with two valleys of different depth
// separated by a ridge:
//
//	C(θ) = (θ₁² − 1)² + 0.3 θ₁ + (θ₂ − ½ θ₁)²,
//
// with a shallow local minimum near θ = (0.960, 0.480) (C ≈ 0.294), the
// global minimum near θ = (−1.036, −0.518) (C ≈ −0.305), and a saddle
// point between them near θ = (0.075, 0.038).
func DoubleWell() Surface2D {
	return Surface2D{
		Name: "double well",
		C: func(x, y float64) float64 {
			u, v := x*x-1, y-0.5*x
			return u*u + 0.3*x + v*v
		},
		Grad: func(x, y float64) (float64, float64) {
			u, v := x*x-1, y-0.5*x
			return 4*x*u + 0.3 - v, 2 * v
		},
		X: plotting.Range{Min: -2, Max: 2},
		Y: plotting.Range{Min: -1.5, Max: 1.5},
	}
}

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
