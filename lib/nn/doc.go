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
// data, I/O or numerics are returned as errors. Layer constructors (NewDense,
// NewConv, NewPool, NewBatchNorm, NewChannelBatchNorm, NewDropout, NewAct)
// therefore panic on an impossible configuration, such as a size that is not
// positive or a stride that does not fit; ConvConfig.OutputShape and
// PoolConfig.OutputShape return the same message as an error, for a caller
// that must validate a configuration first.
//
// Settings follow one rule: zero is a value. A rate, coefficient, strength
// or fraction whose zero means something (η = 0, momentum β = 0, Adam's
// β₁ = 0, ε = 0, no noise, no shift, StepDecay's factor 0) means exactly
// what the field holds, zero included; the usual values come from a
// constructor or a Default… constant (NewMomentum, NewAdam, DefaultBeta,
// DefaultRegressionNoise, …). Only a size or count whose zero would be
// meaningless (epochs, minibatch size, number of samples, patience, image
// width, Huber's threshold δ > 0) uses zero for its documented default.
// Where the zero value of a type must stay the usual one, the other values,
// zero included, come from a constructor or a pointer: Softmax{} is c = 1
// and NewSoftmax(0) the uniform f_0; PReLU{} is the ReLU (a = 0); a nil
// *BatchNormConfig gives ε = 1e-5 and momentum 0.1, and a non-nil one means
// what it holds.
//
// Derivation checks compare an analytic derivative with a central finite
// difference (gonum's diff/fd) through RelativeError, the measure used by
// CS231n: |a−n| / max(|a|, |n|). Values below about 1e-7 mean the formula is
// right; values above 1e-2 mean it is wrong. Both sides differentiate the
// same function: the numeric side replays the training pass (Replay mode:
// the same dropout masks, the batch's statistics in batch normalization).
//
// The output error δ^(L) and the cost do not depend on which layer carries
// the output activation (a Dense or Conv layer's own, or an ActLayer after
// BatchNorm): for an OutputLayer at the end, costs with an exact form for
// its activation (DeltaCost, LogitCost: cross-entropy with softmax or
// sigmoid, for example) compute δ^(L) = a − ŷ and the cost from z^(L)
// (log-sum-exp, log-sigmoid), without clamping a.
//
// # Contents, by section of the notes
//
//   - §1 neurons, layers, networks: Dense, NewMLP, Network (Forward,
//     Backward, Gradient, InputGradient, Evaluate, Predict, Confusion,
//     Summary), the activations (Sigmoid, Tanh, ReLU, PReLU, Swish,
//     Softmax, …) and initializations (InitNormal, InitScaled, InitXavier,
//     InitHe).
//   - §2 gradient descent: Train with TrainConfig, SGD.
//   - §3 backpropagation: Network.Backward (OutputLayer, DeltaCost,
//     LogitCost); CheckGradients, NumericGradients and NumericGradientsOf
//     for derivation checks.
//   - §4.1 regularization: L1, L2, Lm (Regularizer), WeightDecay, Dropout
//     (with SetMask to fix its mask for a check), EarlyStopping with
//     History.Best.
//   - §4.2 batch normalization: BatchNorm (and ChannelBatchNorm for feature
//     maps) between a Dense with a Linear activation and an ActLayer;
//     Stateful layers keep their running statistics through Save and Load.
//   - §4.3 hyperparameters: Space, Search (train and validation splits
//     only), CopyLayers for initialization from a related task.
//   - §4.4 optimizers: Momentum (both forms of the notes), Nesterov,
//     RMSprop, Adam, AdamW; NewtonStep, NewtonTrain and Hessian for the
//     second-order method; FullBatchProblem and MinimizeFullBatch run
//     gonum/optimize's methods, such as conjugate gradient, on a network.
//   - §4.5 learning-rate schedules: Warmup, StepDecay, Cosine, Constant
//     (Schedule), and BatchWarmup per minibatch.
//   - §5 data: Dataset, LoadMNIST, Split and SplitIndices, Shuffled,
//     Standardizer, Augment, ShiftImage, RotateImage, ElasticImage,
//     ExpandShifts; synthetic sets Blobs, Spirals, Regression1D.
//   - §6 convolutional networks: Conv (ConvOutputSize), Pool (max and
//     average), with Dense layers and the same Train, costs, regularizers
//     and optimizers.
package nn
