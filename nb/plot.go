package nb

import (
	"bytes"
	"fmt"
	pngconfig "image/png"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/redesneuronales/course/lib/plotting"
)

// PlotSize shows a gonum figure of w × h points (zero means the plotting
// package's default size).
//
// In quick mode (see Quick) every title of the figure ends with QuickNote.
//
// The figure is rendered as a PNG at twice the screen resolution and shown
// at half its pixel size, so it stays sharp on HiDPI screens; the size is
// stored in the output's metadata, which HTML export keeps. So is a text
// alternative for readers who cannot see the figure, made from its title,
// axis labels and legend (plotting.DescribeIn, its words in the current
// language), which the HTML export writes as the image's alt attribute.
func (d *Display) PlotSize(p *plot.Plot, w, h vg.Length) error {
	return d.figure(p, p.Title.Text, w, h)
}

// Panels shows a grid of figures side by side (see plotting.Grid), at the
// grid's own size when w or h is zero.
func (d *Display) Panels(g plotting.Grid, w, h vg.Length) error {
	gw, gh := g.Size()
	if w == 0 {
		w = gw
	}
	if h == 0 {
		h = gh
	}
	title := ""
	if len(g) > 0 && len(g[0]) > 0 && g[0][0] != nil {
		title = g[0][0].Title.Text
	}
	return d.figure(g, title, w, h)
}

// figure renders and shows f; title names it in errors. In quick mode the
// titles carry QuickNote.
func (d *Display) figure(f plotting.Drawer, title string, w, h vg.Length) error {
	defer quickTitles(f)()
	png, err := plotting.PNG(f, w, h, 2*plotting.ScreenDPI)
	if err != nil {
		return fmt.Errorf("nb: rendering figure %q: %w", title, err)
	}
	wPx, hPx := plotting.PixelSize(w, h)
	if !d.notebook {
		cfg, err := pngconfig.DecodeConfig(bytes.NewReader(png))
		if err != nil {
			return fmt.Errorf("nb: rendering figure %q: %w", title, err)
		}
		return d.savePNG(png, cfg.Width, cfg.Height)
	}
	gonbui.SendData(&protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		Metadata: pngMetadata(plotting.DescribeIn(f, describeWords()), wPx, hPx),
	})
	gonbui.Sync()
	return nil
}

// describeWords returns the words of a figure's text alternative
// (plotting.DescribeIn) in the current language.
func describeWords() plotting.DescribeWords {
	return plotting.DescribeWords{
		Figure:      T("Figure."),
		EmptyPanel:  T("Empty panel."),
		Untitled:    T("Untitled figure."),
		Against:     T("Figure of %s against %s"),
		Horizontal:  T("horizontal axis: %s"),
		Vertical:    T("vertical axis: %s"),
		Logarithmic: T(" (logarithmic)"),
		Series:      T("Series: %s"),
		Grid:        T("Figure of %s in %s of %s."),
		Panel:       T("panel"),
		Panels:      T("panels"),
		Row:         T("row"),
		Rows:        T("rows"),
		Column:      T("column"),
		Columns:     T("columns"),
		PanelN:      T("Panel %d: %s"),
	}
}

// pngMetadata is the metadata of a PNG output: under the "image/png" key,
// as Jupyter keeps it, the size at which to show it in CSS pixels, and its
// alt text under "alt". The alt text sits at the top level of the metadata
// because GoNB passes metadata to the kernel with encoding/gob, which only
// knows the map types GoNB registers (map[string]int, map[string]string,
// …), none of which holds a size and a text; nbconvert's lookup
// (get_metadata('alt', 'image/png'), used by its templates and ours) reads
// "alt" under "image/png" first and at the top level next.
func pngMetadata(alt string, widthPx, heightPx int) map[string]any {
	return map[string]any{
		string(protocol.MIMEImagePNG): map[string]int{"width": widthPx, "height": heightPx},
		"alt":                         alt,
	}
}

// Plot shows a gonum figure at the default size.
func (d *Display) Plot(p *plot.Plot) error { return d.PlotSize(p, 0, 0) }

// Plot shows a gonum figure at the default size on the Default display.
// A figure that cannot be rendered ends the cell with the error.
func Plot(p *plot.Plot) { exitOn(Default().Plot(p)) }

// PlotSize shows a gonum figure of w × h points on the Default display.
func PlotSize(p *plot.Plot, w, h vg.Length) { exitOn(Default().PlotSize(p, w, h)) }

// PlotRow shows figures side by side in one row on the Default display.
func PlotRow(panels ...*plot.Plot) { exitOn(Default().Panels(plotting.Row(panels...), 0, 0)) }

// Panels shows a grid of figures on the Default display.
func Panels(g plotting.Grid) { exitOn(Default().Panels(g, 0, 0)) }
