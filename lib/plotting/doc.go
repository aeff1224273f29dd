// Package plotting draws the course's figures with gonum/plot.
//
// It builds ordinary *plot.Plot values, so a caller can still adjust any
// part of a figure with gonum/plot before rendering it, and it renders them
// to PNG or SVG bytes without any notebook machinery: the package nb shows
// the bytes inline in a GoNB notebook, tests and command-line tools write
// them to files.
//
// Every text of a figure made here, title, axis and tick labels, legend and
// image titles, is drawn in DejaVu Sans (see Font), embedded in the
// program. Figure text is plain Unicode, not TeX, and the course writes
// the notes' notation with it: W⁽ˡ⁾, δ⁽ᴸ⁾, w₁,₂⁽²⁾, η, σ′, ∇C, ‖·‖, ⊙
// (Subscript and Superscript write indices; logarithmic axes are labelled
// 10⁻⁷, negative ticks −0.5). gonum/plot's default font, Liberation Serif, has no glyph for
// several of these and silently leaves them out, so W⁽¹⁾ would show as W¹.
// The font is set on each figure by New, which every figure of this
// package and of the notebooks' helpers is made with, rather than by
// changing gonum/plot's package-level defaults (plot.DefaultFont,
// font.DefaultCache): a program that imports this package and also calls
// plot.New gets gonum/plot's usual figure, which UseFont converts.
// MissingGlyphs tells whether the font can draw a text.
//
// Non-finite values are common in the course (a cost that diverged, log(0)
// at the edge of a domain). gonum/plot refuses them; this package instead
// drops such points, breaks the line where they were, and writes on the
// figure how many points it left out. Points ≤ 0 on a logarithmic axis
// (Config.LogX, LogY) are left out the same way.
//
// Degenerate ranges render too: PNG and SVG widen a flat range on a
// logarithmic axis (a single point, all values equal, no data) by
// FlatLogFactor, where gonum/plot's ±1 would reach below zero, and return
// an error naming the axis, never a panic from inside gonum/plot, for a
// range no figure can show (values ≤ 0 on an axis made logarithmic after
// they were added, a NaN range).
//
// Figures are laid out for reading when PNG or SVG draws them, at their
// final size, on a copy (the caller's *plot.Plot is not changed):
//
//   - every text, title, axis and tick labels and legend, is at least
//     MinPrintedText (8 pt) when the course's PDF prints the figure
//     (PrintScale: a row of two panels prints at 0.53 of its size, so its
//     text is drawn at 15.2 pt or more);
//   - an axis label longer than its axis is broken into two or three
//     balanced lines, and shrunk if that is not enough (never below that
//     size); the y label is centred on the data area;
//   - the legend goes to the corner that Config.Legend or PlaceLegend asks
//     for if no data lie under it there, else to another corner, else to
//     the free place along an edge of the data area nearest that corner,
//     else outside the data area, on the right or below;
//   - Lines, Functions and Histogram leave DataMargin (4 %) of each axis
//     empty beyond the data, so that no curve runs along the frame or under
//     the title; none below histogram bars, which stand on 0, and none
//     around Contour's colour map, which fills the sampled rectangle.
//
// Series take their colours from the Okabe–Ito palette (Colors,
// SeriesColor), which stays distinct for readers with a red–green colour
// vision deficiency, and change their dashes once its eight colours are
// used up (SeriesStyle), so that no two series of a figure look alike.
//
// The package draws no language but its callers': the few words it writes
// itself are English, each with a way to replace it. Describe's sentences
// take other words through DescribeIn and DescribeWords, and Histogram's
// default y label "count" gives way to Config.YLabel. Only the notes on
// points left out ("(2 NaN/Inf points not drawn)"), which need data that
// a figure cannot show, are always English.
//
// Misuse by the caller, such as series whose X and Y lengths differ or an
// empty range, panics with a message that starts with "plotting: ".
package plotting
