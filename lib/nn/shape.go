package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// shapeError returns the panic message for two matrices whose shapes
// should agree.
func shapeError(who string, r1, c1, r2, c2 int) string {
	return fmt.Sprintf("nn: %s: shape mismatch: %d×%d and %d×%d", who, r1, c1, r2, c2)
}

// checkGrad is the check at the start of a layer's backward pass: out is
// the layer's output of the last Forward (nil before any) and g the
// gradient with respect to it, ∂C/∂out or δ. It panics, with who naming
// the method, when there was no Forward or g does not have out's shape,
// and returns that shape.
func checkGrad(who string, out, g *mat.Dense) (r, c int) {
	if out == nil {
		panic("nn: " + who + " before Forward")
	}
	r, c = out.Dims()
	if gr, gc := g.Dims(); gr != r || gc != c {
		panic(shapeError(who+": gradient vs layer output", gr, gc, r, c))
	}
	return r, c
}
