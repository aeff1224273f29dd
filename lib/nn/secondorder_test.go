package nn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// quadratic returns C(x) = ½ (x−a)ᵀ A (x−a) for a symmetric A.
func quadratic(a []float64, A *mat.SymDense) optimize.Problem {
	n := len(a)
	return optimize.Problem{
		Func: func(x []float64) float64 {
			d := make([]float64, n)
			for i := range d {
				d[i] = x[i] - a[i]
			}
			v := mat.NewVecDense(n, d)
			return 0.5 * mat.Inner(v, A, v)
		},
		Grad: func(g, x []float64) {
			d := make([]float64, n)
			for i := range d {
				d[i] = x[i] - a[i]
			}
			var gv mat.VecDense
			gv.MulVec(A, mat.NewVecDense(n, d))
			copy(g, gv.RawVector().Data)
		},
	}
}

func TestNewtonOneStepOnQuadratic(t *testing.T) {
	for _, tc := range []struct {
		name string
		A    []float64
		a, x []float64
	}{
		{"2-D", []float64{3, 1, 1, 2}, []float64{1, -2}, []float64{7, 5}},
		{"ill-conditioned", []float64{1, 0, 0, 1000}, []float64{0, 0}, []float64{-4, 2}},
		{"3-D", []float64{4, 1, 0, 1, 3, 1, 0, 1, 2}, []float64{0.5, 0, -1}, []float64{-3, 3, 10}},
	} {
		n := len(tc.a)
		p := quadratic(tc.a, mat.NewSymDense(n, tc.A))
		res, err := NewtonStep(p, tc.x, NewtonConfig{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i := range tc.x {
			if got := tc.x[i] + res.Delta[i]; math.Abs(got-tc.a[i]) > 1e-6 {
				t.Errorf("%s: after one step θ_%d = %g, minimum at %g", tc.name, i, got, tc.a[i])
			}
		}
	}
}

func TestHessianOfQuadratic(t *testing.T) {
	A := mat.NewSymDense(3, []float64{4, 1, 0, 1, 3, 1, 0, 1, 2})
	h := Hessian(nil, quadratic([]float64{0, 0, 0}, A).Grad, []float64{1, 2, 3}, 0)
	if !mat.EqualApprox(h, A, 1e-8) {
		t.Errorf("Hessian\n%v\nwant\n%v", mat.Formatted(h), mat.Formatted(A))
	}
}

func TestNewtonSaddle(t *testing.T) {
	// C = ½(x² − y²): H = diag(1, −1) is not positive definite.
	p := quadratic([]float64{0, 0}, mat.NewSymDense(2, []float64{1, 0, 0, -1}))
	_, err := NewtonStep(p, []float64{1, 1}, NewtonConfig{})
	if !errors.Is(err, ErrNotPositiveDefinite) {
		t.Fatalf("error %v, want ErrNotPositiveDefinite", err)
	}
	res, err := NewtonStep(p, []float64{1, 1}, NewtonConfig{Damping: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	// λ_min = −1, so μ = 0.1 + 1 and H + μI = diag(2.1, 0.1).
	if math.Abs(res.Damping-1.1) > 1e-6 || math.Abs(res.MinEigen+1) > 1e-6 {
		t.Errorf("damping %g, smallest eigenvalue %g; want 1.1 and −1", res.Damping, res.MinEigen)
	}
	// (H + μI) Δ = −g with g = (1, −1): Δ = (−1/2.1, 1/0.1).
	if math.Abs(res.Delta[0]+1/2.1) > 1e-6 || math.Abs(res.Delta[1]-10) > 1e-5 {
		t.Errorf("Δθ = %v, want (−1/2.1, 10)", res.Delta)
	}
}

func smallProblem() (*Network, *Dataset) {
	rng := rand.New(rand.NewPCG(3, 0))
	data := Blobs(BlobsConfig{N: 60, Std: DefaultBlobsStd}, rng)
	net := NewMLP([]int{2, 3, 3}, MLPConfig{Cost: BinaryCrossEntropy{}}, rng)
	return net, data
}

func TestFullBatchProblemGradient(t *testing.T) {
	net, data := smallProblem()
	p := FullBatchProblem(net, data, nil)
	theta := FlatParams(nil, net.Params())
	g := make([]float64, len(theta))
	p.Grad(g, theta)
	num := fd.Gradient(nil, p.Func, theta, &fd.Settings{Formula: fd.Central})
	if e := VectorRelativeError(g, num); e > 1e-7 {
		t.Errorf("relative error of the full-batch gradient %g", e)
	}
	// round trip
	theta[0] = 42
	SetFlatParams(net.Params(), theta)
	if FlatParams(nil, net.Params())[0] != 42 || net.Params()[0].Value.At(0, 0) != 42 {
		t.Error("SetFlatParams did not set W1[0,0]")
	}
}

func TestSecondOrderTraining(t *testing.T) {
	net, data := smallProblem()
	c0 := FullBatchProblem(net, data, nil).Func(FlatParams(nil, net.Params()))
	h, err := NewtonTrain(context.Background(), net, data, nil, 8, NewtonConfig{Damping: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	costs := h.Costs
	if costs[0] != c0 || costs[len(costs)-1] > 0.5*c0 || len(costs) != 9 {
		t.Errorf("Newton costs %v from %g", costs, c0)
	}
	for k := 1; k < len(costs); k++ {
		if costs[k] >= costs[k-1] {
			t.Errorf("Levenberg–Marquardt accepted a step up: %v", costs)
		}
	}
	if got := FullBatchProblem(net, data, nil).Func(FlatParams(nil, net.Params())); got != costs[len(costs)-1] {
		t.Errorf("network left at cost %g, last recorded %g", got, costs[len(costs)-1])
	}
	for _, v := range []optimize.CGVariant{&optimize.FletcherReeves{}, &optimize.PolakRibierePolyak{}} {
		net, data := smallProblem()
		res, err := MinimizeFullBatch(context.Background(), net, data, nil, &optimize.CG{Variant: v}, 30)
		if err != nil {
			t.Fatalf("%T: %v", v, err)
		}
		last := res.Costs[len(res.Costs)-1]
		if res.Costs[0] != c0 || last > 0.5*c0 || res.F > last || math.Abs(res.F-net.Loss(data.X, data.Y)) > 1e-12 {
			t.Errorf("%T: costs %v (network's %g)", v, res.Costs, net.Loss(data.X, data.Y))
		}
	}
}
