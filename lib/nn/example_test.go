package nn_test

import (
	"fmt"

	"github.com/redesneuronales/course/lib/nn"
)

// Check the derivative σ'(z) = σ(z)(1 − σ(z)) against central differences.
func ExampleRelativeError() {
	z := 0.8
	analytic := nn.Sigmoid{}.Prime(z)
	numeric := nn.NumericDerivative(nn.Sigmoid{}.F, z, 0)
	fmt.Printf("σ'(%.1f) = %.6f, relative error below 1e-7: %t\n",
		z, analytic, nn.RelativeError(analytic, numeric) < 1e-7)
	// Output: σ'(0.8) = 0.213910, relative error below 1e-7: true
}
