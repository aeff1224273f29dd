package plotting

import (
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestPowerTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max   float64
		wantLabels []string
		wantTicks  int
	}{
		{0.5, 200, []string{"1e0", "1e1", "1e2"}, 3 + 5 + 8 + 8 + 1}, // 5..9 × 0.1, 1..9, 10..90, 100, 200
		{1e-13, 0.1, []string{"1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "1e-2"}, 12*9 + 1},
		{-1, 10, nil, 0},
		{5, 5, nil, 0},
	} {
		ticks := powerTicks{}.Ticks(tc.min, tc.max)
		var labels []string
		for _, tk := range ticks {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
			if tk.Value < tc.min || tk.Value > tc.max {
				t.Errorf("[%v, %v]: tick %v outside the axis", tc.min, tc.max, tk.Value)
			}
		}
		if len(ticks) != tc.wantTicks {
			t.Errorf("[%v, %v]: %d ticks, want %d", tc.min, tc.max, len(ticks), tc.wantTicks)
		}
		if len(labels) != len(tc.wantLabels) {
			t.Errorf("[%v, %v]: labels %v, want %v", tc.min, tc.max, labels, tc.wantLabels)
			continue
		}
		for i := range labels {
			if labels[i] != tc.wantLabels[i] {
				t.Errorf("[%v, %v]: labels %v, want %v", tc.min, tc.max, labels, tc.wantLabels)
			}
		}
	}
}

func TestLogAxis(t *testing.T) {
	p := plot.New()
	LogAxis(&p.Y)
	if _, ok := p.Y.Scale.(plot.LogScale); !ok {
		t.Errorf("Y scale is %T, want plot.LogScale", p.Y.Scale)
	}
}

// TestPowerTicksWithinADecade checks that an axis with fewer than two
// powers of ten still gets labels: 1, 2 and 5 times the powers, or gonum's
// DefaultTicks where even those are too few.
func TestPowerTicksWithinADecade(t *testing.T) {
	for _, tc := range []struct {
		min, max   float64
		wantLabels []string
	}{
		{0.2, 5, []string{"0.2", "0.5", "1", "2", "5"}},
		{0.03, 0.3, []string{"0.05", "0.1", "0.2"}},
		{0.30, 0.31, labelsOf(plot.DefaultTicks{}.Ticks(0.30, 0.31))},
	} {
		got := labelsOf(powerTicks{}.Ticks(tc.min, tc.max))
		if len(got) < 2 || strings.Join(got, " ") != strings.Join(tc.wantLabels, " ") {
			t.Errorf("[%v, %v]: labels %q, want %q", tc.min, tc.max, got, tc.wantLabels)
		}
	}
}

func labelsOf(ticks []plot.Tick) []string {
	var labels []string
	for _, tk := range ticks {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	return labels
}
