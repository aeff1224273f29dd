package nn_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// The factor c = 1/τ of the generalized softmax f_c sharpens the
// distribution as it grows (lower temperature τ) and flattens it as it
// shrinks. As c → ∞ the probability splits evenly among the tied maxima.
func ExampleSoftmax() {
	z := []float64{1, 2, 3}
	for _, c := range []float64{0.1, 1, 2, 10} {
		fmt.Printf("c = %-4v τ = %-4v f_c(z) = %.3f\n", c, 1/c, nn.NewSoftmax(c).F(nil, z))
	}
	tied := []float64{1, 3, 3, -2}
	fmt.Printf("c = 1e6: f_c(%v) = %.3f\n", tied, nn.NewSoftmax(1e6).F(nil, tied))
	// Output:
	// c = 0.1  τ = 10   f_c(z) = [0.301 0.332 0.367]
	// c = 1    τ = 1    f_c(z) = [0.090 0.245 0.665]
	// c = 2    τ = 0.5  f_c(z) = [0.016 0.117 0.867]
	// c = 10   τ = 0.1  f_c(z) = [0.000 0.000 1.000]
	// c = 1e6: f_c([1 3 3 -2]) = [0.000 0.500 0.500 0.000]
}

// The Jacobian ∂a_i/∂z_j = c·a_i(δ_ij − a_j) of softmax: every entry depends
// on the whole column (non-locality), and its rows sum to 0 because the
// outputs always sum to 1.
func ExampleSoftmax_Jacobian() {
	z := []float64{0, 0}
	jac := nn.Softmax{}.Jacobian(nil, z)
	fmt.Printf("%.2f\n", mat.Formatted(jac))
	// Output:
	// ⎡ 0.25  -0.25⎤
	// ⎣-0.25   0.25⎦
}

// Cross-entropy after softmax for one sample of class 1 (one-hot ŷ): the cost
// H(ŷ, a) = −ln a_1, its gradient −ŷ/a, and the output error that the
// gradient gives through the softmax Jacobian, δ^(L) = a − ŷ.
func ExampleCrossEntropy() {
	z := mat.NewDense(3, 1, []float64{1, 2, 0.5})
	y := mat.NewDense(3, 1, []float64{0, 1, 0})
	act := nn.Softmax{}
	a := mat.NewDense(3, 1, nil)
	act.Apply(a, z)

	cost := nn.CrossEntropy{}
	da := mat.NewDense(3, 1, nil)
	cost.Grad(da, a, y)
	dz := mat.NewDense(3, 1, nil)
	act.Backprop(dz, da, z, a)
	delta := mat.NewDense(3, 1, nil)
	ok := cost.Delta(delta, z, a, y, act)

	fmt.Printf("a          = %.4f\n", mat.Formatted(a.T()))
	fmt.Printf("C          = %.4f\n", cost.Value(a, y))
	fmt.Printf("∂C/∂a      = %.4f\n", mat.Formatted(da.T()))
	fmt.Printf("Jᵀ ∂C/∂a   = %.4f\n", mat.Formatted(dz.T()))
	fmt.Printf("a − ŷ      = %.4f (simplified: %t)\n", mat.Formatted(delta.T()), ok)
	// Output:
	// a          = [0.2312  0.6285  0.1402]
	// C          = 0.4644
	// ∂C/∂a      = [ 0.0000  -1.5910   0.0000]
	// Jᵀ ∂C/∂a   = [ 0.2312  -0.3715   0.1402]
	// a − ŷ      = [ 0.2312  -0.3715   0.1402] (simplified: true)
}
