package nb

import (
	"fmt"
	"strings"

	"github.com/redesneuronales/course/lib/nn"
)

// DefaultTol is the largest relative error a check accepts when its Tol is
// zero: CS231n's threshold for a correct analytic gradient in float64.
const DefaultTol = 1e-7

// Expectation says what a check is meant to show.
type Expectation int

const (
	// MustHold checks a formula believed right; if it fails, the cell fails.
	MustHold Expectation = iota
	// ExpectFail shows that a formula, usually one of the notes that the
	// notebook corrects, disagrees with the numbers. The check is displayed
	// as a failure and does not fail the cell; if it unexpectedly holds, the
	// cell fails, because the notebook's claim no longer matches the numbers.
	ExpectFail
)

// Check compares an analytic value with a numeric one, such as a derivative
// and its central difference.
type Check struct {
	Name     string  // What is checked, for example "σ'(0.5)".
	Analytic float64 // Value of the formula.
	Numeric  float64 // Value computed numerically.
	Tol      float64 // Largest accepted relative error; zero means DefaultTol.
	Expect   Expectation
}

// RelErr returns the relative error between the analytic and numeric values
// (see nn.RelativeError).
func (c Check) RelErr() float64 { return nn.RelativeError(c.Analytic, c.Numeric) }

// Holds reports whether the relative error is within the tolerance.
func (c Check) Holds() bool { return c.RelErr() <= c.tol() }

// tol returns the tolerance in force: Tol, or DefaultTol when Tol is zero.
func (c Check) tol() float64 {
	if c.Tol == 0 {
		return DefaultTol
	}
	return c.Tol
}

// ok reports whether the check came out as expected.
func (c Check) ok() bool { return c.Holds() == (c.Expect == MustHold) }

// DerivativeChecks returns one check per point x comparing df(x), the
// derivative claimed by a formula, with the central difference of f at x.
// name is the derivative's name, such as "σ'".
func DerivativeChecks(name string, f, df func(float64) float64, xs ...float64) []Check {
	checks := make([]Check, len(xs))
	for i, x := range xs {
		checks[i] = Check{
			Name:     fmt.Sprintf("%s(%g)", name, x),
			Analytic: df(x),
			Numeric:  nn.NumericDerivative(f, x, 0),
		}
	}
	return checks
}

// CheckSummary counts the outcomes of a table of checks.
type CheckSummary struct {
	Passed           int // MustHold checks that held.
	Failed           int // Checks that did not come out as expected.
	ExpectedFailures int // ExpectFail checks that failed, as they should.
}

// Summarize counts the outcomes of checks.
func Summarize(checks []Check) CheckSummary {
	var s CheckSummary
	for _, c := range checks {
		s.add(c.ok(), c.Expect)
	}
	return s
}

// add counts one check that came out as expected (ok) or not.
func (s *CheckSummary) add(ok bool, expect Expectation) {
	switch {
	case !ok:
		s.Failed++
	case expect == ExpectFail:
		s.ExpectedFailures++
	default:
		s.Passed++
	}
}

// outcome is the result column of a check table.
func outcome(ok bool, expect Expectation) string {
	switch {
	case !ok && expect == MustHold:
		return "✗ FAILED"
	case !ok:
		return "✓ holds, but expected to fail"
	case expect == ExpectFail:
		return "✗ as expected"
	}
	return "✓"
}

// Checks shows a table of checks under a title, with the analytic value,
// the numeric value, the relative error, the tolerance and the outcome of
// each, and returns an error naming the checks that did not come out as
// expected.
func (d *Display) Checks(title string, checks []Check) error {
	t := Table{
		Caption: title,
		Header:  []string{"check", "analytic", "numeric", "relative error", "tolerance", "result"},
	}
	var failed []string
	for _, c := range checks {
		if !c.ok() {
			failed = append(failed, c.Name)
		}
		t.Rows = append(t.Rows, []string{
			c.Name,
			fmt.Sprintf("%.10g", c.Analytic),
			fmt.Sprintf("%.10g", c.Numeric),
			fmt.Sprintf("%.2e", c.RelErr()),
			fmt.Sprintf("%.0e", c.tol()),
			outcome(c.ok(), c.Expect),
		})
	}
	return d.checkTable(t, Summarize(checks), failed, "derivation checks")
}

// checkTable shows a table of checks with its summary and returns an error
// naming the failed checks, or saying that there were none at all; kind
// names the checks in that error.
func (d *Display) checkTable(t Table, s CheckSummary, failed []string, kind string) error {
	if d.notebook {
		// The data attribute is read by the test harness (nb/harness), which
		// counts checks and fails a notebook with a failed check.
		attrs := fmt.Sprintf(` class="nb-checks" data-nb-checks="passed=%d failed=%d expected=%d"`,
			s.Passed, s.Failed, s.ExpectedFailures)
		d.HTML(t.html(attrs))
	} else {
		d.printf("%s", t.text())
		d.printf("checks: %d passed, %d failed, %d expected failures\n", s.Passed, s.Failed, s.ExpectedFailures)
	}
	if len(failed) > 0 {
		return fmt.Errorf("nb: %d of %d %s in %q did not come out as expected: %s",
			len(failed), len(t.Rows), kind, t.Caption, strings.Join(failed, ", "))
	}
	if len(t.Rows) == 0 {
		return fmt.Errorf("nb: no %s in %q", kind, t.Caption)
	}
	return nil
}

// Checks shows a table of checks on the Default display. If a check does
// not come out as expected, it ends the program with exit status 1, which
// fails the notebook cell, after showing the table and the error.
func Checks(title string, checks ...Check) { exitOn(Default().Checks(title, checks)) }
