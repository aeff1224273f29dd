package nn_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/redesneuronales/course/lib/nn"
)

// A warmup counted in minibatches: with K = 4 the rate climbs η/4, η/2,
// 3η/4, η over the first four minibatches and stays at η. The optimizer
// holds η; Train sets the rate of every minibatch, reports it in
// BatchInfo.Eta and gives the optimizer its base rate back.
func ExampleBatchWarmup() {
	rng := rand.New(rand.NewPCG(1, 0))
	data := nn.Blobs(nn.BlobsConfig{N: 60, Std: nn.DefaultBlobsStd}, rng)
	net := nn.NewMLP([]int{2, 4, 3}, nn.MLPConfig{}, rng)
	opt := &nn.SGD{Eta: 0.8}
	var rates []float64
	hist, err := nn.Train(context.Background(), net, data, nn.TrainConfig{
		Epochs: 2, BatchSize: 20, Optimizer: opt, Schedule: nn.BatchWarmup{Steps: 4},
		OnBatch: func(b nn.BatchInfo) { rates = append(rates, b.Eta) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rate of every minibatch: %.2f\n", rates)
	fmt.Printf("epoch 1 from %.2f to %.2f\n", hist[0].FirstEta, hist[0].LastEta)
	fmt.Printf("η after training: %.2f\n", opt.Eta)
	// Output:
	// rate of every minibatch: [0.20 0.40 0.60 0.80 0.80 0.80]
	// epoch 1 from 0.20 to 0.60
	// η after training: 0.80
}
