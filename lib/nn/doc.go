// Package nn is the neural-network library behind the course notebooks for the
// lecture notes "Redes Neuronales".
//
// The package follows the notation of the notes so that every formula in a
// notebook reads as in the notes:
//
//   - A batch is a matrix with one column per sample.
//   - Layer l holds the weights W^(l), of shape n_l × n_{l−1}, where w_ij
//     connects a_j^(l−1) to a_i^(l), and the biases b^(l), of length n_l.
//   - The weighted input is z^(l) = W^(l) a^(l−1) + b^(l) and the activation
//     is a^(l) = σ(z^(l)); a^(0) is the input and a^(L) the output.
//   - Backpropagation: δ^(L) = ∂C/∂a^(L) ⊙ σ'(z^(L)),
//     δ^(l) = (W^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l)), ∂C/∂W^(l) = δ^(l) (a^(l−1))ᵀ
//     and ∂C/∂b^(l) = δ^(l).
//
// All numbers are float64 and matrices are gonum mat.Dense values.
// Randomness always comes from an explicit *rand.Rand (math/rand/v2), never
// from global state.
//
// Errors follow gonum's conventions: programmer misuse, such as matrices of
// the wrong shape, panics with a message that starts with "nn: "; failures of
// data, I/O or numerics are returned as errors.
//
// Derivation checks compare an analytic derivative with a central finite
// difference (gonum's diff/fd) through RelativeError, the measure used by
// CS231n: |a−n| / max(|a|, |n|). Values below about 1e-7 mean the formula is
// right; values above 1e-2 mean it is wrong.
package nn
