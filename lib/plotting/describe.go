package plotting

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

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
//
// The words around the figure's own texts are English; DescribeIn writes
// them in another language.
func Describe(f Drawer) string { return DescribeIn(f, DescribeWords{}) }

// DescribeWords holds the words that Describe writes around a figure's own
// texts, for a figure drawn in another language than English. Every
// field's zero value stands for the English text given beside it; a
// format's verbs are filled in the order given.
type DescribeWords struct {
	Figure     string // "Figure." (a Drawer that is neither a plot nor a grid)
	EmptyPanel string // "Empty panel."
	Untitled   string // "Untitled figure."
	// Against describes an untitled plot by its axes: "Figure of %s
	// against %s", the y label then the x label.
	Against     string
	Horizontal  string // "horizontal axis: %s", the x label
	Vertical    string // "vertical axis: %s", the y label
	Logarithmic string // " (logarithmic)", after the label of a logarithmic axis
	Series      string // "Series: %s", the legend's names joined by "; "
	// Grid describes a Grid: "Figure of %s in %s of %s.", filled with
	// the counts of panels, rows and columns, each a number followed by
	// the singular or the plural word below.
	Grid            string
	Panel, Panels   string // "panel", "panels"
	Row, Rows       string // "row", "rows"
	Column, Columns string // "column", "columns"
	PanelN          string // "Panel %d: %s", a panel's number and its description
}

// orEnglish returns the words of w with English in place of empty fields.
func (w DescribeWords) orEnglish() DescribeWords {
	or := func(s *string, en string) {
		if *s == "" {
			*s = en
		}
	}
	or(&w.Figure, "Figure.")
	or(&w.EmptyPanel, "Empty panel.")
	or(&w.Untitled, "Untitled figure.")
	or(&w.Against, "Figure of %s against %s")
	or(&w.Horizontal, "horizontal axis: %s")
	or(&w.Vertical, "vertical axis: %s")
	or(&w.Logarithmic, " (logarithmic)")
	or(&w.Series, "Series: %s")
	or(&w.Grid, "Figure of %s in %s of %s.")
	or(&w.Panel, "panel")
	or(&w.Panels, "panels")
	or(&w.Row, "row")
	or(&w.Rows, "rows")
	or(&w.Column, "column")
	or(&w.Columns, "columns")
	or(&w.PanelN, "Panel %d: %s")
	return w
}

// DescribeIn is Describe with the words w.
func DescribeIn(f Drawer, w DescribeWords) string {
	w = w.orEnglish()
	switch f := f.(type) {
	case *plot.Plot:
		return describePlot(f, w)
	case Grid:
		return describeGrid(f, w)
	}
	return w.Figure
}

func describePlot(p *plot.Plot, w DescribeWords) string {
	if p == nil {
		return w.EmptyPanel
	}
	var parts []string
	title := strings.Join(strings.Fields(p.Title.Text), " ")
	x, y := p.X.Label.Text, p.Y.Label.Text
	switch {
	case title != "":
		parts = append(parts, sentence(title))
	case x != "" && y != "":
		parts = append(parts, sentence(fmt.Sprintf(w.Against, y, x)))
	default:
		parts = append(parts, w.Untitled)
	}
	var axes []string
	if x != "" {
		axes = append(axes, fmt.Sprintf(w.Horizontal, x+logNote(&p.X, w)))
	}
	if y != "" {
		axes = append(axes, fmt.Sprintf(w.Vertical, y+logNote(&p.Y, w)))
	}
	if len(axes) > 0 {
		parts = append(parts, sentence(capitalize(strings.Join(axes, "; "))))
	}
	if names := LegendEntries(p); len(names) > 0 {
		parts = append(parts, sentence(fmt.Sprintf(w.Series, strings.Join(names, "; "))))
	}
	return strings.Join(parts, " ")
}

func describeGrid(g Grid, w DescribeWords) string {
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
	parts := []string{fmt.Sprintf(w.Grid, plural(n, w.Panel, w.Panels), plural(rows, w.Row, w.Rows), plural(cols, w.Column, w.Columns))}
	k := 0
	for _, row := range g {
		for _, p := range row {
			if p == nil {
				continue
			}
			k++
			parts = append(parts, fmt.Sprintf(w.PanelN, k, describePlot(p, w)))
		}
	}
	return strings.Join(parts, " ")
}

// logNote says that an axis is logarithmic.
func logNote(a *plot.Axis, w DescribeWords) string {
	if isLogScale(a.Scale) {
		return w.Logarithmic
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

// capitalize writes the first letter of s in upper case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
