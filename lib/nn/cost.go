package nn

import "gonum.org/v1/gonum/mat"

// Cost is a cost function C of Appendix B.2. It is defined for one sample
// (one column of a, the network's output a^(L), against the target ŷ); the
// cost of a batch is the mean over its columns.
type Cost interface {
	// Value returns the mean over columns of the per-sample cost C_x(a, y).
	Value(a, y *mat.Dense) float64
	// Grad sets da to ∂C_x/∂a, column by column: the gradient of each
	// sample's own cost, not divided by the number of samples.
	Grad(da, a, y *mat.Dense)
	// String returns the name used in plots and tables, such as "quadratic".
	String() string
}

// DeltaCost is a Cost with a simplified output error δ^(L) = ∂C/∂z^(L) for
// some output activations, such as δ^(L) = a − ŷ for cross-entropy after
// softmax. The simplified form is cheaper and avoids dividing by a^(L).
type DeltaCost interface {
	Cost
	// Delta sets dz = δ^(L) per sample and reports true when the cost has a
	// simplified form for act; otherwise it leaves dz alone and reports
	// false, and the network uses Grad and act.Backprop.
	Delta(dz, z, a, y *mat.Dense, act Activation) bool
}
