package plotting

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// FlatLogFactor is the factor by which PNG and SVG widen a flat range on a
// logarithmic axis (every point at the same value v, or a single point):
// the axis spans [v/FlatLogFactor, v·FlatLogFactor], two decades with at
// least two labelled powers of ten. gonum/plot widens any flat range to
// [v−1, v+1], which is not positive on a logarithmic axis for v < 1.
const FlatLogFactor = 10

// emptyLog is the range of a logarithmic axis without data: [0.1, 10], the
// flat range of v = 1.
var emptyLog = [2]float64{1.0 / FlatLogFactor, FlatLogFactor}

// fixRanges prepares the axes of every panel of the figure for gonum/plot,
// which panics deep inside Draw on a range it cannot draw. It widens flat or
// empty logarithmic ranges by FlatLogFactor, widens a flat linear range at
// a value so large that gonum's ±1 does not change it, and returns an error
// that names the axis for ranges no widening can mend: a logarithmic axis
// whose data reach zero or below, a NaN range, or a linear range wider
// than the largest float64.
func fixRanges(f Drawer) error {
	switch f := f.(type) {
	case *plot.Plot:
		return fixPlotRanges(f)
	case Grid:
		for i, row := range f {
			for j, p := range row {
				if p == nil {
					continue
				}
				if err := fixPlotRanges(p); err != nil {
					return fmt.Errorf("panel %d of row %d: %w", j+1, i+1, err)
				}
			}
		}
	}
	return nil
}

func fixPlotRanges(p *plot.Plot) error {
	if err := fixAxisRange(&p.X, "x"); err != nil {
		return err
	}
	return fixAxisRange(&p.Y, "y")
}

func fixAxisRange(a *plot.Axis, name string) error {
	if a.Label.Text != "" {
		name = fmt.Sprintf("%s axis (%s)", name, a.Label.Text)
	} else {
		name += " axis"
	}
	if math.IsNaN(a.Min) || math.IsNaN(a.Max) {
		return fmt.Errorf("plotting: the %s has the range [%v, %v]: the data hold NaN values this kind of plot cannot leave out", name, a.Min, a.Max)
	}
	if !isLogScale(a.Scale) {
		// gonum/plot maps ±Inf to 0 and widens a flat range by ±1; where
		// ±1 is lost in rounding, widen by a tenth of the value instead.
		if a.Min == a.Max && isFinite(a.Min) && a.Min+1 == a.Min {
			d := math.Abs(a.Min) / 10
			a.Min, a.Max = math.Max(a.Min-d, -math.MaxFloat64), math.Min(a.Max+d, math.MaxFloat64)
		}
		// A span beyond the largest float64 would make gonum's tick
		// search loop for ever.
		if isFinite(a.Min) && isFinite(a.Max) && math.IsInf(a.Max-a.Min, 0) {
			return fmt.Errorf("plotting: the %s has the range [%v, %v], wider than the largest float64 (%v): rescale the data or use a log axis", name, a.Min, a.Max, math.MaxFloat64)
		}
		return nil
	}
	if math.IsInf(a.Min, 1) && math.IsInf(a.Max, -1) {
		// No data: plot.New's empty range [+Inf, −Inf].
		a.Min, a.Max = emptyLog[0], emptyLog[1]
		return nil
	}
	lo, hi := a.Min, a.Max
	if lo > hi {
		lo, hi = hi, lo
	}
	switch {
	case lo <= 0:
		return fmt.Errorf("plotting: the %s is logarithmic, but its data reach %v: values ≤ 0 have no place on a log scale (leave them out or use a linear axis)", name, lo)
	case math.IsInf(hi, 1):
		return fmt.Errorf("plotting: the %s is logarithmic, but its data reach +Inf", name)
	case lo == hi:
		a.Min, a.Max = lo/FlatLogFactor, math.Min(hi*FlatLogFactor, math.MaxFloat64)
	}
	return nil
}

// isLogScale reports whether s draws an axis logarithmically.
func isLogScale(s plot.Normalizer) bool {
	switch s := s.(type) {
	case plot.LogScale, *plot.LogScale:
		return true
	case plot.InvertedScale:
		return isLogScale(s.Normalizer)
	case margin:
		return isLogScale(s.Normalizer)
	}
	return false
}
