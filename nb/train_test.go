package nb

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func orData() *nn.Dataset {
	x := mat.NewDense(2, 4, []float64{0, 0, 1, 1, 0, 1, 0, 1})
	labels := []int{0, 1, 1, 1}
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 2), Labels: labels}
}

func TestTrainReportsNonFiniteCost(t *testing.T) {
	var out bytes.Buffer
	d := NewDisplay(&out, t.TempDir())
	net := nn.NewMLP([]int{2, 3, 2}, nn.MLPConfig{Output: nn.Linear{}}, rand.New(rand.NewPCG(1, 1)))
	_, err := d.Train(net, orData(), nn.TrainConfig{Epochs: 200, BatchSize: 2, Optimizer: &nn.SGD{Eta: 1e6}})
	if err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("error %v, want a non-finite cost error", err)
	}
}

func TestLearningCurvesOmitMissingValidation(t *testing.T) {
	h := nn.History{{Epoch: 1, TrainCost: 1, TrainAccuracy: 0.5}}
	for _, tc := range []struct {
		val  float64
		want bool
	}{{math.NaN(), false}, {0.7, true}} {
		h[0].ValidationCost, h[0].ValidationAccuracy = tc.val, tc.val
		c, _ := LearningCurves("run", h)
		svg, err := plotting.SVG(c, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(svg, []byte("validation")); got != tc.want || strings.Contains(c.Title.Text, "dropped") {
			t.Errorf("validation %v: legend has a validation entry: %v, want %v (title %q)", tc.val, got, tc.want, c.Title.Text)
		}
	}
}
