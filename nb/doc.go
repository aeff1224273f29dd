// Package nb is the glue between the course notebooks and the library: it
// shows figures, formulas, tables, training progress and derivation checks
// inline in a GoNB notebook. It is the only package of the course that
// imports GoNB's gonbui.
//
// Every call also works outside a notebook (go test, go run): text goes to
// an io.Writer and figures are written as PNG files to a folder, so the
// package is tested like any other.
//
// A notebook cell uses the package-level functions, which write to the
// Default display:
//
//	nb.Markdown(`The derivative is $\sigma'(z) = \sigma(z)(1-\sigma(z))$.`)
//	nb.Plot(plotting.Functions(cfg, r, fs...))
//	nb.Checks("σ' against central differences", checks...)
//
// Code that needs its own destination creates a Display with NewDisplay.
//
// # Quick mode
//
// The test suite runs every notebook with the environment variable
// COURSE_QUICK=1 (see Quick), in which notebooks shrink data and epochs with
// Pick so that the whole course executes in minutes. Opened in JupyterLab,
// the notebooks run in full.
//
// # Checks
//
// Every claim a notebook checks is a Check (checks.go): a value Got against
// a reference Want, with a tolerance on their relative error or a bound
// (AtMost, AtLeast), for single numbers or for whole vectors such as a
// gradient (GotVec, WantVec); DerivativeChecks, EntryChecks, ParamChecks
// and GradientChecks build them. A failed must-hold check fails the
// notebook cell: Checks ends the cell's program with exit status 1 after
// showing the table, and the test suite reports the notebook and cell.
// Checks that demonstrate a wrong formula of the notes are marked
// ExpectFail; they are shown with their numbers and do not fail the cell.
//
// The test surfaces of §2 and §4.4 (Quadratic2D, DoubleWell, Rosenbrock,
// Saddle) are in surfaces.go.
//
// # Languages
//
// The course is written in English; an edition in another language sets
// COURSE_LANG (LangEnv) in its notebooks' wiring cell, and everything the
// course draws is then in that language: figure titles, axis labels,
// legends, table captions and headers, progress lines. The package's own
// words go through T, and so do the notebooks' (nb.T, nb.Tf), from one
// catalog per language, a Go map (i18n_es.go for Spanish). Check names and
// titles, the notebooks' printed output and everything a program reads
// back (data attributes, the ledger's records) stay English.
package nb
