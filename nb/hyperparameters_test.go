package nb

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/redesneuronales/course/lib/nn"
)

func TestWithLabels(t *testing.T) {
	d := &nn.Dataset{X: nn.OneHot([]int{0, 1, 2, 3, 4, 5}, 6), Y: nn.OneHot([]int{0, 1, 2, 0, 1, 2}, 3), Labels: []int{0, 1, 2, 0, 1, 2}}
	s := WithLabels(d, 0, 1, 2)
	if s.Len() != 4 || s.Labels[0] != 1 || s.X.At(2, 1) != 1 {
		t.Errorf("subset labels %v", s.Labels)
	}
	if s := WithLabels(d, 1, 2); s.Len() != 1 || s.X.At(2, 0) != 1 {
		t.Errorf("first sample of label 2: %v", s.Labels)
	}
}

func TestSearchTable(t *testing.T) {
	data := nn.Blobs(nn.BlobsConfig{N: 90, Std: nn.DefaultBlobsStd}, Rand(1, 0))
	newNet := func(rng *rand.Rand) *nn.Network {
		return nn.NewMLP([]int{2, 4, 3}, nn.MLPConfig{Hidden: nn.Tanh{}, Output: nn.Linear{}}, rng)
	}
	s := &nn.Search{Train: data, Validation: data, Build: func(p nn.Point, rng *rand.Rand) (*nn.Network, nn.TrainConfig) {
		return newNet(rng), nn.TrainConfig{Epochs: 2, Optimizer: &nn.SGD{Eta: p.Get("eta")}}
	}}
	res, err := s.Grid(context.Background(), nn.Space{{Name: "eta", Values: []float64{0.01, 0.1, 1e9}}, {Name: "m", Values: []float64{10}}})
	if err != nil {
		t.Fatal(err)
	}
	tb := SearchTable("x", res)
	if len(tb.Rows) != 3 || tb.Rows[2][3] != "failed" || tb.Rows[0][0] != "1" {
		t.Errorf("table %v", tb.Rows)
	}
	SearchPlot("x", "eta", "m", true, false, map[string]nn.Results{"grid": res})
}
