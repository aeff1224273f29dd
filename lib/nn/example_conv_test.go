package nn_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// Nielsen's first convolutional network for MNIST: 20 filters of 5×5 on
// the 28×28 image, max pooling over 2×2 regions, σ, a fully connected
// layer of 100 and a softmax output. The layers exchange one column per
// image, so the pooled maps go straight into the dense layer.
func ExampleNewConv() {
	rng := rand.New(rand.NewPCG(1, 2))
	conv := nn.NewConv(nn.ConvConfig{
		Input:   nn.Shape{Height: 28, Width: 28, Channels: 1},
		Filters: 20, FilterH: 5, Act: nn.Linear{},
	}, rng)
	pool := nn.NewPool(nn.PoolConfig{Input: conv.Out, Kind: nn.MaxPool, SizeH: 2})
	net := nn.NewNetwork(nn.CrossEntropy{},
		conv, pool, nn.NewAct(nn.Sigmoid{}),
		nn.NewDense(pool.Out.Len(), 100, nn.Sigmoid{}, nn.InitScaled, rng),
		nn.NewDense(100, 10, nn.Softmax{}, nn.InitScaled, rng))
	fmt.Print(net.SummaryTable())
	out := net.Forward(mat.NewDense(784, 3, nil), nn.Inference) // three blank images
	r, c := out.Dims()
	fmt.Printf("output %d×%d\n", r, c)
	// Output:
	// layer  weights  biases  parameters  description
	//       1      500      20         520  Conv(28×28×1→24×24×20, 5×5, linear)
	//       2        0       0           0  MaxPool(24×24×20→12×12×20, 2×2)
	//       3        0       0           0  Act(sigmoid)
	//       4   288000     100      288100  Dense(2880→100, sigmoid)
	//       5     1000      10        1010  Dense(100→10, softmax)
	//   total                       289630
	// output 10×3
}

// A stride that does not fit the input is rejected with the numbers.
func ExampleConvOutputSize() {
	for _, s := range []int{1, 2, 3, 5} {
		m, err := nn.ConvOutputSize(28, 4, 0, s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("S=%d: %d positions\n", s, m)
	}
	// Output:
	// S=1: 25 positions
	// S=2: 13 positions
	// S=3: 9 positions
	// nn: output size (m+2P−f)/S+1 = (28+2·0−4)/5+1 = 24/5+1 is not a whole number
}

// A configuration can be validated before building the layer: OutputShape
// returns as an error what NewConv would panic with.
func ExampleConvConfig_OutputShape() {
	for _, stride := range []int{1, 2} {
		cfg := nn.ConvConfig{Input: nn.Shape{Height: 28, Width: 28, Channels: 1}, Filters: 20, FilterH: 5, StrideH: stride, StrideW: stride}
		out, err := cfg.OutputShape()
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("stride", stride, "gives", out, "=", nn.NewConv(cfg, rand.New(rand.NewPCG(1, 1))).Out)
	}
	// Output:
	// stride 1 gives 24×24×20 = 24×24×20
	// nn: convolution, height: output size (m+2P−f)/S+1 = (28+2·0−5)/2+1 = 23/2+1 is not a whole number
}
