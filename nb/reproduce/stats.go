package main

import "fmt"

// Statistic names the number of a run that Nielsen reports, so that ours
// is the same number of our run.
type Statistic string

const (
	// PeakTest is the highest test accuracy over the epochs (network.py
	// and network2.py evaluate the test set after every epoch; "at its
	// peak", "tops out at"). The earliest epoch wins a tie.
	PeakTest Statistic = "peak test accuracy"
	// TestAtBestValidation is the test accuracy after the epoch with the
	// highest validation accuracy, as network3.py reports it. network3.py
	// replaces its best on validation_accuracy >= best, so the latest
	// epoch wins a tie.
	TestAtBestValidation Statistic = "test accuracy at the best validation epoch"
	// FinalValidation is the validation accuracy after the last epoch
	// (chapter 3's 97.92 and 98.04 percent are accuracies on
	// validation_data at the end of the run).
	FinalValidation Statistic = "validation accuracy after the last epoch"
	// GradNorms is ‖∂C/∂b^(l)‖ of every hidden layer at initialization
	// (chapter 5), not an accuracy.
	GradNorms Statistic = "‖∂C/∂b^(l)‖ of the hidden layers at initialization"
)

// Epoch holds what one epoch of a run measured. Accuracies are in percent.
type Epoch struct {
	Epoch int `json:"epoch"` // counted from 1
	// TrainCost and TrainAccuracy are running means over the epoch's
	// minibatches (nn.EpochStats), the cost including the L2 penalty.
	TrainCost          float64 `json:"train_cost"`
	TrainAccuracy      float64 `json:"train_accuracy"`
	ValidationAccuracy float64 `json:"validation_accuracy"`
	TestAccuracy       float64 `json:"test_accuracy"`
	// Seconds is the wall time of the epoch: training and both evaluations.
	Seconds float64 `json:"seconds"`
}

// Measure returns the value of statistic s over the epochs h and the epoch
// (counted from 1) it comes from. It returns an error for an empty history
// or a statistic that is not an accuracy over epochs.
func Measure(s Statistic, h []Epoch) (value float64, epoch int, err error) {
	if len(h) == 0 {
		return 0, 0, fmt.Errorf("%s: no epoch trained", s)
	}
	switch s {
	case PeakTest:
		best := 0
		for i := range h {
			if h[i].TestAccuracy > h[best].TestAccuracy {
				best = i
			}
		}
		return h[best].TestAccuracy, h[best].Epoch, nil
	case TestAtBestValidation:
		best := 0
		for i := range h {
			if h[i].ValidationAccuracy >= h[best].ValidationAccuracy {
				best = i
			}
		}
		return h[best].TestAccuracy, h[best].Epoch, nil
	case FinalValidation:
		last := h[len(h)-1]
		return last.ValidationAccuracy, last.Epoch, nil
	}
	return 0, 0, fmt.Errorf("statistic %q is not measured over epochs", s)
}
