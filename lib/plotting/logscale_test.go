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
		{0.5, 200, []string{"10⁰", "10¹", "10²"}, 3 + 5 + 8 + 8 + 1}, // 5..9 × 0.1, 1..9, 10..90, 100, 200
		{1e-13, 0.1, []string{"10⁻¹²", "10⁻¹⁰", "10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²"}, 12*9 + 1},
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
		{2e-6, 8e-6, []string{"2×10⁻⁶", "5×10⁻⁶"}},
		{0.30, 0.31, labelsOf(plot.DefaultTicks{}.Ticks(0.30, 0.31))},
	} {
		got := labelsOf(powerTicks{}.Ticks(tc.min, tc.max))
		if len(got) < 2 || strings.Join(got, " ") != strings.Join(tc.wantLabels, " ") {
			t.Errorf("[%v, %v]: labels %q, want %q", tc.min, tc.max, got, tc.wantLabels)
		}
	}
}

// TestTickNumber checks the labels of ticks: plain numbers, and powers of
// ten with superscript exponents where Go would write "e-05".
func TestTickNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0.2, "0.2"},
		{1, "1"},
		{1e-4, "0.0001"},
		{1e-5, "10⁻⁵"},
		{2e-5, "2×10⁻⁵"},
		{2.5e-12, "2.5×10⁻¹²"},
		{3e21, "3×10²¹"},
	} {
		if got := tickNumber(tc.v); got != tc.want {
			t.Errorf("tickNumber(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		e    int
		want string
	}{{-7, "10⁻⁷"}, {0, "10⁰"}, {1, "10¹"}, {23, "10²³"}} {
		if got := PowerOfTen(tc.e); got != tc.want {
			t.Errorf("PowerOfTen(%d) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

// TestMinusTicks checks that the linear axes of the package's figures
// label negative ticks with the minus sign −, not a hyphen.
func TestMinusTicks(t *testing.T) {
	p := Lines(Config{}, Series{X: []float64{-2, 2}, Y: []float64{-0.5, 0.5}})
	for _, tc := range []struct {
		name string
		a    *plot.Axis
	}{{"x", &p.X}, {"y", &p.Y}} {
		labels := labelsOf(tc.a.Tick.Marker.Ticks(tc.a.Min, tc.a.Max))
		want := labelsOf(plot.DefaultTicks{}.Ticks(tc.a.Min, tc.a.Max))
		if len(labels) != len(want) {
			t.Fatalf("%s: labels %q, want those of %q", tc.name, labels, want)
		}
		negative := 0
		for i, l := range labels {
			if strings.Contains(l, "-") || strings.ReplaceAll(want[i], "-", "−") != l {
				t.Errorf("%s: label %q, want %q with a minus sign", tc.name, l, want[i])
			}
			if strings.HasPrefix(l, "−") {
				negative++
			}
		}
		if negative == 0 {
			t.Errorf("%s: no negative labels in %q", tc.name, labels)
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

// TestLogAxisTwoLabels checks that every logarithmic axis has at least two
// labelled ticks: the ranges of issue 19 ([0.3, 3], [1, 1.5], [10⁻³, 10³])
// and a sweep of ranges from a span of 1 % to 8 decades at many offsets.
func TestLogAxisTwoLabels(t *testing.T) {
	ranges := [][2]float64{{0.3, 3}, {1, 1.5}, {1e-3, 1e3}, {0.9, 1.1}, {0.6, 1.8}, {11, 99}, {1e-30, 1e30}}
	for _, lo := range []float64{1e-7, 0.013, 0.3, 0.99, 1, 1.7, 4.2, 9.5, 37, 1e5} {
		for _, span := range []float64{1.01, 1.1, 1.5, 2, 3, 7, 10, 15, 40, 100, 1e4, 1e8} {
			ranges = append(ranges, [2]float64{lo, lo * span})
		}
	}
	for _, r := range ranges {
		ticks := powerTicks{}.Ticks(r[0], r[1])
		labels := labelsOf(ticks)
		if len(labels) < 2 {
			t.Errorf("[%v, %v]: %d labelled ticks %q, want ≥ 2", r[0], r[1], len(labels), labels)
		}
		for _, tk := range ticks {
			if tk.Value < r[0] || tk.Value > r[1] {
				t.Errorf("[%v, %v]: tick %v outside the range", r[0], r[1], tk.Value)
			}
		}
	}
}
