package plotting

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Drawer is anything that draws itself on a canvas: a *plot.Plot or a Grid.
type Drawer interface {
	Draw(c draw.Canvas)
}

// Grid is a figure made of panels, given row by row. Rows shorter than the
// longest leave empty space on the right, as do nil panels. The plotting
// areas of panels in one column share their left and right edges, and
// those in one row their top and bottom.
type Grid [][]*plot.Plot

// Row returns a Grid of one row.
func Row(panels ...*plot.Plot) Grid { return Grid{panels} }

// Draw draws every panel in its tile, laid out as PNG lays out a figure
// (text large enough to print, labels fitted, legends off the data).
func (g Grid) Draw(c draw.Canvas) { g.draw(c) }

// panelLayout is how Grid.Draw or drawPlot drew a panel: its layout copy,
// its legend's place and its data area.
type panelLayout struct {
	plot   *plot.Plot
	legend legendPlace
	data   draw.Canvas
}

// draw draws g on c and returns the layout of each panel, nil for a
// missing one.
func (g Grid) draw(c draw.Canvas) [][]*panelLayout {
	cols := 0
	for _, row := range g {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	tiles := draw.Tiles{
		Rows: len(g), Cols: cols,
		PadX: 6 * vg.Millimeter, PadY: 6 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter,
		PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter,
	}
	// Each panel is laid out as PNG lays out a figure (see drawPlot), for
	// the width of the whole grid, from a copy.
	min := minTextSize(c.Size().X)
	full := make([][]*plot.Plot, len(g))
	for i, row := range g {
		full[i] = make([]*plot.Plot, cols)
		for j := range full[i] {
			if j >= len(row) || row[j] == nil {
				full[i][j] = New()
				full[i][j].HideAxes()
				continue
			}
			q := layoutCopy(row[j], min)
			fitLabels(q, tiles.At(c, j, i), min)
			full[i][j] = q
		}
	}
	canvases := plot.Align(full, tiles, c)
	// Panels that show the same legend, one of which would have to put it
	// outside its data area, share one legend below the grid, in columns.
	var shared *legendPlace
	if names, from, ok := sharedLegend(full); ok && anyOutside(g, full, canvases) {
		cols, rows, colW, h := legendColumns(from, names, c.Size().X)
		w := vg.Length(cols) * colW
		x := c.Min.X + (c.Size().X-w)/2
		shared = &legendPlace{rect: vg.Rectangle{Min: vg.Point{X: x, Y: c.Min.Y}, Max: vg.Point{X: x + w, Y: c.Min.Y + h}}, left: true, outside: true}
		drawLegendColumns(c, from, shared.rect, cols, rows, colW)
		for _, row := range full {
			for _, q := range row {
				q.Legend = emptyLegend(q)
			}
		}
		rest := c
		rest.Min.Y += h
		canvases = plot.Align(full, tiles, rest)
	}
	layout := make([][]*panelLayout, len(g))
	for i, row := range g {
		layout[i] = make([]*panelLayout, len(row))
		for j, p := range row {
			if p != nil {
				place, data := drawPanel(full[i][j], canvases[i][j])
				if shared != nil {
					place = *shared
				}
				keepRanges(p, full[i][j])
				layout[i][j] = &panelLayout{plot: full[i][j], legend: place, data: data}
			}
		}
	}
	return layout
}

// anyOutside reports whether the legend of a panel of g, laid out as
// full on canvases, would go outside its data area.
func anyOutside(g Grid, full [][]*plot.Plot, canvases [][]draw.Canvas) bool {
	for i, row := range g {
		for j, p := range row {
			if p == nil {
				continue
			}
			if names := LegendEntries(full[i][j]); len(names) > 0 && placeLegend(full[i][j], canvases[i][j], names).outside {
				return true
			}
		}
	}
	return false
}

// Size returns a figure size for the grid: DefaultWidth per column up to
// two columns, then the width of two panels shared among all columns, and
// a height of DefaultHeight per row (a little less for rows of many
// panels).
func (g Grid) Size() (w, h vg.Length) {
	cols := 0
	for _, row := range g {
		cols = max(cols, len(row))
	}
	w = DefaultWidth * vg.Length(min(cols, 2))
	h = DefaultHeight * vg.Length(len(g))
	if cols > 2 {
		h = h * 0.8
	}
	return w, h
}
