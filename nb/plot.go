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
	png, err := plotting.PNG(p, w, h, 2*plotting.ScreenDPI)
	if err != nil {
		return fmt.Errorf("nb: rendering figure %q: %w", p.Title.Text, err)
	}
	wPx, hPx := plotting.PixelSize(w, h)
	if !d.notebook {
		cfg, err := pngconfig.DecodeConfig(bytes.NewReader(png))
		if err != nil {
			return fmt.Errorf("nb: rendering figure %q: %w", p.Title.Text, err)
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
