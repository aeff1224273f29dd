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

func TestFingerprint(t *testing.T) {
	base := Protocol{Program: "network3.py", Network: "n", Cost: "c", Eta: 0.1, BatchSize: 10, Epochs: 60, TrainImages: 50000, Seed: 1}
	change := func(f func(*Protocol)) Protocol { p := base; f(&p); return p }
	tests := []struct {
		name string
		p    Protocol
		same bool
	}{
		{"prose", change(func(p *Protocol) { p.Differences, p.Init, p.Train, p.Evaluation = "x", "y", "z", "w" }), true},
		{"one run is no runs", change(func(p *Protocol) { p.Runs = 1 }), true},
		{"η", change(func(p *Protocol) { p.Eta = 0.03 }), false},
		{"λ of nn.L2", change(func(p *Protocol) { p.L2 = 1 }), false},
		{"epochs", change(func(p *Protocol) { p.Epochs = 40 }), false},
		{"seed", change(func(p *Protocol) { p.Seed = 2 }), false},
		{"three runs", change(func(p *Protocol) { p.Runs = 3 }), false},
	}
	for _, tt := range tests {
		if got := tt.p.Fingerprint() == base.Fingerprint(); got != tt.same {
			t.Errorf("%s: same fingerprint %v, want %v", tt.name, got, tt.same)
		}
	}
	// A run's checkpoint does not depend on how many runs its step has.
	one, three := Step{Protocol: base}, Step{Protocol: change(func(p *Protocol) { p.Runs = 3 })}
	if one.run(1).Protocol.Fingerprint() != three.run(1).Protocol.Fingerprint() {
		t.Error("run 1 of a three-run step has another fingerprint than the one-run step")
	}
	if got := three.Protocol.RunSeeds(); len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Errorf("RunSeeds = %v, want [1 2 3]", got)
	}
}
