package main

import "testing"

// hist builds a history from (validation, test) accuracy pairs.
func hist(pairs ...[2]float64) []Epoch {
	h := make([]Epoch, len(pairs))
	for i, p := range pairs {
		h[i] = Epoch{Epoch: i + 1, ValidationAccuracy: p[0], TestAccuracy: p[1]}
	}
	return h
}

func TestMeasure(t *testing.T) {
	tests := []struct {
		name      string
		stat      Statistic
		h         []Epoch
		value     float64
		epoch     int
		wantError bool
	}{
		{"peak test", PeakTest, hist([2]float64{90, 91}, [2]float64{92, 95.5}, [2]float64{93, 95.1}), 95.5, 2, false},
		{"peak test: earliest epoch of a tie", PeakTest, hist([2]float64{90, 95}, [2]float64{92, 96}, [2]float64{93, 96}), 96, 2, false},
		{"peak test at the last epoch", PeakTest, hist([2]float64{90, 91}, [2]float64{92, 92}), 92, 2, false},
		{"test at best validation, not the peak test", TestAtBestValidation, hist([2]float64{97, 98.9}, [2]float64{98, 98.5}, [2]float64{97.5, 99}), 98.5, 2, false},
		{"test at best validation: latest epoch of a tie (network3.py's >=)", TestAtBestValidation, hist([2]float64{98, 98.1}, [2]float64{97, 99}, [2]float64{98, 98.7}), 98.7, 3, false},
		{"test at best validation, one epoch", TestAtBestValidation, hist([2]float64{50, 60}), 60, 1, false},
		{"final validation, not the peak", FinalValidation, hist([2]float64{98.1, 0}, [2]float64{97.9, 0}), 97.9, 2, false},
		{"no epochs", PeakTest, nil, 0, 0, true},
		{"not over epochs", GradNorms, hist([2]float64{1, 1}), 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, e, err := Measure(tt.stat, tt.h)
			if (err != nil) != tt.wantError {
				t.Fatalf("error %v, want error %v", err, tt.wantError)
			}
			if v != tt.value || e != tt.epoch {
				t.Errorf("Measure = %v at epoch %d, want %v at epoch %d", v, e, tt.value, tt.epoch)
			}
		})
	}
}
