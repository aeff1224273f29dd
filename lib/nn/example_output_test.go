package nn_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// A softmax output carried by an ActLayer (as in the batch-normalization
// recipe Dense(Linear) → BatchNorm → ActLayer) gets the same exact output
// error δ^(L) = a − ŷ and cost as a Dense layer with its own softmax, even
// for a prediction so wrong that a rounds to 0: z^(L) = (0, 30) against
// ŷ = (1, 0).
func ExampleOutputLayer() {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, layers := range [][]nn.Layer{
		{nn.NewDense(1, 2, nn.Softmax{}, nn.InitScaled, rng)},
		{nn.NewDense(1, 2, nn.Linear{}, nn.InitScaled, rng), nn.NewAct(nn.Softmax{})},
	} {
		net := nn.NewNetwork(nn.CrossEntropy{}, layers...)
		d := layers[0].(*nn.Dense)
		d.W.Value.Zero()
		d.B.Value.Copy(mat.NewDense(2, 1, []float64{0, 30}))
		c := net.Gradient(mat.NewDense(1, 1, []float64{1}), mat.NewDense(2, 1, []float64{1, 0}))
		fmt.Printf("%v: C = %.15g, ∂C/∂b = (%.16g, %.16g)\n", net, c, d.B.Grad.At(0, 0), d.B.Grad.At(1, 0))
	}
	// Output:
	// Dense(1→2, softmax), cost cross-entropy: C = 30.0000000000001, ∂C/∂b = (-0.9999999999999064, 0.9999999999999065)
	// Dense(1→2, linear) → Act(softmax), cost cross-entropy: C = 30.0000000000001, ∂C/∂b = (-0.9999999999999064, 0.9999999999999065)
}
