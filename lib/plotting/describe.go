package plotting

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// LegendEntries returns the names of p's legend entries, in the order they
// were added (by Lines, Functions, AddPaths, AddPoints, AddVerticalLine or
// p.Legend.Add).
//
// gonum/plot keeps a legend's entries unexported; LegendEntries reads them
// through its public API, by drawing a copy of the legend on a recorder
// canvas with a text handler that notes each entry's text instead of
// drawing it. p is not changed.
func LegendEntries(p *plot.Plot) []string {
	l := p.Legend
	names := &noteNames{Handler: l.TextStyle.Handler}
	if names.Handler == nil {
		names.Handler = plot.DefaultTextHandler
	}
	l.TextStyle.Handler = names
	l.Draw(draw.Canvas{Canvas: new(recorder.Canvas), Rectangle: vg.Rectangle{Max: vg.Point{X: vg.Inch, Y: vg.Inch}}})
	return names.text
}

// noteNames is a text.Handler that notes the text it is asked to draw.
type noteNames struct {
	text.Handler
	text []string
}

func (n *noteNames) Draw(_ vg.Canvas, txt string, _ text.Style, _ vg.Point) {
	n.text = append(n.text, txt)
}

// Describe returns a text alternative for a figure, for readers who cannot
// see it (the alt text of the figure's image): for a *plot.Plot its title,
// its axis labels (and which axes are logarithmic) and the names in its
// legend; for a Grid the number of panels and each panel's description.
// Line breaks in a title become spaces.
//
// A figure without a title is described by its axes ("Figure of cost
// against epoch") or, with no axis labels either, as an untitled figure,
// so the text is never empty. Other Drawers are described as a figure.
func Describe(f Drawer) string {
	switch f := f.(type) {
	case *plot.Plot:
		return describePlot(f)
	case Grid:
		return describeGrid(f)
	}
	return "Figure."
}

func describePlot(p *plot.Plot) string {
	if p == nil {
		return "Empty panel."
	}
	var parts []string
	title := strings.Join(strings.Fields(p.Title.Text), " ")
	x, y := p.X.Label.Text, p.Y.Label.Text
	switch {
	case title != "":
		parts = append(parts, sentence(title))
	case x != "" && y != "":
		parts = append(parts, sentence(fmt.Sprintf("Figure of %s against %s", y, x)))
	default:
		parts = append(parts, "Untitled figure.")
	}
	var axes []string
	if x != "" {
		axes = append(axes, "horizontal axis: "+x+logNote(&p.X))
	}
	if y != "" {
		axes = append(axes, "vertical axis: "+y+logNote(&p.Y))
	}
	if len(axes) > 0 {
		parts = append(parts, sentence(capitalize(strings.Join(axes, "; "))))
	}
	if names := LegendEntries(p); len(names) > 0 {
		parts = append(parts, sentence("Series: "+strings.Join(names, "; ")))
	}
	return strings.Join(parts, " ")
}

func describeGrid(g Grid) string {
	rows, cols, n := len(g), 0, 0
	for _, row := range g {
		cols = max(cols, len(row))
		for _, p := range row {
			if p != nil {
				n++
			}
		}
	}
	plural := func(k int, one, many string) string {
		if k == 1 {
			return fmt.Sprintf("%d %s", k, one)
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	parts := []string{fmt.Sprintf("Figure of %s in %s of %s.", plural(n, "panel", "panels"), plural(rows, "row", "rows"), plural(cols, "column", "columns"))}
	k := 0
	for _, row := range g {
		for _, p := range row {
			if p == nil {
				continue
			}
			k++
			parts = append(parts, fmt.Sprintf("Panel %d: %s", k, describePlot(p)))
		}
	}
	return strings.Join(parts, " ")
}

// logNote says that an axis is logarithmic.
func logNote(a *plot.Axis) string {
	if isLogScale(a.Scale) {
		return " (logarithmic)"
	}
	return ""
}

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
