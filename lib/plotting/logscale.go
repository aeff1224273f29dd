package plotting

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// LogAxis makes an axis logarithmic, with a labelled tick at every power of
// ten ("10⁻⁷", see PowerOfTen) and unlabelled ticks at 2…9 times each power. Points with a
// value ≤ 0 on a logarithmic axis cannot be drawn: Config.LogX and LogY
// make the axes logarithmic before Lines adds the points, and so leave
// those points out; added before LogAxis, they make PNG and SVG return an
// error that names the axis. A flat range, such as a
// single point, is drawn over [v/FlatLogFactor, v·FlatLogFactor].
//
// An axis of a figure made by Lines or Functions keeps its margin
// (DataMargin).
func LogAxis(a *plot.Axis) {
	if m, ok := a.Scale.(margin); ok {
		m.Normalizer = plot.LogScale{}
		a.Scale = m
	} else {
		a.Scale = plot.LogScale{}
	}
	a.Tick.Marker = powerTicks{}
}

// powerTicks marks powers of ten; when the axis spans more than 12 decades
// it labels every other power, so that labels do not overlap. An axis
// spanning less than a decade, with fewer than two powers of ten, also
// labels 1, 2 and 5 times each power in plain numbers ("0.1", "0.2", "0.5"), and one too narrow for
// two of those gets gonum's plot.DefaultTicks, so that every axis has
// labelled ticks.
//
// every, if more than 1, labels only every every-th power of ten: the
// layout (fitTicks) sets it on an axis too short for all their labels.
type powerTicks struct{ every int }

func (t powerTicks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= 0 || !(min < max) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	every := 1
	if hi-lo > 12 {
		every = 2
	}
	if t.every > every {
		every = t.every
	}
	var ticks []plot.Tick
	powers := 0
	for e := lo; e <= hi; e++ {
		p := math.Pow(10, float64(e))
		if p >= min && p <= max {
			label := ""
			if e%every == 0 {
				label = PowerOfTen(e)
			}
			ticks = append(ticks, plot.Tick{Value: p, Label: label})
			powers++
		}
		for k := 2; k <= 9; k++ {
			v := float64(k) * p
			if v >= min && v <= max {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	if powers >= 2 {
		return ticks
	}
	labelled := 0
	for i, tk := range ticks {
		m := tk.Value / math.Pow(10, math.Floor(math.Log10(tk.Value)+1e-9))
		if tk.Label != "" || math.Abs(m-2) < 1e-9 || math.Abs(m-5) < 1e-9 {
			ticks[i].Label = tickNumber(tk.Value)
			labelled++
		}
	}
	if labelled >= 2 {
		return ticks
	}
	return plot.DefaultTicks{}.Ticks(min, max)
}

// tickNumber writes v with 3 significant digits, a very small or large v
// as a multiple of a power of ten ("2×10⁻⁵") rather than Go's "2e-05".
func tickNumber(v float64) string {
	s := fmt.Sprintf("%.3g", v)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	e, err := strconv.Atoi(exp)
	if err != nil {
		return s // unreachable: %g writes a decimal exponent
	}
	if mant == "1" {
		return PowerOfTen(e)
	}
	return mant + "×" + PowerOfTen(e)
}

// PowerOfTen returns 10 to the power e written with a superscript
// exponent, as on the logarithmic axes: "10⁻⁷", "10⁰", "10³".
func PowerOfTen(e int) string { return "10" + Superscript(strconv.Itoa(e)) }
