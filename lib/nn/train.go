package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// Optimizer updates the parameters from their gradients after each
// minibatch.
type Optimizer interface {
	// Step updates every parameter from its Grad.
	Step(params []*Param)
}

// SGD is plain gradient descent, θ ← θ − η ∇C (§2): with the gradient of a
// minibatch it is the stochastic gradient descent of §2.1.
type SGD struct {
	// Eta is the learning rate η.
	Eta float64
}

// LearningRate returns η.
func (s *SGD) LearningRate() float64 { return s.Eta }

// SetLearningRate sets η.
func (s *SGD) SetLearningRate(eta float64) { s.Eta = eta }

// Step sets θ ← θ − η ∇C for every parameter.
func (s SGD) Step(params []*Param) {
	for _, p := range params {
		v := contiguous(p.Value, "SGD.Step")
		g := contiguous(p.Grad, "SGD.Step")
		kernel.AddScaled(v, -s.Eta, g) // θ ← θ − η g
	}
}

// LearningRater is implemented by optimizers whose learning rate η a
// Schedule sets.
type LearningRater interface {
	LearningRate() float64
	SetLearningRate(eta float64)
}

// Schedule gives the learning rate of every epoch (§4.5).
type Schedule interface {
	// Rate returns η for epoch (counted from 1) of epochs, given the
	// optimizer's base rate eta.
	Rate(eta float64, epoch, epochs int) float64
}

// Regularizer is a penalty on the weights added to the cost (§4.1).
// Regularizers act on parameters of Kind Weight only. The penalty is
// normalized by the training-set size n, as Nielsen does: for L2,
// C = C₀ + (λ/2n) Σ w², so the same λ means the same thing for any
// minibatch size.
type Regularizer interface {
	// Penalty returns the term added to the cost for a training set of n
	// samples.
	Penalty(params []*Param, n int) float64
	// AddGrad adds the penalty's gradient to the Grad of every weight, for
	// a training set of n samples.
	AddGrad(params []*Param, n int)
}

// EarlyStopping stops training when the validation accuracy has not
// improved for Patience epochs in a row ("no improvement in n", §4.3) and
// restores the weights of the best epoch. Without labels it watches the
// validation cost instead.
type EarlyStopping struct {
	// Patience is n, the number of epochs without improvement that stops
	// training; 0 means 10.
	Patience int
}

// TrainConfig configures Train. A zero count (Epochs, BatchSize) means the
// documented default; Eta means what it holds, zero included, as every
// rate and coefficient of this package does (see the optimizers).
type TrainConfig struct {
	// Epochs is the number of passes over the training set; 0 means 1.
	Epochs int
	// BatchSize is the minibatch size m; 0 means 10.
	BatchSize int
	// Eta is the learning rate η of SGD when Optimizer is nil. There is
	// no default: η = 0 leaves the parameters unchanged while the costs
	// are still measured.
	Eta float64
	// Optimizer updates the parameters; nil means &SGD{Eta}.
	Optimizer Optimizer
	// Regularizer, when set, adds its penalty to the cost and its gradient
	// to the weights' gradients before every update (§4.1). The reported
	// training cost includes the penalty.
	Regularizer Regularizer
	// Schedule, when set, sets the optimizer's learning rate at the start
	// of every epoch from the rate it had when Train was called (§4.5);
	// the optimizer must then implement LearningRater.
	Schedule Schedule
	// EarlyStopping, when set, needs Validation: training stops after
	// Patience epochs without a better validation score, and the weights
	// (and running statistics) of the best epoch are restored. History.Best tells which it was; the
	// stop epoch is the length of the history.
	EarlyStopping *EarlyStopping
	// Validation, when set, is evaluated after every epoch.
	Validation *Dataset
	// Rand shuffles the training set every epoch; nil means a source
	// seeded with 1, so runs repeat exactly.
	Rand *rand.Rand
	// OnBatch, when set, is called after every minibatch.
	OnBatch func(BatchInfo)
	// OnEpoch, when set, is called after every epoch with its statistics.
	OnEpoch func(EpochStats)
}

// BatchInfo describes training progress after one minibatch.
type BatchInfo struct {
	Epoch, Epochs   int // epoch counted from 1
	Batch, Batches  int // minibatch within the epoch, counted from 1
	Step, Steps     int // minibatches done and in total
	Cost            float64
	RunningCost     float64 // mean cost of this epoch's minibatches so far
	RunningAccuracy float64 // accuracy on this epoch's minibatches so far (NaN without labels)
}

// EpochStats are the statistics of one epoch. The training figures are
// running means over the epoch's minibatches (each measured just before
// its update), which costs nothing extra; validation figures are measured
// on the whole validation set after the epoch. Figures that were not
// measured are NaN.
type EpochStats struct {
	Epoch                              int // counted from 1
	TrainCost, TrainAccuracy           float64
	ValidationCost, ValidationAccuracy float64
	// Duration is the time spent on this epoch's minibatches; Elapsed is
	// the time since training started, including evaluation.
	Duration, Elapsed time.Duration
}

// History is the list of epoch statistics of a training run.
type History []EpochStats

// Last returns the statistics of the last epoch (the zero value when empty).
func (h History) Last() EpochStats {
	if len(h) == 0 {
		return EpochStats{}
	}
	return h[len(h)-1]
}

// Best returns the epoch (counted from 1) with the highest validation
// accuracy, or, without validation accuracies, the lowest validation cost;
// the earliest wins a tie. It returns 0 when no epoch was validated.
func (h History) Best() int {
	best, bestAcc, bestCost := 0, math.Inf(-1), math.Inf(1)
	for _, st := range h {
		switch {
		case !math.IsNaN(st.ValidationAccuracy):
			if st.ValidationAccuracy > bestAcc {
				best, bestAcc = st.Epoch, st.ValidationAccuracy
			}
		case !math.IsNaN(st.ValidationCost):
			if st.ValidationCost < bestCost {
				best, bestCost = st.Epoch, st.ValidationCost
			}
		}
	}
	return best
}

// MinBatcher is implemented by layers that need more than one sample in a
// training minibatch. BatchNorm needs 2: the variance of a single sample is
// 0, so it would normalize every value to 0 and train nothing.
type MinBatcher interface {
	// MinBatch returns the smallest number of samples of a minibatch that
	// the layer accepts in Training mode.
	MinBatch() int
}

// MinBatch returns 2: batch statistics need at least two samples.
func (b *BatchNorm) MinBatch() int { return 2 }

// MinBatch returns 1 when a map has at least two positions (its statistics
// are taken over positions and samples), else 2.
func (b *ChannelBatchNorm) MinBatch() int {
	if b.Shape.Height*b.Shape.Width >= 2 {
		return 1
	}
	return 2
}

// MinBatch returns the smallest training minibatch that every layer of n
// accepts (1 unless a layer is a MinBatcher), and the first layer, counted
// from 1, that needs it (0 when none does).
func (n *Network) MinBatch() (m, layer int) {
	m = 1
	for l, ly := range n.Layers {
		if mb, ok := ly.(MinBatcher); ok && mb.MinBatch() > m {
			m, layer = mb.MinBatch(), l+1
		}
	}
	return m, layer
}

// Minibatches returns the number of minibatches of an epoch of Train over
// n samples with minibatch size m for a network whose MinBatch is minBatch:
// ⌈n/m⌉, less one when the remainder n mod m is below minBatch and joins
// the previous minibatch. A minibatch size above n counts as n; it returns
// 0 when n or m is not positive.
func Minibatches(n, m, minBatch int) int {
	if n <= 0 || m <= 0 {
		return 0
	}
	m = min(m, n)
	q, r := n/m, n%m
	if r == 0 || r < minBatch {
		return q
	}
	return q + 1
}

// ErrNonFinite is wrapped by the error Train returns when the cost becomes
// NaN or infinite.
var ErrNonFinite = errors.New("cost is not finite")

// Train runs minibatch stochastic gradient descent (§2.1): every epoch it
// shuffles the training set, splits it into minibatches of size m, and for
// each computes the averaged gradient by backpropagation and lets the
// optimizer update the parameters. A last, smaller minibatch takes the
// remainder r = N mod m, unless r is smaller than a layer needs in training
// (see MinBatcher: 2 for BatchNorm): then those r samples join the
// previous minibatch, which has m + r samples. So 11 samples in
// minibatches of 10 train as one minibatch of 11 in a network with
// BatchNorm, and as 10 + 1 in one without.
//
// Every check happens before the first update, and a failing one returns
// an error with the parameters unchanged: the training and validation
// sets must be valid (Dataset.Validate: consistent shapes, labels in
// range, finite values), have the same numbers of input and target rows,
// and the training set must hold at least one minibatch of the size the
// network's layers need (Network.MinBatch), as must the minibatch size m.
//
// Train stops early with an error when ctx is cancelled (Jupyter's
// interrupt) or when the cost becomes NaN or infinite; the error names the
// epoch and minibatch. On a non-finite cost the parameters (and the state
// of Stateful layers) are restored to their values at the start of that
// epoch. The history of the completed epochs is returned in every case.
func Train(ctx context.Context, net *Network, train *Dataset, cfg TrainConfig) (History, error) {
	if err := train.validForTraining(); err != nil {
		return nil, fmt.Errorf("nn: training set: %s", strings.TrimPrefix(err.Error(), "nn: "))
	}
	if cfg.Validation != nil {
		if err := cfg.Validation.validForTraining(); err != nil {
			return nil, fmt.Errorf("nn: validation set: %s", strings.TrimPrefix(err.Error(), "nn: "))
		}
		tx, _ := train.X.Dims()
		ty, _ := train.Y.Dims()
		vx, _ := cfg.Validation.X.Dims()
		vy, _ := cfg.Validation.Y.Dims()
		if vx != tx || vy != ty {
			return nil, fmt.Errorf("nn: validation set has %d input and %d target rows, the training set %d and %d", vx, vy, tx, ty)
		}
	}
	epochs := cfg.Epochs
	if epochs <= 0 {
		epochs = 1
	}
	m := cfg.BatchSize
	if m <= 0 {
		m = 10
	}
	opt := cfg.Optimizer
	if opt == nil {
		opt = &SGD{Eta: cfg.Eta}
	}
	var rater LearningRater
	var baseEta float64
	if cfg.Schedule != nil {
		var ok bool
		if rater, ok = opt.(LearningRater); !ok {
			return nil, fmt.Errorf("nn: a Schedule needs an optimizer with a settable learning rate (LearningRater); %T has none (pass a pointer, such as &nn.SGD{...})", opt)
		}
		baseEta = rater.LearningRate()
		defer rater.SetLearningRate(baseEta)
	}
	patience := 0
	if cfg.EarlyStopping != nil {
		if cfg.Validation == nil {
			return nil, errors.New("nn: EarlyStopping needs a Validation set")
		}
		patience = cfg.EarlyStopping.Patience
		if patience <= 0 {
			patience = 10
		}
	}
	rng := cfg.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(1, 0))
	}

	N := train.Len()
	if N == 0 {
		return nil, errors.New("nn: training set has no samples")
	}
	m = min(m, N)
	minBatch, needy := net.MinBatch()
	if m < minBatch {
		what := fmt.Sprintf("minibatch size is m = %d", m)
		if N < minBatch {
			what = fmt.Sprintf("training set has N = %d sample(s)", N)
		}
		return nil, fmt.Errorf("nn: cannot train: the %s, but layer %d (%T) needs at least %d samples in a training minibatch", what, needy, net.Layers[needy-1], minBatch)
	}
	batches := Minibatches(N, m, minBatch)
	xs, ys := train.sampleRows()
	nx, _ := train.X.Dims()
	ny, _ := train.Y.Dims()
	perm := make([]int, N)
	for i := range perm {
		perm[i] = i
	}
	params := net.Params()
	// vals are what a rollback restores: the parameters and the state of
	// Stateful layers, such as BatchNorm's running statistics.
	_, vals := net.state()
	for i := len(params) - 1; i >= 0; i-- {
		vals = append([]*mat.Dense{params[i].Value}, vals...)
	}
	var snapshot []*mat.Dense // vals at the start of the epoch
	var best []*mat.Dense     // vals after the best epoch, for early stopping
	bestEpoch := 0
	var bxT, byT, by *mat.Dense
	labels := make([]int, min(N, m+minBatch-1))
	var hist History
	start := time.Now()
	for epoch := 1; epoch <= epochs; epoch++ {
		snapshot = copyAll(snapshot, vals)
		if rater != nil {
			rater.SetLearningRate(cfg.Schedule.Rate(baseEta, epoch, epochs))
		}
		rng.Shuffle(N, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		epochStart := time.Now()
		sumCost, correct := 0.0, 0
		for b := range batches {
			if err := ctx.Err(); err != nil {
				return hist, fmt.Errorf("nn: training stopped in epoch %d at minibatch %d of %d: %w", epoch, b+1, batches, err)
			}
			end := (b + 1) * m
			if b == batches-1 {
				end = N // the remainder, or m plus a remainder too small to train alone
			}
			idx := perm[b*m : end]
			bxT = reuse(bxT, len(idx), nx)
			byT = reuse(byT, len(idx), ny)
			by = reuse(by, ny, len(idx))
			gatherRows(bxT, xs, idx)
			gatherRows(byT, ys, idx)
			transpose(by, byT)
			c := net.gradientRows(bxT, by)
			if cfg.Regularizer != nil {
				c += cfg.Regularizer.Penalty(params, N)
				cfg.Regularizer.AddGrad(params, N)
			}
			if math.IsNaN(c) || math.IsInf(c, 0) {
				for i, v := range vals {
					v.Copy(snapshot[i])
				}
				return hist, fmt.Errorf("nn: %w (%v) in epoch %d at minibatch %d of %d; parameters restored to the start of epoch %d; try a smaller learning rate",
					ErrNonFinite, c, epoch, b+1, batches, epoch)
			}
			sumCost += c * float64(len(idx))
			acc := math.NaN()
			if train.Labels != nil {
				for i, s := range idx {
					labels[i] = train.Labels[s]
				}
				correct += countCorrect(net.out, labels[:len(idx)])
			}
			opt.Step(params)
			if cfg.OnBatch != nil {
				done := b*m + len(idx)
				if train.Labels != nil {
					acc = float64(correct) / float64(done)
				}
				cfg.OnBatch(BatchInfo{
					Epoch: epoch, Epochs: epochs, Batch: b + 1, Batches: batches,
					Step: (epoch-1)*batches + b + 1, Steps: epochs * batches,
					Cost: c, RunningCost: sumCost / float64(done), RunningAccuracy: acc,
				})
			}
		}
		st := EpochStats{
			Epoch:          epoch,
			TrainCost:      sumCost / float64(N),
			TrainAccuracy:  math.NaN(),
			ValidationCost: math.NaN(), ValidationAccuracy: math.NaN(),
			Duration: time.Since(epochStart),
		}
		if train.Labels != nil {
			st.TrainAccuracy = float64(correct) / float64(N)
		}
		if cfg.Validation != nil {
			st.ValidationCost, st.ValidationAccuracy = net.Evaluate(cfg.Validation)
		}
		st.Elapsed = time.Since(start)
		hist = append(hist, st)
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(st)
		}
		if patience > 0 {
			if hist.Best() == epoch {
				best = copyAll(best, vals)
				bestEpoch = epoch
			} else if epoch-bestEpoch >= patience {
				break
			}
		}
	}
	if patience > 0 && bestEpoch > 0 && bestEpoch < len(hist) {
		for i, v := range vals {
			v.Copy(best[i])
		}
	}
	return hist, nil
}

// copyAll copies every matrix of src into dst, allocating dst when nil.
func copyAll(dst, src []*mat.Dense) []*mat.Dense {
	if dst == nil {
		dst = make([]*mat.Dense, len(src))
	}
	for i, m := range src {
		if dst[i] == nil {
			dst[i] = mat.DenseCopyOf(m)
		} else {
			dst[i].Copy(m)
		}
	}
	return dst
}

// gatherRows sets row j of dst to row idx[j] of rows.
func gatherRows(dst, rows *mat.Dense, idx []int) {
	d := dst.RawMatrix()
	s := rows.RawMatrix()
	for j, k := range idx {
		copy(d.Data[j*d.Stride:j*d.Stride+d.Cols], s.Data[k*s.Stride:k*s.Stride+s.Cols])
	}
}
