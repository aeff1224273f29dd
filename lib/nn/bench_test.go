package nn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// trainingFlops returns the floating-point operations of the matrix
// products of one training step per sample (a multiply-add counts as two):
// the forward product, the weight gradient and, for every layer but the
// first, the input gradient. Activations, pooling and the update are not
// counted; they are a few per cent at most.
func trainingFlops(net *Network) float64 {
	total := 0.0
	for i, l := range net.Layers {
		var fwd float64
		switch l := l.(type) {
		case *Dense:
			nIn, nOut := l.Dims()
			fwd = 2 * float64(nIn*nOut)
		case *Conv:
			fwd = 2 * float64(l.k*l.Out.Channels*l.p)
		default:
			continue
		}
		total += 2 * fwd // forward and ∂C/∂W
		if i > 0 {
			total += fwd // ∂C/∂input
		}
	}
	return total
}

// reportEpoch reports seconds per epoch of n samples and the rate of the
// matrix products in GFLOP/s, given the seconds of one epoch.
func reportEpoch(b *testing.B, net *Network, n int, seconds float64) {
	b.ReportMetric(seconds, "s/epoch")
	b.ReportMetric(trainingFlops(net)*float64(n)/seconds/1e9, "GFLOP/s")
}

// BenchmarkEpoch trains one epoch of 50,000 MNIST images (Nielsen's
// training split) and reports seconds per epoch, the figure to compare
// with PyTorch and Nielsen's numpy code (see the README), and GFLOP/s. The
// name of each case starts with the kernels that ran (AVX-512, AVX2+FMA or
// pure Go).
func BenchmarkEpoch(b *testing.B) {
	data, err := LoadMNIST(MNISTConfig{ValidationSize: 1, TestSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	data.Train.sampleRows() // the one-off transposed copy is not part of an epoch
	for _, tc := range []struct {
		hidden, batch int
	}{{30, 10}, {100, 10}, {100, 64}} {
		b.Run(fmt.Sprintf("%v/784-%d-10/mb%d", kernel.Current(), tc.hidden, tc.batch), func(b *testing.B) {
			net := NewMLP([]int{784, tc.hidden, 10}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
			cfg := TrainConfig{Epochs: 1, BatchSize: tc.batch, Optimizer: &SGD{Eta: 3}}
			b.ResetTimer()
			for range b.N {
				if _, err := Train(context.Background(), net, data.Train, cfg); err != nil {
					b.Fatal(err)
				}
			}
			reportEpoch(b, net, data.Train.Len(), b.Elapsed().Seconds()/float64(b.N))
		})
	}
}
