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
)

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

// DefaultBatchSize is the minibatch size m of Train when
// TrainConfig.BatchSize is 0: Nielsen's 10.
const DefaultBatchSize = 10

// TrainConfig configures Train. A zero count (Epochs, BatchSize) means the
// documented default. The learning rate is not here: it lives in
// the Optimizer (the Eta field of every optimizer of this package), and a
// Schedule varies it from there.
type TrainConfig struct {
	// Epochs is the number of passes over the training set; 0 means 1.
	Epochs int
	// BatchSize is the minibatch size m; 0 means DefaultBatchSize.
	BatchSize int
	// Optimizer updates the parameters and holds the learning rate η,
	// such as &SGD{Eta: 0.5} for plain minibatch SGD (§2.1). It must be
	// set: Train panics when it is nil.
	Optimizer Optimizer
	// Regularizer, when set, adds its penalty to the cost and its gradient
	// to the weights' gradients before every update (§4.1). The reported
	// training cost includes the penalty.
	Regularizer Regularizer
	// Schedule, when set, gives the learning rate of every minibatch from
	// the optimizer's rate when Train was called, its base rate (§4.5):
	// Train sets the optimizer's rate before every minibatch and restores
	// the base rate when it returns. The optimizer must then implement
	// LearningRater. Without a Schedule the rate stays the base rate.
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
	// OnBatch, when set, is called after every minibatch. It reads the
	// progress and the rate used (BatchInfo.Eta); it must not set the
	// optimizer's rate, which is Train's alone.
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
	// Eta is the learning rate η this minibatch's update used (NaN when
	// the optimizer is not a LearningRater).
	Eta float64
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
	// FirstEta and LastEta are the learning rates of the epoch's first and
	// last minibatches: equal under a per-epoch schedule, the ends of the
	// climb in an epoch of BatchWarmup (NaN when the optimizer is not a
	// LearningRater).
	FirstEta, LastEta float64
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
// The learning rate is the optimizer's. With a Schedule, Train sets it
// before every minibatch from the optimizer's base rate and restores the
// base rate when it returns; it is the only writer of the rate, and
// reports the rate of every minibatch to OnBatch and OnEpoch.
//
// Train panics when cfg.Optimizer is nil. Every other check happens before
// the first update, and a failing one returns an error with the parameters
// unchanged: the training and validation sets must be valid
// (Dataset.Validate: consistent shapes, labels in range, finite values),
// have the same numbers of input and target rows, and the training set
// must hold at least one minibatch of the size the network's layers need
// (Network.MinBatch), as must the minibatch size m; a Schedule needs a
// LearningRater, and EarlyStopping a Validation set.
//
// Train stops early with an error when ctx is cancelled (Jupyter's
// interrupt) or when the cost becomes NaN or infinite; the error names the
// epoch and minibatch. On a non-finite cost the parameters (and the state
// of Stateful layers) are restored to their values at the start of that
// epoch. The history of the completed epochs is returned in every case.
func Train(ctx context.Context, net *Network, train *Dataset, cfg TrainConfig) (History, error) {
	t, err := newTrainer(net, train, cfg)
	if err != nil {
		return nil, err
	}
	defer t.restoreRate()
	for t.epoch = 1; t.epoch <= t.epochs; t.epoch++ {
		t.startEpoch()
		for b := range t.batches {
			if err := ctx.Err(); err != nil {
				return t.hist, fmt.Errorf("nn: training stopped in epoch %d at minibatch %d of %d: %w", t.epoch, b+1, t.batches, err)
			}
			eta := t.setRate(b)
			idx := t.minibatch(b)
			c := t.gradient(idx)
			c = t.regularize(c)
			if err := t.checkFinite(c, b); err != nil {
				return t.hist, err
			}
			t.record(idx, c)
			t.opt.Step(t.params)
			t.report(b, idx, c, eta)
		}
		t.endEpoch()
		if t.stopEarly() {
			break
		}
	}
	t.restoreBest()
	return t.hist, nil
}

// trainer is the state of one call of Train.
type trainer struct {
	net     *Network
	train   *Dataset
	cfg     TrainConfig
	opt     Optimizer
	rater   LearningRater // opt's rate, or nil when it has none
	baseEta float64       // opt's rate when Train was called; NaN without a rater

	epochs, m, batches int
	patience           int // 0 without early stopping
	rng                *rand.Rand

	xs, ys       *mat.Dense // the training set, one sample per row
	perm         []int      // the shuffled order of the samples
	params       []*Param
	vals         []*mat.Dense // what a rollback restores: parameters and Stateful state
	snapshot     []*mat.Dense // vals at the start of the epoch
	best         []*mat.Dense // vals after the best epoch, for early stopping
	bestEpoch    int
	bxT, byT, by *mat.Dense // the minibatch
	labels       []int

	epoch             int // the current epoch, counted from 1
	sumCost           float64
	correct           int
	firstEta, lastEta float64
	hist              History
	start, epochStart time.Time
}

// newTrainer validates cfg against net and the data and returns a trainer
// ready for the first epoch. Every check of Train happens here.
func newTrainer(net *Network, train *Dataset, cfg TrainConfig) (*trainer, error) {
	if cfg.Optimizer == nil {
		panic("nn: Train: TrainConfig.Optimizer is nil; set the optimizer that holds the learning rate, such as &nn.SGD{Eta: 0.1}")
	}
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
	t := &trainer{net: net, train: train, cfg: cfg, opt: cfg.Optimizer, baseEta: math.NaN(),
		epochs: cfg.Epochs, m: cfg.BatchSize, rng: cfg.Rand}
	if t.epochs <= 0 {
		t.epochs = 1
	}
	if t.m <= 0 {
		t.m = DefaultBatchSize
	}
	if r, ok := t.opt.(LearningRater); ok {
		t.rater, t.baseEta = r, r.LearningRate()
	}
	if cfg.Schedule != nil && (t.rater == nil || math.IsNaN(t.baseEta)) {
		return nil, fmt.Errorf("nn: a Schedule needs an optimizer with a settable learning rate (LearningRater); %T has none (pass a pointer, such as &nn.SGD{...})", t.opt)
	}
	if cfg.EarlyStopping != nil {
		if cfg.Validation == nil {
			return nil, errors.New("nn: EarlyStopping needs a Validation set")
		}
		t.patience = cfg.EarlyStopping.Patience
		if t.patience <= 0 {
			t.patience = 10
		}
	}
	if t.rng == nil {
		t.rng = rand.New(rand.NewPCG(1, 0))
	}

	N := train.Len()
	if N == 0 {
		return nil, errors.New("nn: training set has no samples")
	}
	t.m = min(t.m, N)
	minBatch, needy := net.MinBatch()
	if t.m < minBatch {
		what := fmt.Sprintf("minibatch size is m = %d", t.m)
		if N < minBatch {
			what = fmt.Sprintf("training set has N = %d sample(s)", N)
		}
		return nil, fmt.Errorf("nn: cannot train: the %s, but layer %d (%T) needs at least %d samples in a training minibatch", what, needy, net.Layers[needy-1], minBatch)
	}
	t.batches = Minibatches(N, t.m, minBatch)
	t.xs, t.ys = train.sampleRows()
	t.perm = make([]int, N)
	for i := range t.perm {
		t.perm[i] = i
	}
	t.params = net.Params()
	_, t.vals = net.state()
	for i := len(t.params) - 1; i >= 0; i-- {
		t.vals = append([]*mat.Dense{t.params[i].Value}, t.vals...)
	}
	t.labels = make([]int, min(N, t.m+minBatch-1))
	t.start = time.Now()
	return t, nil
}

// startEpoch keeps the values a rollback restores and shuffles the
// training set.
func (t *trainer) startEpoch() {
	t.snapshot = copyAll(t.snapshot, t.vals)
	t.rng.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
	t.epochStart = time.Now()
	t.sumCost, t.correct = 0, 0
}

// setRate sets the optimizer's rate for minibatch b (counted from 0) of the
// current epoch from the schedule, and returns the rate the minibatch
// trains with (NaN when the optimizer has none). It is the only place
// where Train writes the rate.
func (t *trainer) setRate(b int) float64 {
	eta := math.NaN()
	switch {
	case t.cfg.Schedule != nil:
		eta = t.cfg.Schedule.Rate(t.baseEta, TrainStep{Epoch: t.epoch, Epochs: t.epochs, Batch: b + 1, Batches: t.batches})
		t.rater.SetLearningRate(eta)
	case t.rater != nil:
		eta = t.rater.LearningRate()
	}
	if b == 0 {
		t.firstEta = eta
	}
	t.lastEta = eta
	return eta
}

// restoreRate gives the optimizer its base rate back after a Schedule.
func (t *trainer) restoreRate() {
	if t.cfg.Schedule != nil {
		t.rater.SetLearningRate(t.baseEta)
	}
}

// minibatch returns the indices of the samples of minibatch b (counted
// from 0) of the epoch.
func (t *trainer) minibatch(b int) []int {
	end := (b + 1) * t.m
	if b == t.batches-1 {
		end = len(t.perm) // the remainder, or m plus a remainder too small to train alone
	}
	return t.perm[b*t.m : end]
}

// gradient gathers the samples idx and sets the parameters' gradients of
// their mean cost by backpropagation, which it returns.
func (t *trainer) gradient(idx []int) float64 {
	nx, _ := t.train.X.Dims()
	ny, _ := t.train.Y.Dims()
	t.bxT = reuse(t.bxT, len(idx), nx)
	t.byT = reuse(t.byT, len(idx), ny)
	t.by = reuse(t.by, ny, len(idx))
	gatherRows(t.bxT, t.xs, idx)
	gatherRows(t.byT, t.ys, idx)
	transpose(t.by, t.byT)
	return t.net.gradientRows(t.bxT, t.by)
}

// regularize adds the Regularizer's penalty to the cost c, which it
// returns, and its gradient to the weights' gradients.
func (t *trainer) regularize(c float64) float64 {
	if t.cfg.Regularizer == nil {
		return c
	}
	N := len(t.perm)
	c += t.cfg.Regularizer.Penalty(t.params, N)
	t.cfg.Regularizer.AddGrad(t.params, N)
	return c
}

// checkFinite returns an error when the cost c of minibatch b (counted
// from 0) is NaN or infinite, after restoring the values of the start of
// the epoch.
func (t *trainer) checkFinite(c float64, b int) error {
	if !math.IsNaN(c) && !math.IsInf(c, 0) {
		return nil
	}
	for i, v := range t.vals {
		v.Copy(t.snapshot[i])
	}
	return fmt.Errorf("nn: %w (%v) in epoch %d at minibatch %d of %d; parameters restored to the start of epoch %d; try a smaller learning rate",
		ErrNonFinite, c, t.epoch, b+1, t.batches, t.epoch)
}

// record adds the minibatch's cost and correct predictions, measured
// before its update, to the epoch's sums.
func (t *trainer) record(idx []int, c float64) {
	t.sumCost += c * float64(len(idx))
	if t.train.Labels != nil {
		for i, s := range idx {
			t.labels[i] = t.train.Labels[s]
		}
		t.correct += countCorrect(t.net.out, t.labels[:len(idx)])
	}
}

// report calls OnBatch after minibatch b (counted from 0).
func (t *trainer) report(b int, idx []int, c, eta float64) {
	if t.cfg.OnBatch == nil {
		return
	}
	done := b*t.m + len(idx)
	acc := math.NaN()
	if t.train.Labels != nil {
		acc = float64(t.correct) / float64(done)
	}
	t.cfg.OnBatch(BatchInfo{
		Epoch: t.epoch, Epochs: t.epochs, Batch: b + 1, Batches: t.batches,
		Step: (t.epoch-1)*t.batches + b + 1, Steps: t.epochs * t.batches,
		Cost: c, RunningCost: t.sumCost / float64(done), RunningAccuracy: acc, Eta: eta,
	})
}

// endEpoch evaluates the validation set, appends the epoch's statistics to
// the history and calls OnEpoch.
func (t *trainer) endEpoch() {
	N := len(t.perm)
	st := EpochStats{
		Epoch:          t.epoch,
		TrainCost:      t.sumCost / float64(N),
		TrainAccuracy:  math.NaN(),
		ValidationCost: math.NaN(), ValidationAccuracy: math.NaN(),
		FirstEta: t.firstEta, LastEta: t.lastEta,
		Duration: time.Since(t.epochStart),
	}
	if t.train.Labels != nil {
		st.TrainAccuracy = float64(t.correct) / float64(N)
	}
	if t.cfg.Validation != nil {
		st.ValidationCost, st.ValidationAccuracy = t.net.Evaluate(t.cfg.Validation)
	}
	st.Elapsed = time.Since(t.start)
	t.hist = append(t.hist, st)
	if t.cfg.OnEpoch != nil {
		t.cfg.OnEpoch(st)
	}
}

// stopEarly keeps the values of the best epoch so far and reports whether
// Patience epochs have passed without a better one.
func (t *trainer) stopEarly() bool {
	if t.patience == 0 {
		return false
	}
	if t.hist.Best() == t.epoch {
		t.best = copyAll(t.best, t.vals)
		t.bestEpoch = t.epoch
		return false
	}
	return t.epoch-t.bestEpoch >= t.patience
}

// restoreBest restores the values of the best epoch under early stopping,
// when training went on past it.
func (t *trainer) restoreBest() {
	if t.patience > 0 && t.bestEpoch > 0 && t.bestEpoch < len(t.hist) {
		for i, v := range t.vals {
			v.Copy(t.best[i])
		}
	}
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
