package plotting

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// LogAxis makes an axis logarithmic, with a labelled tick at every power of
// ten ("1e-07") and unlabelled ticks at 2…9 times each power. Points with a
// value ≤ 0 on a logarithmic axis cannot be drawn: drop them first.
func LogAxis(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = powerTicks{}
}

// powerTicks marks powers of ten; when the axis spans more than 12 decades
// it labels every other power, so that labels do not overlap.
type powerTicks struct{}

func (powerTicks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= 0 || !(min < max) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	every := 1
	if hi-lo > 12 {
		every = 2
	}
	var ticks []plot.Tick
	for e := lo; e <= hi; e++ {
		p := math.Pow(10, float64(e))
		if p >= min && p <= max {
			label := ""
			if e%every == 0 {
				label = "1e" + strconv.Itoa(e)
			}
			ticks = append(ticks, plot.Tick{Value: p, Label: label})
		}
		for k := 2; k <= 9; k++ {
			v := float64(k) * p
			if v >= min && v <= max {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}
