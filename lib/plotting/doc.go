// Package plotting draws the course's figures with gonum/plot.
//
// It builds ordinary *plot.Plot values, so a caller can still adjust any
// part of a figure with gonum/plot before rendering it, and it renders them
// to PNG or SVG bytes without any notebook machinery: the package nb shows
// the bytes inline in a GoNB notebook, tests and command-line tools write
// them to files.
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
// Misuse by the caller, such as series whose X and Y lengths differ or an
// empty range, panics with a message that starts with "plotting: ".
package plotting
