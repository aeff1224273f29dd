package nn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomDigits returns n random 28×28 "images" with one-hot labels.
func randomDigits(rng *rand.Rand, n int) *Dataset {
	x := mat.NewDense(784, n, nil)
	labels := make([]int, n)
	for j := range n {
		labels[j] = rng.IntN(10)
		for i := range 784 {
			x.Set(i, j, rng.Float64())
		}
	}
	return &Dataset{X: x, Y: OneHot(labels, 10), Labels: labels}
}

// Training allocates nothing per minibatch once warm: an epoch of 40
// minibatches allocates as much as one of 8 (what an epoch allocates once:
// the shuffled order, the epoch's statistics). An allocation in every
// minibatch would add at least 32. On a loaded machine a goroutine that
// moves to another processor can find that processor's share of a
// sync.Pool empty and allocate once, so a handful of extra allocations,
// under a quarter per minibatch, is tolerated. The bench networks, at the
// minibatch sizes of the speed table.
func TestTrainingAllocatesNothingPerMinibatch(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	for _, tc := range []struct {
		name string
		net  func(rng *rand.Rand) (*Network, error)
		mb   int
	}{
		{"784-30-10", func(rng *rand.Rand) (*Network, error) {
			return NewNetwork(CrossEntropy{}, NewDense(784, 30, Sigmoid{}, InitScaled, rng), NewDense(30, 10, Softmax{}, InitScaled, rng)), nil
		}, 10},
		{"784-100-10", func(rng *rand.Rand) (*Network, error) {
			return NewNetwork(CrossEntropy{}, NewDense(784, 100, Sigmoid{}, InitScaled, rng), NewDense(100, 10, Softmax{}, InitScaled, rng)), nil
		}, 64},
		{"CNN", newBenchCNN, 10},
		{"CNN", newBenchCNN, 64},
	} {
		t.Run(fmt.Sprintf("%s/mb%d", tc.name, tc.mb), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 3))
			net, err := tc.net(rng)
			if err != nil {
				t.Fatal(err)
			}
			short, long := randomDigits(rng, 8*tc.mb), randomDigits(rng, 40*tc.mb)
			cfg := TrainConfig{Epochs: 1, BatchSize: tc.mb, Optimizer: &SGD{Eta: 0.01}, Schedule: BatchWarmup{Steps: 1000}, Rand: rand.New(rand.NewPCG(4, 4))}
			allocs := func(d *Dataset) float64 {
				return testing.AllocsPerRun(2, func() {
					if _, err := Train(context.Background(), net, d, cfg); err != nil {
						t.Fatal(err)
					}
				})
			}
			allocs(long) // warm: buffers sized, workers started
			// The collector stays off while counting: a collection empties
			// the sync.Pools and the runtime's caches, whose refills are
			// allocations of whatever runs next, not of a minibatch.
			defer debug.SetGCPercent(debug.SetGCPercent(-1))
			a8, a40 := allocs(short), allocs(long)
			if perMinibatch := (a40 - a8) / 32; perMinibatch >= 0.25 {
				t.Errorf("an epoch of 40 minibatches allocates %v times, of 8 minibatches %v: %.2f allocations per minibatch", a40, a8, perMinibatch)
			}
		})
	}
}
