package nn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// cnnBenchFraction is the part of the 50,000-image epoch that
// BenchmarkCNNEpoch trains per iteration; it scales the time up to a whole
// epoch, so the benchmark takes seconds instead of minutes.
const cnnBenchFraction = 5

// newBenchCNN returns Nielsen's first chapter-6 network: conv 20 filters
// 5×5 → max-pool 2×2 → sigmoid → FC 100 (sigmoid) → 10 softmax, with the
// log-likelihood (cross-entropy) cost. As in Nielsen's ConvPoolLayer, σ is
// applied after pooling: for max pooling and an increasing σ that is the
// same function as σ before pooling, with a quarter of the evaluations.
func newBenchCNN(rng *rand.Rand) (*Network, error) {
	conv := NewConv(ConvConfig{Input: Shape{28, 28, 1}, Filters: 20, FilterH: 5, Act: Linear{}}, rng)
	pool := NewPool(PoolConfig{Input: conv.Out, SizeH: 2})
	return NewNetwork(CrossEntropy{},
		conv, pool, NewAct(Sigmoid{}),
		NewDense(pool.Out.Len(), 100, Sigmoid{}, InitScaled, rng),
		NewDense(100, 10, Softmax{}, InitScaled, rng)), nil
}

// BenchmarkCNNEpoch reports seconds per epoch of 50,000 MNIST images for
// conv(20 filters 5×5) → max-pool 2×2 → FC 100 → 10 at minibatch 10 and 64,
// the figure to compare with PyTorch on the same cores (see the README),
// and GFLOP/s (an epoch is about 144 GFLOP). Each iteration trains on the first fifth of the
// training set (10,000 images) and the time is multiplied by 5.
func BenchmarkCNNEpoch(b *testing.B) {
	data, err := LoadMNIST(MNISTConfig{ValidationSize: 1, TestSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	part := data.Train.Head(data.Train.Len() / cnnBenchFraction)
	part.sampleRows() // the one-off transposed copy is not part of an epoch
	for _, mb := range []int{10, 64} {
		b.Run(fmt.Sprintf("%v/mb%d", kernel.Current(), mb), func(b *testing.B) {
			net, err := newBenchCNN(rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				b.Fatal(err)
			}
			cfg := TrainConfig{Epochs: 1, BatchSize: mb, Optimizer: &SGD{Eta: 0.1}}
			b.ResetTimer()
			for range b.N {
				if _, err := Train(context.Background(), net, part, cfg); err != nil {
					b.Fatal(err)
				}
			}
			reportEpoch(b, net, part.Len()*cnnBenchFraction, b.Elapsed().Seconds()/float64(b.N)*cnnBenchFraction)
		})
	}
}

// BenchmarkLayers times the forward and backward passes of the bench
// CNN's layers alone, on one minibatch of 64 random inputs.
func BenchmarkLayers(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	net, err := newBenchCNN(rng)
	if err != nil {
		b.Fatal(err)
	}
	x := mat.NewDense(784, 64, nil)
	for i := range 784 {
		for j := range 64 {
			x.Set(i, j, rng.Float64())
		}
	}
	ins := []*mat.Dense{x}
	for _, l := range net.Layers {
		ins = append(ins, l.Forward(ins[len(ins)-1], Training))
	}
	for i, l := range net.Layers {
		b.Run(fmt.Sprintf("%d-%v/forward", i, l), func(b *testing.B) {
			for range b.N {
				l.Forward(ins[i], Training)
			}
		})
		b.Run(fmt.Sprintf("%d-%v/backward", i, l), func(b *testing.B) {
			l.Forward(ins[i], Training)
			for range b.N {
				l.Backward(ins[i+1])
			}
		})
	}
}
