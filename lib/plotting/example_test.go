package plotting_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"

	"github.com/redesneuronales/course/lib/plotting"
)

// Draw a function and its derivative on one figure and render it as a PNG
// at twice the screen resolution.
func ExampleFunctions() {
	p := plotting.Functions(
		plotting.Config{Title: "tanh and its derivative", XLabel: "z"},
		plotting.Range{Min: -4, Max: 4},
		plotting.Func{Name: "tanh(z)", F: math.Tanh},
		plotting.Func{Name: "1 − tanh²(z)", F: func(z float64) float64 { t := math.Tanh(z); return 1 - t*t }},
	)
	b, err := plotting.PNG(p, 0, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	img, _ := png.Decode(bytes.NewReader(b))
	fmt.Println(img.Bounds().Size())
	// Output: (1152,720)
}

// A series with a non-finite value is drawn with a gap, and the figure says so.
func ExampleLines() {
	x := []float64{1, 2, 3, 4}
	cost := []float64{2.3, 0.9, math.NaN(), 0.4}
	p := plotting.Lines(plotting.Config{Title: "training cost"}, plotting.Series{Name: "C", X: x, Y: cost})
	fmt.Println(p.Title.Text)
	// Output:
	// training cost
	// (1 NaN/Inf point not drawn)
}

// Series 0–7 get the eight colours of the palette with solid lines; series
// 8 starts the palette over with dashes.
func ExampleSeriesStyle() {
	for _, i := range []int{0, 1, 8} {
		s := plotting.SeriesStyle(i)
		fmt.Println(i, s.Color, len(s.Dashes))
	}
	// Output:
	// 0 {0 114 178 255} 0
	// 1 {213 94 0 255} 0
	// 8 {0 114 178 255} 2
}

// The palette has eight colours, the first a blue.
func ExampleColors() {
	c := plotting.Colors()
	fmt.Println(len(c), c[0] == plotting.SeriesColor(0))
	// Output: 8 true
}

// A figure of the default width prints at its size in the course's PDF;
// a row of two panels is shrunk to the 161 mm output area, so its 10-point
// tick labels would print at 5.3 pt: PNG draws them at 15.2 pt, which
// prints at 8 pt.
func ExamplePrintScale() {
	row, _ := plotting.Row(nil, nil).Size()
	fmt.Printf("%.2f %.2f\n", plotting.PrintScale(plotting.DefaultWidth), plotting.PrintScale(row))
	fmt.Printf("%.1f pt\n", plotting.PrintedSize(10, row).Points())
	// Output:
	// 1.00 0.53
	// 5.3 pt
}
