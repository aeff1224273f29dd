package plotting

import (
	"strings"

	"gonum.org/v1/plot"
)

// minusTicks writes the labels of another plot.Ticker with the minus sign
// − (U+2212) of the figures' notation instead of the hyphen-minus "-"
// that strconv writes: "−0.5" for "-0.5". New gives both axes of every
// figure gonum/plot's DefaultTicks through it.
type minusTicks struct{ plot.Ticker }

// Ticks returns the ticks of the wrapped Ticker with their labels rewritten.
func (t minusTicks) Ticks(min, max float64) []plot.Tick {
	ticks := t.Ticker.Ticks(min, max)
	for i, tk := range ticks {
		if rest, ok := strings.CutPrefix(tk.Label, "-"); ok {
			ticks[i].Label = "−" + rest
		}
	}
	return ticks
}
