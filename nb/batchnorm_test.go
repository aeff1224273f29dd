package nb

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func TestBNNetworkLayers(t *testing.T) {
	for _, tc := range []struct {
		bn     bool
		layers int
		want   string
	}{
		{false, 3, "Dense(4→5, tanh) → Dense(5→3, tanh) → Dense(3→2, sigmoid)"},
		{true, 7, "Dense(4→5, linear) → BatchNorm(5) → Act(tanh) → Dense(5→3, linear) → BatchNorm(3) → Act(tanh) → Dense(3→2, sigmoid)"},
	} {
		c := BNConfig{Sizes: []int{4, 5, 3, 2}, Hidden: nn.Tanh{}, BatchNorm: tc.bn, Seed: 1}
		net := BNNetwork(c)
		if len(net.Layers) != tc.layers || !strings.HasPrefix(net.String(), tc.want) {
			t.Errorf("BatchNorm %v: %v", tc.bn, net)
		}
	}
	w1 := BNNetwork(BNConfig{Sizes: []int{4, 3, 2}, Seed: 1}).Params()
	w10 := BNNetwork(BNConfig{Sizes: []int{4, 3, 2}, Seed: 1, WeightScale: 10}).Params()
	if w10[0].Value.At(0, 0) != 10*w1[0].Value.At(0, 0) || w10[1].Value.At(0, 0) != w1[1].Value.At(0, 0) || w10[2].Value.At(0, 0) != w1[2].Value.At(0, 0) {
		t.Error("WeightScale does not scale the hidden weights only")
	}
}

// nn.NumericGradients after a training pass agrees with backpropagation
// through batch normalization (it replays the training pass), and the
// inference-mode numeric gradient differs.
func TestBNNetworkNumericGradients(t *testing.T) {
	net := BNNetwork(BNConfig{Sizes: []int{3, 4, 2}, Hidden: nn.Tanh{}, BatchNorm: true, Seed: 3})
	rng := rand.New(rand.NewPCG(3, 3))
	x := mat.NewDense(3, 5, nil)
	y := mat.NewDense(2, 5, nil)
	for j := range 5 {
		for i := range 3 {
			x.Set(i, j, rng.NormFloat64())
		}
		y.Set(rng.IntN(2), j, 1)
	}
	net.Gradient(x, y)
	num := nn.NumericGradients(net, x, y, 0)
	inf := nn.NumericGradientsOf(net.Params(), func() float64 { return net.Loss(x, y) }, 0)
	W := net.Params()[0]
	if re := nn.VectorRelativeError(flatten(W.Grad), flatten(num[0])); re > 1e-7 {
		t.Errorf("∂C/∂W1: relative error %v against training-mode differences", re)
	}
	if re := nn.VectorRelativeError(flatten(W.Grad), flatten(inf[0])); re < 1e-3 {
		t.Errorf("inference-mode differences agree too well (%v): the test does not tell the modes apart", re)
	}
}
