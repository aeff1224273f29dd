package plotting

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

func TestDescribe(t *testing.T) {
	x, y := []float64{1, 2, 3}, []float64{3, 2, 1}
	positive := []float64{0.1, 1, 10}
	untitled := plot.New()
	for _, tc := range []struct {
		name string
		fig  Drawer
		want string
	}{
		{
			name: "title, axes and series",
			fig: Lines(Config{Title: "Cost against epoch", XLabel: "epoch", YLabel: "cost C"},
				Series{Name: "η = 0.1", X: x, Y: y}, Series{Name: "η = 3", X: x, Y: y}),
			want: "Cost against epoch. Horizontal axis: epoch; vertical axis: cost C. Series: η = 0.1; η = 3.",
		},
		{
			name: "no title: described by its axes",
			fig:  Functions(Config{XLabel: "z", YLabel: "σ(z)"}, Range{Min: -1, Max: 1}, Func{Name: "σ", F: math.Tanh}),
			want: "Figure of σ(z) against z. Horizontal axis: z; vertical axis: σ(z). Series: σ.",
		},
		{
			name: "nothing to read",
			fig:  untitled,
			want: "Untitled figure.",
		},
		{
			name: "unnamed series add no entry; one axis label",
			fig:  Lines(Config{Title: "Weights", XLabel: "w"}, Series{X: x, Y: y}),
			want: "Weights. Horizontal axis: w.",
		},
		{
			name: "logarithmic axis, a title on two lines, a vertical line",
			fig: func() *plot.Plot {
				p := Lines(Config{Title: "Speed\nof learning", XLabel: "epoch", YLabel: "‖∂C/∂b‖", LogY: true}, Series{Name: "layer 1", X: x, Y: positive})
				AddVerticalLine(p, 2, "best epoch")
				return p
			}(),
			want: "Speed of learning. Horizontal axis: epoch; vertical axis: ‖∂C/∂b‖ (logarithmic). Series: layer 1; best epoch.",
		},
		{
			name: "the note of dropped points is part of the title",
			fig:  Lines(Config{Title: "training cost"}, Series{Name: "C", X: x, Y: []float64{1, math.NaN(), 2}}),
			want: "training cost (1 NaN/Inf point not drawn). Series: C.",
		},
		{
			name: "grid: every panel, nil panels skipped",
			fig: Grid{
				{Lines(Config{Title: "Training"}, Series{Name: "a", X: x, Y: y}), nil},
				{Histogram(Config{Title: "Weights", XLabel: "w"}, y, 0, 4, 4)},
			},
			want: "Figure of 2 panels in 2 rows of 2 columns. Panel 1: Training. Series: a. Panel 2: Weights. Horizontal axis: w; vertical axis: count.",
		},
		{
			name: "image grid",
			fig:  ImageGrid(ImageGridConfig{Title: "Misclassified digits"}, [][]float64{{0, 1, 1, 0}}, 2, 2),
			want: "Misclassified digits.",
		},
	} {
		if got := Describe(tc.fig); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestDescribeIn describes figures with the words of another language;
// the fields left empty stay English.
func TestDescribeIn(t *testing.T) {
	x, y := []float64{1, 2, 3}, []float64{3, 2, 1}
	spanish := DescribeWords{
		Figure: "Figura.", EmptyPanel: "Panel vacío.", Untitled: "Figura sin título.",
		Against: "Figura de %s frente a %s", Horizontal: "eje horizontal: %s", Vertical: "eje vertical: %s",
		Logarithmic: " (logarítmico)", Series: "Series: %s", Grid: "Figura de %s en %s de %s.",
		Panel: "panel", Panels: "paneles", Row: "fila", Rows: "filas", Column: "columna", Columns: "columnas",
		PanelN: "Panel %d: %s",
	}
	for _, tc := range []struct {
		name  string
		fig   Drawer
		words DescribeWords
		want  string
	}{
		{
			name:  "untitled, a logarithmic axis",
			fig:   Lines(Config{XLabel: "época", YLabel: "coste", LogY: true}, Series{Name: "η = 0.1", X: x, Y: y}),
			words: spanish,
			want:  "Figura de coste frente a época. Eje horizontal: época; eje vertical: coste (logarítmico). Series: η = 0.1.",
		},
		{
			name:  "grid with an empty panel and an untitled one",
			fig:   Grid{{Lines(Config{Title: "Pesos"}, Series{Name: "a", X: x, Y: y}), nil, plot.New()}},
			words: spanish,
			want:  "Figura de 2 paneles en 1 fila de 3 columnas. Panel 1: Pesos. Series: a. Panel 2: Figura sin título.",
		},
		{
			name:  "an image grid without a title",
			fig:   ImageGrid(ImageGridConfig{}, nil, 2, 2),
			words: spanish,
			want:  "Figura sin título.",
		},
		{
			name:  "empty fields stay English",
			fig:   Lines(Config{XLabel: "época", YLabel: "coste"}),
			words: DescribeWords{Against: "Figura de %s frente a %s"},
			want:  "Figura de coste frente a época. Horizontal axis: época; vertical axis: coste.",
		},
		{
			name:  "a capital letter outside ASCII",
			fig:   Lines(Config{XLabel: "x"}),
			words: DescribeWords{Horizontal: "éje: %s"},
			want:  "Untitled figure. Éje: x.",
		},
	} {
		if got := DescribeIn(tc.fig, tc.words); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	if got, want := DescribeIn(nil, spanish), "Figura."; got != want {
		t.Errorf("a nil Drawer: %q, want %q", got, want)
	}
}

func TestLegendEntries(t *testing.T) {
	x := []float64{0, 1}
	p := Lines(Config{}, Series{Name: "first", X: x, Y: x}, Series{X: x, Y: x}, Series{Name: "third, with a comma", X: x, Y: x})
	AddPaths(p, Series{Name: "path", X: x, Y: x})
	AddPoints(p, Series{Name: "minimum", X: x[:1], Y: x[:1]})
	want := []string{"first", "third, with a comma", "path", "minimum"}
	if got := LegendEntries(p); !slices.Equal(got, want) {
		t.Errorf("LegendEntries = %q, want %q", got, want)
	}
	if got := LegendEntries(p); !slices.Equal(got, want) {
		t.Errorf("LegendEntries changed the legend: second call = %q", got)
	}
	if got := LegendEntries(plot.New()); len(got) != 0 {
		t.Errorf("LegendEntries of an empty legend = %q", got)
	}
}
