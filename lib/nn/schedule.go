package nn

import (
	"fmt"
	"math"
)

// Learning-rate schedules (§4.5). A schedule is a function of the step:
// before every minibatch Train sets the optimizer's rate to
// Schedule.Rate(η, step), where η is the rate the optimizer had when Train
// was called (its base rate) and step says which minibatch of which epoch
// comes next. Constant, Warmup, StepDecay and Cosine change the rate once
// per epoch; BatchWarmup changes it every minibatch. They work with every
// optimizer that implements LearningRater.

// TrainStep locates one minibatch in a training run: minibatch Batch of
// Batches in epoch Epoch of Epochs, both counted from 1. BatchInfo reports
// the same numbers.
type TrainStep struct {
	Epoch, Epochs  int
	Batch, Batches int
}

// Index returns the number of the minibatch counted from 1 over the whole
// run, (Epoch−1)·Batches + Batch: BatchInfo.Step.
func (s TrainStep) Index() int { return (s.Epoch-1)*s.Batches + s.Batch }

// Schedule gives the learning rate of every minibatch (§4.5).
type Schedule interface {
	// Rate returns η for the minibatch at step s, given the optimizer's
	// base rate eta.
	Rate(eta float64, s TrainStep) float64
}

// Constant keeps η for every minibatch.
type Constant struct{}

// Rate returns eta.
func (Constant) Rate(eta float64, _ TrainStep) float64 { return eta }

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

// Rate returns the rate of the epoch of s.
func (w Warmup) Rate(eta float64, s TrainStep) float64 {
	if w.Epochs < 1 {
		panic(fmt.Sprintf("nn: Warmup: Epochs must be at least 1, got %d", w.Epochs))
	}
	if s.Epoch <= w.Epochs {
		return float64(s.Epoch) * eta / float64(w.Epochs)
	}
	if w.Then == nil {
		return eta
	}
	s.Epoch -= w.Epochs
	s.Epochs = max(s.Epochs-w.Epochs, 1)
	return w.Then.Rate(eta, s)
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

// Rate returns the rate of the epoch of s.
func (d StepDecay) Rate(eta float64, s TrainStep) float64 {
	every := d.Every
	if every <= 0 {
		every = 10
	}
	return eta * math.Pow(d.Factor, float64((s.Epoch-1)/every))
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

// Rate returns the rate of the epoch of s.
func (c Cosine) Rate(eta float64, s TrainStep) float64 {
	f := (1 + math.Cos(math.Pi*float64(s.Epoch-1)/float64(max(s.Epochs, 1)))) / 2
	return eta * (c.Min + (1-c.Min)*f)
}

// BatchWarmup raises the learning rate linearly over the first Steps
// minibatches: minibatch k = 1, …, K (K = Steps, k = TrainStep.Index, counted
// over the whole run) trains with
//
//	η_k = k·η / K,
//
// and every later one with η. It is §4.5's sequence counted in minibatches
// instead of epochs, the form used by Goyal et al. (2017), and what "one
// epoch of warmup" needs, since the per-epoch Warmup with n = 1 does not
// warm up.
type BatchWarmup struct {
	// Steps is K, the number of warmup minibatches, at least 1.
	Steps int
}

// Rate returns the rate of the minibatch at s.
func (w BatchWarmup) Rate(eta float64, s TrainStep) float64 {
	if w.Steps < 1 {
		panic(fmt.Sprintf("nn: BatchWarmup: Steps must be at least 1, got %d", w.Steps))
	}
	if k := s.Index(); k < w.Steps {
		return float64(k) * eta / float64(w.Steps)
	}
	return eta
}

// Rates returns the rates under s for base rate eta of every minibatch of
// a run of epochs epochs of batches minibatches each, in the order Train
// uses them: epoch by epoch, minibatch by minibatch. With batches = 1 it
// lists the rate of every epoch of a per-epoch schedule, for plotting. A
// nil s is Constant.
func Rates(s Schedule, eta float64, epochs, batches int) []float64 {
	if s == nil {
		s = Constant{}
	}
	r := make([]float64, 0, epochs*batches)
	for e := 1; e <= epochs; e++ {
		for b := 1; b <= batches; b++ {
			r = append(r, s.Rate(eta, TrainStep{Epoch: e, Epochs: epochs, Batch: b, Batches: batches}))
		}
	}
	return r
}
