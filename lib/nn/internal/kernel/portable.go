package kernel

import "gonum.org/v1/gonum/floats"

// axpy sets y += alpha·x, with gonum's vectorized routine.
func axpy(y []float64, alpha float64, x []float64) { floats.AddScaled(y, alpha, x) }

// dot returns Σ x_i·y_i, with gonum's vectorized routine.
func dot(x, y []float64) float64 { return floats.Dot(x, y) }
