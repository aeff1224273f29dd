package nn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkEpoch trains one epoch of 50,000 MNIST images (Nielsen's
// training split) and reports seconds per epoch, the figure to compare
// with PyTorch and Nielsen's numpy code (see the README).
func BenchmarkEpoch(b *testing.B) {
	data, err := LoadMNIST(MNISTConfig{ValidationSize: 1, TestSize: 1})
	if err != nil {
		b.Fatal(err)
	}
	data.Train.sampleRows() // the one-off transposed copy is not part of an epoch
	for _, tc := range []struct {
		hidden, batch int
	}{{30, 10}, {100, 10}, {100, 64}} {
		b.Run(fmt.Sprintf("784-%d-10/mb%d", tc.hidden, tc.batch), func(b *testing.B) {
			net := NewMLP([]int{784, tc.hidden, 10}, MLPConfig{}, rand.New(rand.NewPCG(1, 1)))
			cfg := TrainConfig{Epochs: 1, BatchSize: tc.batch, Eta: 3}
			b.ResetTimer()
			for range b.N {
				if _, err := Train(context.Background(), net, data.Train, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/epoch")
		})
	}
}
