package nb

import (
	"io"
	"os"
	"slices"
	"testing"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func TestQuickAndPick(t *testing.T) {
	tests := []struct {
		value string
		unset bool // unset the variable instead of setting it to value
		quick bool
	}{
		{unset: true, quick: false},
		{value: "", quick: false},
		{value: "0", quick: false},
		{value: "false", quick: false},
		{value: "1", quick: true},
		{value: "yes", quick: true},
		{value: "true", quick: true},
		// As documented, any other value turns quick mode on, even these.
		{value: "FALSE", quick: true},
		{value: " 0", quick: true},
		{value: "no", quick: true},
	}
	for _, tt := range tests {
		name := "COURSE_QUICK=" + tt.value
		if tt.unset {
			name = "unset"
		}
		t.Run(name, func(t *testing.T) {
			t.Setenv(QuickEnv, tt.value) // restores the variable after the test
			if tt.unset {
				os.Unsetenv(QuickEnv)
			}
			if got := Quick(); got != tt.quick {
				t.Errorf("Quick() = %v, want %v", got, tt.quick)
			}
			wantInt, wantStr, wantSize := 30, "full", [2]int{60000, 784}
			if tt.quick {
				wantInt, wantStr, wantSize = 2, "quick", [2]int{500, 784}
			}
			if got := Pick(30, 2); got != wantInt {
				t.Errorf("Pick(30, 2) = %d, want %d", got, wantInt)
			}
			if got := Pick("full", "quick"); got != wantStr {
				t.Errorf("Pick(%q, %q) = %q, want %q", "full", "quick", got, wantStr)
			}
			if got := Pick([2]int{60000, 784}, [2]int{500, 784}); got != wantSize {
				t.Errorf("Pick(arrays) = %v, want %v", got, wantSize)
			}
		})
	}
}

func TestQuickEnvName(t *testing.T) {
	if QuickEnv != "COURSE_QUICK" {
		t.Errorf("QuickEnv = %q, want COURSE_QUICK (the test suite sets it)", QuickEnv)
	}
}

// TestQuickNote: in quick mode every figure's titles and every RunTable's
// caption say the numbers come from a tiny run (06's single-point curves
// beside Nielsen's 99%); in full mode nothing changes; the titles are put
// back after the figure is drawn.
func TestQuickNote(t *testing.T) {
	titled := func(titles ...string) plotting.Grid {
		var row []*plot.Plot
		for _, s := range titles {
			p := plot.New()
			p.Title.Text = s
			row = append(row, p)
		}
		return plotting.Row(row...)
	}
	titles := func(g plotting.Grid) (s []string) {
		for _, p := range g[0] {
			s = append(s, p.Title.Text)
		}
		return s
	}
	run := Result{Run: Run{Label: "SGD"}, History: nn.History{{Epoch: 1, ValidationAccuracy: 0.9}}}
	for _, c := range []struct {
		quick       string
		grid        []string
		want        []string
		caption     string
		wantCaption string
	}{
		{"", []string{"step 1: cost", "step 1: accuracy"}, []string{"step 1: cost", "step 1: accuracy"}, "After 30 epochs", "After 30 epochs"},
		{"1", []string{"step 1: cost", "step 1: accuracy"}, []string{"step 1: cost (quick mode: tiny run)", "step 1: accuracy (quick mode: tiny run)"},
			"After 30 epochs", "After 30 epochs (quick mode: tiny run)"},
		{"1", []string{"", ""}, []string{"(quick mode: tiny run)", ""}, "", "(quick mode: tiny run)"},
		{"1", []string{"", "b (quick mode: tiny run)"}, []string{"", "b (quick mode: tiny run)"}, "c (quick mode: tiny run)", "c (quick mode: tiny run)"},
	} {
		t.Setenv(QuickEnv, c.quick)
		g := titled(c.grid...)
		restore := quickTitles(g)
		if got := titles(g); !slices.Equal(got, c.want) {
			t.Errorf("quick=%q: titles %q, want %q", c.quick, got, c.want)
		}
		restore()
		if got := titles(g); !slices.Equal(got, c.grid) {
			t.Errorf("quick=%q: titles after drawing %q, want them back as %q", c.quick, got, c.grid)
		}
		single := g[0][0]
		restore = quickTitles(single)
		if single.Title.Text != c.want[0] && c.grid[0] != "" {
			t.Errorf("quick=%q: one plot's title %q, want %q", c.quick, single.Title.Text, c.want[0])
		}
		restore()
		if got := RunTable(c.caption, []Result{run}, ValidationAccuracy.Last()).Caption; got != c.wantCaption {
			t.Errorf("quick=%q: RunTable caption %q, want %q", c.quick, got, c.wantCaption)
		}
	}
	// A figure shown on a display carries the note only while it is drawn.
	t.Setenv(QuickEnv, "1")
	p := plot.New()
	p.Title.Text = "cost"
	if err := NewDisplay(io.Discard, "").Plot(p); err != nil {
		t.Fatal(err)
	}
	if p.Title.Text != "cost" {
		t.Errorf("title after Plot %q, want it unchanged", p.Title.Text)
	}
}
