package nb

import (
	"os"
	"strings"

	"gonum.org/v1/plot"

	"github.com/redesneuronales/course/lib/plotting"
)

// QuickEnv names the environment variable that switches notebooks to quick
// mode. The test suite sets COURSE_QUICK=1; any value other than "", "0"
// and "false" turns quick mode on.
const QuickEnv = "COURSE_QUICK"

// Quick reports whether notebooks run in quick mode, with less data and
// fewer epochs, as under the test suite.
func Quick() bool {
	switch os.Getenv(QuickEnv) {
	case "", "0", "false":
		return false
	}
	return true
}

// Pick returns full normally and quick in quick mode. Notebooks use it for
// every setting that decides how long a cell runs:
//
//	epochs := nb.Pick(30, 2)
func Pick[T any](full, quick T) T {
	if Quick() {
		return quick
	}
	return full
}

// QuickNote is what quick mode adds to the title of every figure the
// Display shows and to the caption of every RunTable, so that a reader of
// a quick run (make test, QUICK=1 make export) never takes its numbers,
// trained on smaller data sets for fewer epochs, for the notebook's
// results. It is shown in the current language, T(QuickNote).
const QuickNote = " (quick mode: tiny run)"

// quickCaption returns s with QuickNote, in the current language,
// appended in quick mode (the note alone, without its leading space, for
// an empty s).
func quickCaption(s string) string {
	note := T(QuickNote)
	switch {
	case !Quick() || strings.HasSuffix(s, note):
		return s
	case s == "":
		return strings.TrimPrefix(note, " ")
	}
	return s + note
}

// quickTitles appends QuickNote to the title of every panel of f (a
// *plot.Plot or a plotting.Grid) in quick mode, or makes it the title of
// the first panel when none has one, and returns the function that puts
// the titles back.
func quickTitles(f plotting.Drawer) (restore func()) {
	var panels []*plot.Plot
	switch f := f.(type) {
	case *plot.Plot:
		panels = []*plot.Plot{f}
	case plotting.Grid:
		for _, row := range f {
			for _, p := range row {
				if p != nil {
					panels = append(panels, p)
				}
			}
		}
	}
	if !Quick() || len(panels) == 0 {
		return func() {}
	}
	old := make([]string, len(panels))
	titled := false
	for i, p := range panels {
		old[i] = p.Title.Text
		if p.Title.Text != "" {
			p.Title.Text = quickCaption(p.Title.Text)
			titled = true
		}
	}
	if !titled {
		panels[0].Title.Text = quickCaption("")
	}
	return func() {
		for i, p := range panels {
			p.Title.Text = old[i]
		}
	}
}
