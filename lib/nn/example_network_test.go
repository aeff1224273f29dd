package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// Train a 2-4-2 network on XOR with minibatch SGD (§2.1) and report the
// accuracy on the four points.
func ExampleTrain() {
	x := mat.NewDense(2, 4, []float64{
		0, 0, 1, 1,
		0, 1, 0, 1,
	})
	labels := []int{0, 1, 1, 0}
	data := &nn.Dataset{X: x, Y: nn.OneHot(labels, 2), Labels: labels}

	rng := rand.New(rand.NewPCG(1, 2))
	net := nn.NewMLP([]int{2, 4, 2}, nn.MLPConfig{Hidden: nn.Tanh{}, Output: nn.Softmax{}, Cost: nn.CrossEntropy{}}, rng)
	hist, err := nn.Train(context.Background(), net, data, nn.TrainConfig{
		Epochs: 500, BatchSize: 4, Optimizer: &nn.SGD{Eta: 0.5}, Validation: data, Rand: rng,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net)
	fmt.Printf("accuracy after %d epochs: %.0f%%\n", len(hist), 100*hist.Last().ValidationAccuracy)
	// Output:
	// Dense(2→4, tanh) → Dense(4→2, softmax), cost cross-entropy
	// accuracy after 500 epochs: 100%
}

// Compare the gradient that backpropagation gives with central differences
// for every parameter of a small network.
func ExampleCheckGradients() {
	rng := rand.New(rand.NewPCG(3, 4))
	net := nn.NewMLP([]int{3, 5, 2}, nn.MLPConfig{}, rng)
	x := mat.NewDense(3, 4, nil)
	y := mat.NewDense(2, 4, nil)
	for j := range 4 {
		for i := range 3 {
			x.Set(i, j, rng.NormFloat64())
		}
		y.Set(j%2, j, 1)
	}
	for _, c := range nn.CheckGradients(net, x, y, 0) {
		fmt.Printf("%s (%s): relative error below 1e-7: %t\n", c.Param.Name, c.Param.Kind, c.RelErr < 1e-7)
	}
	// Output:
	// W1 (weight): relative error below 1e-7: true
	// b1 (bias): relative error below 1e-7: true
	// W2 (weight): relative error below 1e-7: true
	// b2 (bias): relative error below 1e-7: true
}
