package plotting

import (
	"math"
	"testing"
)

// Rendering time matters: every rerun of a notebook cell redraws its figures.

func BenchmarkPNG(b *testing.B) {
	p := Functions(Config{Title: "tanh", XLabel: "z"}, Range{Min: -4, Max: 4}, Func{Name: "tanh", F: math.Tanh})
	for b.Loop() {
		if _, err := PNG(p, 0, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	p := Functions(Config{Title: "tanh", XLabel: "z"}, Range{Min: -4, Max: 4}, Func{Name: "tanh", F: math.Tanh})
	for b.Loop() {
		if _, err := SVG(p, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}
