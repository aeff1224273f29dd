package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/redesneuronales/course/lib/nn"
)

// Two-dimensional classification data: three Gaussian clusters, one column
// per point, with one-hot targets.
func ExampleBlobs() {
	rng := rand.New(rand.NewPCG(1, 2))
	data := nn.Blobs(nn.BlobsConfig{N: 90, K: 3, Std: nn.DefaultBlobsStd}, rng)
	xr, xc := data.X.Dims()
	yr, yc := data.Y.Dims()
	fmt.Printf("X: %d×%d, Y: %d×%d, labels of the first samples: %v\n", xr, xc, yr, yc, data.Labels[:6])
	fmt.Printf("sample 1 is in class %d, one-hot column %v\n", data.Labels[1], []float64{data.Y.At(0, 1), data.Y.At(1, 1), data.Y.At(2, 1)})
	// Output:
	// X: 2×90, Y: 3×90, labels of the first samples: [0 1 2 0 1 2]
	// sample 1 is in class 1, one-hot column [0 1 0]
}

// A line y = 2x + 1 with noise and 10% outliers, flagged so that a plot can
// colour them.
func ExampleRegression1D() {
	rng := rand.New(rand.NewPCG(1, 2))
	data, outlier := nn.Regression1D(nn.Regression1DConfig{N: 50, Noise: nn.DefaultRegressionNoise, OutlierFraction: nn.DefaultRegressionOutliers}, rng)
	count := 0
	for _, o := range outlier {
		if o {
			count++
		}
	}
	xr, xc := data.X.Dims()
	yr, yc := data.Y.Dims()
	fmt.Printf("X: %d×%d, Y: %d×%d, %d outliers, labels: %v\n", xr, xc, yr, yc, count, data.Labels)
	// Output: X: 1×50, Y: 1×50, 5 outliers, labels: []
}

// The first images of each MNIST split, as quick mode loads them.
func ExampleLoadMNIST() {
	m, err := nn.LoadMNIST(nn.MNISTConfig{TrainSize: 1000, ValidationSize: 100, TestSize: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []struct {
		name string
		ds   *nn.Dataset
	}{{"train", m.Train}, {"validation", m.Validation}, {"test", m.Test}} {
		xr, xc := s.ds.X.Dims()
		yr, yc := s.ds.Y.Dims()
		fmt.Printf("%-10s X: %d×%d  Y: %d×%d  first labels: %v\n", s.name, xr, xc, yr, yc, s.ds.Labels[:5])
	}
	// Output:
	// train      X: 784×1000  Y: 10×1000  first labels: [5 0 4 1 9]
	// validation X: 784×100  Y: 10×100  first labels: [3 8 6 9 6]
	// test       X: 784×100  Y: 10×100  first labels: [7 2 1 0 4]
}
