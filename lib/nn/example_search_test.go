package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/redesneuronales/course/lib/nn"
)

// A grid search sees only the training and validation splits; the test
// split is used once, on the configuration it chose.
func ExampleSearch() {
	rng := rand.New(rand.NewPCG(1, 0))
	all := nn.Blobs(nn.BlobsConfig{N: 600, Std: 1}, rng)
	idx := rng.Perm(all.Len())
	train, val, test := all.Subset(idx[:400]), all.Subset(idx[400:500]), all.Subset(idx[500:])
	build := func(p nn.Point, rng *rand.Rand) (*nn.Network, nn.TrainConfig) {
		net := nn.NewMLP([]int{2, 8, 3}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, rng)
		return net, nn.TrainConfig{Epochs: 5, Optimizer: &nn.SGD{Eta: p.Get("eta")}, BatchSize: int(p.Get("batch"))}
	}
	s := &nn.Search{Train: train, Validation: val, Build: build, Seed: 1}
	res, err := s.Grid(context.Background(), nn.Space{
		{Name: "eta", Values: []float64{0.01, 0.1, 1}},
		{Name: "batch", Values: []float64{10, 100}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range res.Sorted()[:3] {
		fmt.Printf("%-16v validation accuracy %.2f\n", t.Point, t.Score)
	}
	best := res.Best()
	r := rand.New(rand.NewPCG(1, 0))
	net, cfg := build(best.Point, r)
	cfg.Rand = r
	if _, err := nn.Train(context.Background(), net, train, cfg); err != nil {
		fmt.Println(err)
		return
	}
	_, acc := net.Evaluate(test)
	fmt.Printf("test accuracy of %v: %.2f\n", best.Point, acc)
	// Output:
	// eta=1 batch=10   validation accuracy 0.91
	// eta=0.1 batch=10 validation accuracy 0.89
	// eta=1 batch=100  validation accuracy 0.89
	// test accuracy of eta=1 batch=10: 0.91
}

// On a quadratic C(θ) = ½ θᵀAθ − bᵀθ one Newton step lands on the minimum
// A⁻¹b.
func ExampleNewtonStep() {
	A := mat.NewSymDense(2, []float64{2, 1, 1, 10})
	p := optimize.Problem{Grad: func(g, x []float64) {
		g[0] = 2*x[0] + x[1] - 1
		g[1] = x[0] + 10*x[1] - 2
	}}
	x := []float64{5, -3}
	res, err := nn.NewtonStep(p, x, nn.NewtonConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var want mat.VecDense
	_ = want.SolveVec(A, mat.NewVecDense(2, []float64{1, 2}))
	fmt.Printf("θ₁ = (%.6f, %.6f), A⁻¹b = (%.6f, %.6f)\n", x[0]+res.Delta[0], x[1]+res.Delta[1], want.AtVec(0), want.AtVec(1))
	// Output:
	// θ₁ = (0.421053, 0.157895), A⁻¹b = (0.421053, 0.157895)
}
