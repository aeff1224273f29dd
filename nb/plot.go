package nb

import (
	"bytes"
	"fmt"
	pngconfig "image/png"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/redesneuronales/course/lib/plotting"
)

// PlotSize shows a gonum figure of w × h points (zero means the plotting
// package's default size).
//
// The figure is rendered as a PNG at twice the screen resolution and shown
// at half its pixel size, so it stays sharp on HiDPI screens; the size is
// stored in the output's metadata, which HTML export keeps.
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

// figure renders and shows f; title names it in errors.
func (d *Display) figure(f plotting.Drawer, title string, w, h vg.Length) error {
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
		Data: map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		Metadata: map[string]any{
			string(protocol.MIMEImagePNG): map[string]int{"width": wPx, "height": hPx},
		},
	})
	gonbui.Sync()
	return nil
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

// exitOn ends the program, and with it the notebook cell, when err is not
// nil. Everything displayed before has already reached the notebook: every
// display waits for GoNB (see Display).
func exitOn(err error) {
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
