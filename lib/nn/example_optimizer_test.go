package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/redesneuronales/course/lib/nn"
)

// Adam's first step moves every parameter by about η, whatever the size
// of its gradient: the bias-corrected moments are m̂ = g and ŝ = g².
func ExampleAdam() {
	net := nn.NewMLP([]int{1, 1}, nn.MLPConfig{Hidden: nn.Linear{}}, rand.New(rand.NewPCG(1, 0)))
	p := net.Params()[0] // W1, 1×1
	p.Value.Set(0, 0, 5)
	p.Grad.Set(0, 0, 1234)
	opt := &nn.Adam{Eta: 0.01}
	opt.Step([]*nn.Param{p})
	m, s := opt.Moments(p)
	fmt.Printf("θ = %.4f after t = %d, m = %.1f, s = %.1f\n", p.Value.At(0, 0), opt.T, m[0], s[0])
	// Output:
	// θ = 4.9900 after t = 1, m = 123.4, s = 1522.8
}

// Any optimizer with a settable learning rate takes a schedule: here
// momentum with two epochs of warmup (η/2, η) and then a cosine decay.
func ExampleWarmup() {
	rng := rand.New(rand.NewPCG(1, 0))
	data := nn.Blobs(nn.BlobsConfig{}, rng)
	net := nn.NewMLP([]int{2, 8, 3}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, rng)
	opt := &nn.Momentum{Eta: 0.5, Beta: 0.9}
	sched := nn.Warmup{Epochs: 2, Then: nn.Cosine{}}
	fmt.Printf("rates: %.3f\n", nn.Rates(sched, opt.Eta, 6))
	hist, err := nn.Train(context.Background(), net, data, nn.TrainConfig{
		Epochs: 6, BatchSize: 10, Optimizer: opt, Schedule: sched, Validation: data,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("accuracy after %d epochs: %.2f\n", len(hist), hist.Last().ValidationAccuracy)
	// Output:
	// rates: [0.250 0.500 0.500 0.427 0.250 0.073]
	// accuracy after 6 epochs: 1.00
}
