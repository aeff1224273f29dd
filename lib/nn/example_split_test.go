package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/redesneuronales/course/lib/nn"
)

// An 80/20 split and a three-way split of 1,000 samples, then
// standardization with the statistics of the training split only.
func ExampleSplit() {
	data := nn.Blobs(nn.BlobsConfig{N: 1000, K: 3, Std: nn.DefaultBlobsStd}, rand.New(rand.NewPCG(1, 2)))
	parts := nn.Split(data, rand.New(rand.NewPCG(3, 4)), 0.8, 0.2)
	fmt.Println("80/20:", parts[0].Len(), parts[1].Len())
	three := nn.Split(data, rand.New(rand.NewPCG(3, 4)), 0.6, 0.2, 0.2)
	fmt.Println("training/validation/test:", three[0].Len(), three[1].Len(), three[2].Len())

	s := nn.FitStandardizer(three[0], nn.PerFeature)
	train, test := s.Apply(three[0]), s.Apply(three[2])
	m, sd := stat.PopMeanStdDev(mat.Row(nil, 0, train.X), nil)
	fmt.Printf("standardized training feature 1: mean %.2f, std %.2f\n", math.Round(m*100)/100+0, sd) // +0 turns −0 into 0
	m, sd = stat.PopMeanStdDev(mat.Row(nil, 0, test.X), nil)
	fmt.Printf("test feature 1 with the training statistics: mean %.2f, std %.2f\n", m, sd)
	// Output:
	// 80/20: 800 200
	// training/validation/test: 600 200 200
	// standardized training feature 1: mean 0.00, std 1.00
	// test feature 1 with the training statistics: mean 0.10, std 1.08
}

// Nielsen's expanded MNIST: every image and its four one-pixel shifts.
func ExampleExpandShifts() {
	img := make([]float64, 28*28)
	img[14*28+14] = 1 // one ink pixel at row 14, column 14
	data := &nn.Dataset{X: matCol(img), Y: nn.OneHot([]int{7}, 10), Labels: []int{7}}
	e := nn.ExpandShifts(data, 28, 28)
	for j := range e.Len() {
		for p := range 784 {
			if e.X.At(p, j) == 1 {
				fmt.Printf("copy %d: ink at row %d, column %d, label %d\n", j, p/28, p%28, e.Labels[j])
			}
		}
	}
	// Output:
	// copy 0: ink at row 14, column 14, label 7
	// copy 1: ink at row 13, column 14, label 7
	// copy 2: ink at row 15, column 14, label 7
	// copy 3: ink at row 14, column 13, label 7
	// copy 4: ink at row 14, column 15, label 7
}

func matCol(v []float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }
