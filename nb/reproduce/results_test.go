package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// result returns a result of step whose runs (in seed order) did the
// epochs hs.
func result(t *testing.T, step string, hs ...[]Epoch) *Result {
	t.Helper()
	s, err := findStep(step)
	if err != nil {
		t.Fatal(err)
	}
	r := newResult(s)
	for i, h := range hs {
		if err := r.setRun(s.Protocol.RunSeeds()[i], h); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// epochs returns n epochs whose test accuracy is test at epoch at and
// lower elsewhere, with validation accuracy val at every epoch.
func epochs(n, at int, test float64) []Epoch {
	h := make([]Epoch, n)
	for i := range h {
		h[i] = Epoch{Epoch: i + 1, ValidationAccuracy: 90, TestAccuracy: test - 1, Seconds: 2}
	}
	h[at-1].TestAccuracy = test
	return h
}

func TestTableRows(t *testing.T) {
	tests := []struct {
		name string
		r    *Result
		want []string // in the row
		not  []string // not in the row
	}{
		{"best of three, matched", result(t, "ch1-30", epochs(30, 4, 95.1), epochs(30, 18, 95.35), epochs(30, 2, 94.9)),
			[]string{"`ch1-30`", "95.42%", "peak test accuracy, best of 3 runs", "95.35% (seed 2, epoch 18)", "30 + 30 + 30 / 3 × 30", "complete", "yes (-0.07)", "3.0 min (2.0 s/epoch)"}, []string{"only"}},
		{"best of three, two runs done: partial", result(t, "ch1-30", epochs(30, 4, 95.1), epochs(30, 18, 95.35)),
			[]string{"95.35% (seed 2, epoch 18), after 60 of 90 epochs only", "30 + 30 + 0 / 3 × 30", "partial", "not comparable: 60 of 90 epochs"}, []string{"yes", "| no ("}},
		{"one run, 0.5 points off counts", result(t, "ch3-overfit", epochs(400, 3, 81.77)), []string{"81.77% (epoch 3)", "400 / 400", "yes (-0.50)"}, nil},
		{"one run, not matched", result(t, "ch3-overfit-l2", epochs(400, 3, 85.0)), []string{"no (-2.10)"}, nil},
		{"partial: never compared", result(t, "ch6-1-conv", epochs(7, 7, 98.8)),
			[]string{"after 7 of 180 epochs only", "7 + 0 + 0 / 3 × 60", "partial", "not comparable: 7 of 180 epochs", "all 180 epochs: about 6.0 min at the median epoch so far (2 s)"}, []string{"yes", "| no ("}},
		{"not started", newResult(Steps[0]), []string{"| — |", "not started", "not run"}, nil},
		{"chapter 5 within the seeds' range", &Result{Step: "ch5-grad-norms", Nielsen: []float64{0.003, 0.017}, Statistic: GradNorms, Status: StatusComplete,
			Protocol: Protocol{Seeds: 10, TrainImages: 1000}, Ours: []float64{0.0031, 0.02}, SeedMin: []float64{0.001, 0.01}, SeedMax: []float64{0.004, 0.03}},
			[]string{"0.003, 0.017", "seed 1: 0.0031, 0.0200", "yes (each within our seeds' range)"}, nil},
		{"chapter 5 outside the range", &Result{Step: "ch5-grad-norms", Nielsen: []float64{0.003, 0.017}, Statistic: GradNorms, Status: StatusComplete,
			Protocol: Protocol{Seeds: 10}, Ours: []float64{0.0031, 0.02}, SeedMin: []float64{0.001, 0.018}, SeedMax: []float64{0.004, 0.03}},
			[]string{"no (outside our seeds' range)"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(strings.TrimSpace(Table([]*Result{tt.r})), "\n")
			if len(lines) != 3 {
				t.Fatalf("table has %d lines, want header, rule and one row:\n%s", len(lines), strings.Join(lines, "\n"))
			}
			row := lines[2]
			if got, want := strings.Count(row, " | ")+1, strings.Count(lines[0], " | ")+1; got != want {
				t.Errorf("row has %d cells, header %d: %s", got, want, row)
			}
			for _, w := range tt.want {
				if !strings.Contains(row, w) {
					t.Errorf("row lacks %q:\n%s", w, row)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(row, w) {
					t.Errorf("row contains %q:\n%s", w, row)
				}
			}
		})
	}
}

// TestBestOfRuns checks Nielsen's choice among runs: chapter 6 takes the
// test accuracy of the run with the best validation accuracy, not the
// best test accuracy.
func TestBestOfRuns(t *testing.T) {
	run := func(val, test float64, at int) []Epoch {
		h := epochs(60, 1, 50)
		h[at-1].ValidationAccuracy, h[at-1].TestAccuracy = val, test
		return h
	}
	r := result(t, "ch6-1-conv", run(98.9, 98.95, 30), run(99.1, 98.7, 41), run(99.0, 99.2, 12))
	if r.Status != StatusComplete || r.Ours[0] != 98.7 || r.OursSeed != 2 || r.OursEpoch != 41 {
		t.Errorf("chose %v from seed %d epoch %d (%s), want 98.7 from seed 2 epoch 41", r.Ours, r.OursSeed, r.OursEpoch, r.Status)
	}
	r = result(t, "ch1-100", epochs(30, 5, 96.1), epochs(30, 9, 96.7), epochs(30, 9, 96.7))
	if r.Ours[0] != 96.7 || r.OursSeed != 2 {
		t.Errorf("peak of three: %v from seed %d, want 96.7 from seed 2 (the first of a tie)", r.Ours, r.OursSeed)
	}
	if err := r.setRun(9, nil); err == nil {
		t.Error("no error for a seed the step does not run")
	}
}

func TestResumePlan(t *testing.T) {
	// Seed 1 complete, seed 2 at 31 of 60 epochs, seed 3 not started.
	r := result(t, "ch6-1-conv", epochs(60, 1, 50), epochs(31, 1, 50), nil)
	for _, c := range []struct {
		seed     uint64
		saved    int
		skip     bool
		errorHas string
	}{
		{seed: 1, saved: 0, skip: true},
		{seed: 1, saved: 60, skip: true},
		{seed: 2, saved: 31},
		{seed: 2, saved: 40},
		{seed: 2, saved: 0, errorHas: "ch6-1-conv, seed 2: the results record 31 epochs, but the checkpoint in ckpt holds 0: training would start again at epoch 1"},
		{seed: 2, saved: 30, errorHas: "holds 30: training would start again at epoch 31"},
		{seed: 3, saved: 0},
	} {
		skip, err := resumePlan(r, c.seed, c.saved, "ckpt")
		switch {
		case c.errorHas != "" && (err == nil || !strings.Contains(err.Error(), c.errorHas)):
			t.Errorf("seed %d, %d saved: error %v, want one containing %q", c.seed, c.saved, err, c.errorHas)
		case c.errorHas == "" && err != nil:
			t.Errorf("seed %d, %d saved: %v", c.seed, c.saved, err)
		case skip != c.skip:
			t.Errorf("seed %d, %d saved: skip %v, want %v", c.seed, c.saved, skip, c.skip)
		}
	}
}

func TestReplaceBetween(t *testing.T) {
	doc := "a\n" + beginMarker + "\nold\n" + endMarker + "\nb\n"
	got, err := replaceBetween(doc, "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n" + beginMarker + "\nnew\n" + endMarker + "\nb\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if inner, err := between(got); err != nil || inner != "new\n" {
		t.Errorf("between = %q, %v", inner, err)
	}
	for _, bad := range []string{"no markers", endMarker + beginMarker, beginMarker + beginMarker + endMarker} {
		if _, err := replaceBetween(bad, "x"); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestReadResults(t *testing.T) {
	dir := t.TempDir()
	r := result(t, "ch1-30", epochs(30, 18, 95.35), epochs(30, 1, 95), epochs(30, 1, 95))
	if err := writeResult(dir, r); err != nil {
		t.Fatal(err)
	}
	stale := result(t, "ch1-100", epochs(30, 2, 96.0), epochs(30, 2, 96.0), epochs(30, 2, 96.0))
	stale.Fingerprint = "0000000000000000"
	if err := writeResult(dir, stale); err != nil {
		t.Fatal(err)
	}
	got, err := readResults(dir, Steps)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(Steps) || got[0].Status != StatusComplete || got[0].Ours[0] != 95.35 {
		t.Errorf("ch1-30 read back as %+v", got[0])
	}
	if got[1].Status != StatusNotStarted {
		t.Errorf("a result made under another protocol reads as %q, want %q", got[1].Status, StatusNotStarted)
	}
	if err := os.WriteFile(filepath.Join(dir, "ch7-extra.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readResults(dir, Steps); err == nil || !strings.Contains(err.Error(), "ch7-extra.json") {
		t.Errorf("a file of no step: error %v", err)
	}
	if err := os.WriteFile(resultPath(dir, "ch1-30"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readResults(dir, Steps); err == nil || !strings.Contains(err.Error(), "ch1-30.json") {
		t.Errorf("a corrupt result: error %v", err)
	}
}

// TestREADMEIsCurrent checks that README.md's table and RESULTS.md are
// what make reproduce generates from the committed results.
func TestREADMEIsCurrent(t *testing.T) {
	p := newPaths("../..")
	results, err := readResults(p.Results, Steps)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(p.README)
	if err != nil {
		t.Fatal(err)
	}
	got, err := between(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	if want := Table(results); got != want {
		t.Errorf("README.md's table is not the one generated from nb/reproduce/results; run go run ./nb/reproduce -table\nREADME:\n%s\ngenerated:\n%s", got, want)
	}
	doc, err := os.ReadFile(p.ResultsDoc)
	if err != nil {
		t.Fatal(err)
	}
	if string(doc) != resultsDoc(results) {
		t.Error("nb/reproduce/RESULTS.md is not the one generated from nb/reproduce/results; run go run ./nb/reproduce -table")
	}
}
