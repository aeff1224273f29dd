package nb

// Test surfaces: costs of two parameters on which gradient descent (§2)
// and the optimizers of §4.4 are drawn, in one place as gonum's
// optimize/functions keeps its test functions. Each has its formula, its
// gradient and its source; surfaces_test.go checks every gradient against
// central differences.

import (
	"math"

	"github.com/redesneuronales/course/lib/plotting"
)

// Surface2D is a cost C(θ) of two parameters θ = (θ₁, θ₂), with its
// gradient and a window that shows its interesting part.
type Surface2D struct {
	// Name is the title of its figures, in the current language (T);
	// a check's name, which stays English, names the surface itself.
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
// shape that makes gradient descent zigzag: the second-order model of any
// cost near a minimum (§2 of the notes; Goodfellow, Bengio and Courville,
// Deep Learning, 2016, §4.3.1).
func Quadratic2D(l1, l2, angle float64) Surface2D {
	c, s := math.Cos(angle), math.Sin(angle)
	a11 := l1*c*c + l2*s*s
	a22 := l1*s*s + l2*c*c
	a12 := (l1 - l2) * c * s
	grad := func(x, y float64) (float64, float64) { return a11*x + a12*y, a12*x + a22*y }
	return Surface2D{
		Name: Tf("quadratic, λ = %g and %g", l1, l2),
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
//	∇C(θ) = (4 θ₁ (θ₁² − 1) + 0.3 − (θ₂ − ½ θ₁),  2 (θ₂ − ½ θ₁)),
//
// with a shallow local minimum near θ = (0.960, 0.480) (C ≈ 0.294), the
// global minimum near θ = (−1.036, −0.518) (C ≈ −0.305), and a saddle
// point between them near θ = (0.075, 0.038). It was made for this course:
// a tilted double-well potential in θ₁ with a valley along θ₂ = ½ θ₁.
func DoubleWell() Surface2D {
	return Surface2D{
		Name: T("double well"),
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

// Rosenbrock returns Rosenbrock's banana-shaped valley
//
//	C(θ) = (1 − θ₁)² + 100 (θ₂ − θ₁²)²,
//	∇C(θ) = (−2 (1 − θ₁) − 400 θ₁ (θ₂ − θ₁²),  200 (θ₂ − θ₁²)),
//
// minimum C(1, 1) = 0 at the end of a long curved valley (H. H.
// Rosenbrock, An automatic method for finding the greatest or least value
// of a function, The Computer Journal 3(3), 1960; gonum's
// optimize/functions.ExtendedRosenbrock in two dimensions).
func Rosenbrock() Surface2D {
	return Surface2D{
		Name: "Rosenbrock",
		C: func(x, y float64) float64 {
			u, v := 1-x, y-x*x
			return u*u + 100*v*v
		},
		Grad: func(x, y float64) (float64, float64) {
			v := y - x*x
			return -2*(1-x) - 400*x*v, 200 * v
		},
		X: plotting.Range{Min: -2, Max: 2},
		Y: plotting.Range{Min: -1, Max: 3},
	}
}

// Saddle returns
//
//	C(θ) = ½ θ₁² − ½ θ₂² + ¼ θ₂⁴,  ∇C(θ) = (θ₁, −θ₂ + θ₂³):
//
// a saddle point at the origin (the Hessian there is diag(1, −1)) between
// two minima at (0, ±1), C = −¼. Starting near θ₂ = 0, an optimizer must
// notice the small downhill slope along θ₂ to leave the saddle. It was
// made for this course: the saddle θ₁² − θ₂² of Goodfellow, Bengio and
// Courville (Deep Learning, 2016, §4.3.1, figure 4.5), halved, with a
// quartic term that bounds it from below.
func Saddle() Surface2D {
	return Surface2D{
		Name: T("saddle"),
		C: func(x, y float64) float64 {
			return 0.5*x*x - 0.5*y*y + 0.25*y*y*y*y
		},
		Grad: func(x, y float64) (float64, float64) {
			return x, -y + y*y*y
		},
		X: plotting.Range{Min: -2, Max: 2},
		Y: plotting.Range{Min: -1.5, Max: 1.5},
	}
}
