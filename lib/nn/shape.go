package nn

import "fmt"

// shapeError returns the panic message for two matrices whose shapes
// should agree.
func shapeError(who string, r1, c1, r2, c2 int) string {
	return fmt.Sprintf("nn: %s: shape mismatch: %d×%d and %d×%d", who, r1, c1, r2, c2)
}
