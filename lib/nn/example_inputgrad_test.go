package nn_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// One linear neuron z = 1·x₁ + 2·x₂ with the quadratic cost: for x = (1, 1)
// and ŷ = 0, a = 3, C = ½ a² = 4.5 and ∂C/∂x = Wᵀ (a − ŷ) = (3, 6).
func ExampleNetwork_InputGradient() {
	d := nn.NewDense(2, 1, nn.Linear{}, nn.InitScaled, rand.New(rand.NewPCG(1, 1)))
	d.W.Value.SetRow(0, []float64{1, 2})
	d.B.Value.Zero()
	net := nn.NewNetwork(nn.Quadratic{}, d)
	dx, cost := net.InputGradient(mat.NewDense(2, 1, []float64{1, 1}), mat.NewDense(1, 1, []float64{0}))
	fmt.Println("C =", cost)
	fmt.Println("∂C/∂x =", mat.Col(nil, 0, dx))
	// Output:
	// C = 4.5
	// ∂C/∂x = [3 6]
}

// A mask chosen by hand instead of drawn: neuron 1 is dropped for the
// first sample, neuron 0 for the second. Replay applies it, here with the
// inverted scaling 1/p = 2 on the kept entries.
func ExampleDropout_SetMask() {
	d := nn.NewDropout(0.5, nn.Inverted, nil) // no Training pass: no source needed
	d.SetMask(mat.NewDense(2, 2, []float64{
		1, 0,
		0, 1,
	}))
	out := d.Forward(mat.NewDense(2, 2, []float64{1, 2, 3, 4}), nn.Replay)
	fmt.Println(mat.Formatted(out))
	// Output:
	// ⎡2  0⎤
	// ⎣0  8⎦
}
