package nn_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// The L2 penalty (λ/2n) Σ w² and its gradient (λ/n) w touch the weights
// only, never the biases.
func ExampleL2() {
	net := nn.NewMLP([]int{2, 1}, nn.MLPConfig{}, rand.New(rand.NewPCG(1, 2)))
	w, b := net.Params()[0], net.Params()[1]
	w.Value.SetRow(0, []float64{3, -4})
	b.Value.Set(0, 0, 10)
	r := nn.L2{Lambda: 0.5}
	fmt.Printf("penalty for n = 5: %.3f\n", r.Penalty(net.Params(), 5))
	r.AddGrad(net.Params(), 5)
	fmt.Printf("∂/∂W = %v, ∂/∂b = %v\n", mat.Row(nil, 0, w.Grad), b.Grad.At(0, 0))
	// Output:
	// penalty for n = 5: 1.250
	// ∂/∂W = [0.30000000000000004 -0.4], ∂/∂b = 0
}

// Decoupled weight decay wraps an optimizer: W ← (1 − λ) W + ΔW.
func ExampleWeightDecay() {
	w := &nn.Param{Name: "W1", Kind: nn.Weight, Value: mat.NewDense(1, 1, []float64{2}), Grad: mat.NewDense(1, 1, []float64{0.5})}
	b := &nn.Param{Name: "b1", Kind: nn.Bias, Value: mat.NewDense(1, 1, []float64{2}), Grad: mat.NewDense(1, 1, []float64{0.5})}
	opt := &nn.WeightDecay{Optimizer: &nn.SGD{Eta: 0.1}, Lambda: 0.01}
	opt.Step([]*nn.Param{w, b})
	fmt.Printf("w = 0.99·2 − 0.1·0.5 = %.2f, b = 2 − 0.1·0.5 = %.2f\n", w.Value.At(0, 0), b.Value.At(0, 0))
	// Output:
	// w = 0.99·2 − 0.1·0.5 = 1.93, b = 2 − 0.1·0.5 = 1.95
}

// Dropout keeps each activation with probability p in training; at
// inference the notes' variant multiplies by p instead.
func ExampleDropout() {
	d := nn.NewDropout(0.5, nn.ScaleAtInference, rand.New(rand.NewPCG(1, 2)))
	a := mat.NewDense(1, 8, []float64{1, 2, 3, 4, 5, 6, 7, 8})
	out := d.Forward(a, nn.Training)
	fmt.Println("mask r:      ", mat.Row(nil, 0, d.Mask))
	fmt.Println("training r⊙a:", mat.Row(nil, 0, out))
	fmt.Println("inference pa:", mat.Row(nil, 0, d.Forward(a, nn.Inference)))
	// Output:
	// mask r:       [0 1 0 1 0 1 0 1]
	// training r⊙a: [0 2 0 4 0 6 0 8]
	// inference pa: [0.5 1 1.5 2 2.5 3 3.5 4]
}

// Batch normalization between W a + b and σ: a Dense layer without
// activation, a BatchNorm and an activation layer.
func ExampleBatchNorm() {
	rng := rand.New(rand.NewPCG(1, 2))
	bn := nn.NewBatchNorm(30, nil)
	net := nn.NewNetwork(nn.BinaryCrossEntropy{},
		nn.NewDense(784, 30, nn.Linear{}, nn.InitScaled, rng), bn, nn.NewAct(nn.Sigmoid{}),
		nn.NewDense(30, 10, nn.Sigmoid{}, nn.InitScaled, rng))
	fmt.Println(net)
	for _, p := range net.Params() {
		fmt.Print(p.Name, " (", p.Kind, ") ")
	}
	fmt.Println()
	// Output:
	// Dense(784→30, linear) → BatchNorm(30) → Act(sigmoid) → Dense(30→10, sigmoid), cost binary-cross-entropy
	// W1 (weight) b1 (bias) gamma2 (scale) beta2 (bias) W4 (weight) b4 (bias)
}
