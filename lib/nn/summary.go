package nn

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// LayerSummary describes one layer of a network: what it is and how many
// trainable scalars it has.
type LayerSummary struct {
	// Layer is the layer's number l, counted from 1 as in the parameter
	// names.
	Layer int
	// Desc is the layer's description (its String).
	Desc string
	// Weights and Biases count the scalars of the layer's parameters of
	// each kind.
	Weights, Biases int
}

// Params returns Weights + Biases.
func (s LayerSummary) Params() int { return s.Weights + s.Biases }

// Summary returns the parameter counts of every layer. With weight sharing
// (§6.1) a convolutional layer has far fewer parameters than a fully
// connected layer of the same output size.
func (n *Network) Summary() []LayerSummary {
	out := make([]LayerSummary, len(n.Layers))
	for i, l := range n.Layers {
		s := LayerSummary{Layer: i + 1, Desc: fmt.Sprint(l)}
		for _, p := range l.Params() {
			switch p.Kind {
			case Weight:
				s.Weights += p.Len()
			default:
				s.Biases += p.Len()
			}
		}
		out[i] = s
	}
	return out
}

// SummaryTable returns Summary as a plain-text table with a total line.
func (n *Network) SummaryTable() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "layer\tweights\tbiases\tparameters\t  description")
	total := 0
	for _, s := range n.Summary() {
		fmt.Fprintf(w, "%d\t%d\t%d\t%d\t  %s\n", s.Layer, s.Weights, s.Biases, s.Params(), s.Desc)
		total += s.Params()
	}
	fmt.Fprintf(w, "total\t\t\t%d\t\n", total)
	w.Flush()
	return b.String()
}
