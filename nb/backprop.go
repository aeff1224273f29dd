package nb

// Helpers of the notebook 03_Backpropagation (§3, §3.1): whole-gradient
// checks, numeric gradients of every parameter, the cost as a function of
// one layer's activations (the key step of the chain-rule proof), and the
// tables and digit grids of the MNIST experiment.

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// ParamSymbol writes a parameter name of the library as in the notes:
// "W2" → "W⁽²⁾", "b10" → "b⁽¹⁰⁾". Names without a layer number are
// returned unchanged.
func ParamSymbol(name string) string {
	base := strings.TrimRight(name, "0123456789")
	digits := name[len(base):]
	if digits == "" || base == "" {
		return name
	}
	const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	var b strings.Builder
	b.WriteString(base + "⁽")
	for _, d := range digits {
		b.WriteString(string([]rune(sup)[d-'0']))
	}
	b.WriteString("⁾")
	return b.String()
}

// ParamGrads returns copies of the gradients that the last backward pass
// left in net's parameters (W1, b1, W2, ..., averaged over the batch).
func ParamGrads(net *nn.Network) []*mat.Dense {
	var out []*mat.Dense
	for _, p := range net.Params() {
		out = append(out, mat.DenseCopyOf(p.Grad))
	}
	return out
}

// CostFromLayer returns the cost C of the batch when a^(l) is replaced by a:
// the layers l+1, ..., L (counted from 1, as in the notes; l = 0 is the
// input) run on a in nn.Replay mode (the last training pass's dropout
// masks, the batch's statistics in batch normalization: the function that
// backpropagation differentiates; for other layers the same as inference)
// and the cost compares their output with y (nn.Network.OutputCost).
// Differentiating it numerically with respect to an entry a_i^(l) gives
// ∂C/∂a_i^(l), the quantity of the key step of the chain-rule proof of §3.
// The layers keep the values of this forward pass.
func CostFromLayer(net *nn.Network, l int, a, y *mat.Dense) float64 {
	L := len(net.Layers)
	if l < 0 || l > L {
		panic(fmt.Sprintf("nb: CostFromLayer: layer %d outside 0..%d", l, L))
	}
	out := a
	for _, layer := range net.Layers[l:] {
		out = layer.Forward(out, nn.Replay)
	}
	return net.OutputCost(out, y)
}

// CostFromWeightedInput returns the cost C of the batch when the weighted
// input z^(l) of layer l (counted from 1) is replaced by z: it applies that
// layer's activation, a^(l) = σ(z), and continues as CostFromLayer. Its
// numeric derivative with respect to z_i^(l) is δ_i^(l) by definition.
// Layer l must be an *nn.Dense. For the last layer and a cost with a form
// in z (nn.LogitCost, such as cross-entropy after softmax) it computes the
// cost from z, which stays exact where a rounds to 0 or 1.
func CostFromWeightedInput(net *nn.Network, l int, z, y *mat.Dense) float64 {
	if l < 1 || l > len(net.Layers) {
		panic(fmt.Sprintf("nb: CostFromWeightedInput: layer %d outside 1..%d", l, len(net.Layers)))
	}
	d, ok := net.Layers[l-1].(*nn.Dense)
	if !ok {
		panic(fmt.Sprintf("nb: CostFromWeightedInput: layer %d is a %T, not a Dense layer", l, net.Layers[l-1]))
	}
	r, c := z.Dims()
	a := mat.NewDense(r, c, nil)
	d.Act.Apply(a, z)
	if lc, ok := net.Cost.(nn.LogitCost); ok && l == len(net.Layers) {
		if v, ok := lc.ValueFromZ(z, a, y, d.Act); ok {
			return v
		}
	}
	return CostFromLayer(net, l, a, y)
}

// Column returns a copy of column j of x as an n × 1 matrix: one sample.
func Column(x *mat.Dense, j int) *mat.Dense {
	r, _ := x.Dims()
	return mat.DenseCopyOf(x.Slice(0, r, j, j+1))
}

// ConfusionTable returns the confusion matrix c (entry (i, j) counts the
// samples of class i predicted as j, as nn.Network.Confusion gives it) as
// a table with one row per true class, its count, and the percentage of
// that class classified correctly, its headers in the current language.
func ConfusionTable(caption string, c *mat.Dense) Table {
	k, kc := c.Dims()
	if k != kc {
		panic(fmt.Sprintf("nb: ConfusionTable: %d×%d matrix is not square", k, kc))
	}
	header := []string{T("true \\ predicted")}
	for j := range k {
		header = append(header, fmt.Sprint(j))
	}
	header = append(header, T("samples"), T("correct"))
	t := Table{Caption: caption, Header: header}
	for i := range k {
		row := []string{fmt.Sprint(i)}
		total := 0.0
		for j := range k {
			row = append(row, fmt.Sprintf("%.0f", c.At(i, j)))
			total += c.At(i, j)
		}
		pct := "—"
		if total > 0 {
			pct = fmt.Sprintf("%.1f%%", 100*c.At(i, i)/total)
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprintf("%.0f", total), pct))
	}
	return t
}

// Misclassified returns up to n samples of d whose predicted class differs
// from the label, in the order of d: their inputs (columns of X) and a
// title "true → predicted" for each, ready for plotting.ImageGrid. It
// panics if pred does not have one class per sample or d has no labels.
func Misclassified(d *nn.Dataset, pred []int, n int) (images [][]float64, titles []string) {
	if d.Labels == nil || len(pred) != d.Len() {
		panic(fmt.Sprintf("nb: Misclassified: %d predictions for %d labelled samples", len(pred), len(d.Labels)))
	}
	for j, p := range pred {
		if len(images) == n {
			break
		}
		if p == d.Labels[j] {
			continue
		}
		images = append(images, mat.Col(nil, j, d.X))
		titles = append(titles, fmt.Sprintf("%d → %d", d.Labels[j], p))
	}
	return images, titles
}

// EpochTable returns the statistics of a training history, one row per
// epoch: training cost and accuracy, validation cost and accuracy, and the
// seconds the epoch's minibatches took, its headers in the current
// language.
func EpochTable(caption string, h nn.History) Table {
	t := Table{Caption: caption, Header: []string{T("epoch"), T("training cost"), T("training accuracy"), T("validation cost"), T("validation accuracy"), T("seconds")}}
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.2f%%", 100*v)
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf("%.4f", v)
	}
	for _, s := range h {
		t.Rows = append(t.Rows, []string{
			fmt.Sprint(s.Epoch), num(s.TrainCost), pct(s.TrainAccuracy), num(s.ValidationCost), pct(s.ValidationAccuracy),
			fmt.Sprintf("%.2f", s.Duration.Seconds()),
		})
	}
	return t
}

// MeanEpochTime returns the mean Duration of the epochs of h (zero for an
// empty history).
func MeanEpochTime(h nn.History) time.Duration {
	if len(h) == 0 {
		return 0
	}
	var sum time.Duration
	for _, s := range h {
		sum += s.Duration
	}
	return sum / time.Duration(len(h))
}
