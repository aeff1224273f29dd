package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// Adam's first step moves every parameter by about η, whatever the size
// of its gradient: the bias-corrected moments are m̂ = g and ŝ = g².
func ExampleAdam() {
	net := nn.NewMLP([]int{1, 1}, nn.MLPConfig{Hidden: nn.Linear{}}, rand.New(rand.NewPCG(1, 0)))
	p := net.Params()[0] // W1, 1×1
	p.Value.Set(0, 0, 5)
	p.Grad.Set(0, 0, 1234)
	opt := nn.NewAdam(0.01)
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
	data := nn.Blobs(nn.BlobsConfig{Std: nn.DefaultBlobsStd}, rng)
	net := nn.NewMLP([]int{2, 8, 3}, nn.MLPConfig{Cost: nn.BinaryCrossEntropy{}}, rng)
	opt := &nn.Momentum{Eta: 0.5, Beta: 0.9}
	sched := nn.Warmup{Epochs: 2, Then: nn.Cosine{}}
	fmt.Printf("rates: %.3f\n", nn.Rates(sched, opt.Eta, 6, 1))
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

// The notes' two forms of momentum are the same method when the rate of
// the velocity form is (1−β) times that of the averaging form.
func ExampleMomentum() {
	run := func(opt nn.Optimizer) []float64 {
		p := &nn.Param{Name: "θ", Value: mat.NewDense(1, 2, []float64{-4, 2}), Grad: mat.NewDense(1, 2, nil)}
		for range 100 {
			th := p.Value.RawRowView(0)
			p.Grad.SetRow(0, []float64{th[0], 25 * th[1]}) // ∇C of C = ½(θ₁² + 25θ₂²)
			opt.Step([]*nn.Param{p})
		}
		return p.Value.RawRowView(0)
	}
	const beta, eta = 0.9, 0.04
	avg := run(&nn.Momentum{Eta: eta, Beta: beta, Form: nn.MomentumAverage})
	vel := run(&nn.Momentum{Eta: (1 - beta) * eta, Beta: beta, Form: nn.MomentumVelocity})
	fmt.Printf("v ← βv + (1−β)∇C, η = %g:   θ = (%.6f, %.6f)\n", eta, avg[0], avg[1])
	fmt.Printf("v ← βv + η∇C, η = (1−β)·%g: θ = (%.6f, %.6f)\n", eta, vel[0], vel[1])
	// Output:
	// v ← βv + (1−β)∇C, η = 0.04:   θ = (0.033084, 0.007477)
	// v ← βv + η∇C, η = (1−β)·0.04: θ = (0.033084, 0.007477)
}

// A network for a related task lends the layers that fit.
func ExampleCopyLayers() {
	rng := rand.New(rand.NewPCG(1, 0))
	src := nn.NewMLP([]int{784, 30, 10}, nn.MLPConfig{}, rng) // say, trained on digits 0–4
	dst := nn.NewMLP([]int{784, 30, 5}, nn.MLPConfig{}, rng)  // a new task with 5 classes
	copied := nn.CopyLayers(dst, src)
	fmt.Println("layers copied:", copied)
	fmt.Println("W1 equal:", mat.Equal(dst.Params()[0].Value, src.Params()[0].Value))
	// Output:
	// layers copied: [0]
	// W1 equal: true
}
