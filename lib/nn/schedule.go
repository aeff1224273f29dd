package nn

import (
	"fmt"
	"math"
)

// Learning-rate schedules (§4.5). Train sets the optimizer's rate at the
// start of every epoch to Schedule.Rate(η, epoch, epochs), where η is the
// rate the optimizer had when Train was called; they work with every
// optimizer that implements LearningRater.

// Constant keeps η for every epoch.
type Constant struct{}

// Rate returns eta.
func (Constant) Rate(eta float64, epoch, epochs int) float64 { return eta }

// Warmup raises the learning rate linearly over the first Epochs epochs,
// exactly as §4.5: in epoch i = 1, …, n (n = Epochs) the rate is
//
//	η_i = i·η / n,
//
// so the sequence is η/n, 2η/n, …, η; afterwards Then sets the rate, with
// its epochs counted again from 1 over the remaining epochs (nil means
// Constant). Note that n = 1 gives η from the first epoch: no warmup at
// all; see BatchWarmup for a warmup within one epoch.
type Warmup struct {
	// Epochs is n, at least 1.
	Epochs int
	// Then is the schedule after the warmup; nil means Constant.
	Then Schedule
}

// Rate returns the rate of epoch (counted from 1) of epochs.
func (w Warmup) Rate(eta float64, epoch, epochs int) float64 {
	if w.Epochs < 1 {
		panic(fmt.Sprintf("nn: Warmup: Epochs must be at least 1, got %d", w.Epochs))
	}
	if epoch <= w.Epochs {
		return float64(epoch) * eta / float64(w.Epochs)
	}
	if w.Then == nil {
		return eta
	}
	return w.Then.Rate(eta, epoch-w.Epochs, max(epochs-w.Epochs, 1))
}

// StepDecay multiplies the rate by Factor every Every epochs:
// η_e = η · Factor^⌊(e−1)/Every⌋.
type StepDecay struct {
	// Every is the number of epochs between decays; 0 means 10.
	Every int
	// Factor multiplies the rate at each decay (0.1 and 0.5 are usual);
	// zero is a value: 0 stops learning after the first Every epochs.
	Factor float64
}

// Rate returns the rate of epoch (counted from 1).
func (s StepDecay) Rate(eta float64, epoch, epochs int) float64 {
	every := s.Every
	if every <= 0 {
		every = 10
	}
	return eta * math.Pow(s.Factor, float64((epoch-1)/every))
}

// Cosine decays the rate along half a cosine (Loshchilov and Hutter's
// SGDR without restarts), from η in the first epoch towards Min·η:
//
//	η_e = η (Min + (1 − Min) (1 + cos(π (e−1)/E)) / 2),  e = 1, …, E.
//
// The last epoch still trains at a small positive rate.
type Cosine struct {
	// Min is the final rate as a fraction of η; the zero value decays
	// towards 0.
	Min float64
}

// Rate returns the rate of epoch (counted from 1) of epochs.
func (c Cosine) Rate(eta float64, epoch, epochs int) float64 {
	f := (1 + math.Cos(math.Pi*float64(epoch-1)/float64(max(epochs, 1)))) / 2
	return eta * (c.Min + (1-c.Min)*f)
}

// Rates returns the rates of epochs 1, …, epochs under s for base rate eta,
// for plotting a schedule. A nil s is Constant.
func Rates(s Schedule, eta float64, epochs int) []float64 {
	if s == nil {
		s = Constant{}
	}
	r := make([]float64, epochs)
	for e := range r {
		r[e] = s.Rate(eta, e+1, epochs)
	}
	return r
}

// BatchWarmup raises the learning rate linearly over the first Steps
// minibatches: step k = 1, …, Steps trains with k·η/Steps, then η. It is
// §4.5's sequence counted in minibatches instead of epochs, the form used
// by Goyal et al. (2017), and what "one epoch of warmup" needs, since the
// per-epoch Warmup with n = 1 does not warm up.
type BatchWarmup struct {
	// Steps is the number of warmup minibatches, at least 1.
	Steps int
}

// Hook sets opt's rate to η/Steps, where η is its current rate, and
// returns a TrainConfig.OnBatch function that sets the rate of each next
// minibatch. Use it without a Schedule, which would overwrite the rate at
// every epoch.
func (w BatchWarmup) Hook(opt LearningRater) func(BatchInfo) {
	if w.Steps < 1 {
		panic(fmt.Sprintf("nn: BatchWarmup: Steps must be at least 1, got %d", w.Steps))
	}
	eta := opt.LearningRate()
	opt.SetLearningRate(eta / float64(w.Steps))
	return func(b BatchInfo) {
		next := b.Step + 1
		opt.SetLearningRate(eta * math.Min(float64(next), float64(w.Steps)) / float64(w.Steps))
	}
}
