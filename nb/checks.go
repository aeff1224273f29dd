package nb

// The checks a notebook shows: one type, Check, for every claim (a
// derivative against its central difference, a whole gradient against its
// numeric approximation, a measurement against the notes' number, an
// inequality), the functions that build them, and the table that shows
// them and fails the cell when one does not come out as expected.

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

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
	// ExpectFail shows that a claim, usually one of the notes that the
	// notebook corrects, disagrees with the numbers. The check is displayed
	// as a failure and does not fail the cell; if it unexpectedly holds, the
	// cell fails, because the notebook's claim no longer matches the numbers.
	ExpectFail
)

// Relation is the claim a check makes about its value Got and its
// reference Want.
type Relation int

const (
	// Close claims that Got agrees with Want to a relative error of at
	// most Tol (see Check.RelErr).
	Close Relation = iota
	// LessOrEqual claims Got ≤ Want: Want is an upper bound.
	LessOrEqual
	// GreaterOrEqual claims Got ≥ Want: Want is a lower bound.
	GreaterOrEqual
)

// Check is one claim a notebook shows: a value Got, computed by a formula
// or measured, against a reference Want, such as a central difference, the
// number the notes or Nielsen report, or a bound.
//
// A check of a whole vector, such as ∂C/∂W^(2) with all its entries, sets
// GotVec and WantVec instead of Got and Want. Its relative error is that
// of the whole vector, ‖got − want‖₂ / max(‖got‖₂, ‖want‖₂)
// (nn.VectorRelativeError), as nn.CheckGradients and CS231n use: entries
// that are almost zero (a saturated neuron, an input pixel near 0) carry
// rounding noise of the central difference, about 1e-11, that is large
// relative to them, and an entry-by-entry relative error would be
// dominated by that noise.
type Check struct {
	Name      string  // What is checked, for example "σ'(0.5)".
	Got, Want float64 // The value and its reference.
	// GotVec and WantVec, when either is set, are the value and the
	// reference of a check of a whole vector; Got and Want are then not
	// used. They must have the same length.
	GotVec, WantVec []float64
	// Rel is the claim; the zero value is Close. A vector check can only
	// claim Close.
	Rel Relation
	// Tol is the largest relative error accepted by a Close check; zero
	// means DefaultTol.
	Tol    float64
	Expect Expectation
	// Claim is the id of the claim of the notes that the check tests, as
	// listed in the ledger (nb/ledger/*.yaml), such as "3:bp1"; empty for
	// a check of the course's own code. See the function Claim.
	Claim string
}

// claimID is the form of a claim id: the notes' section, a colon and a
// lower-case slug, such as "3:bp1", "4.4:adam-bias-correction" or
// "B.2.1:huber-derivative".
var claimID = regexp.MustCompile(`^([0-9]+(\.[0-9]+)*|[AB](\.[0-9]+)*):[a-z0-9]+(-[a-z0-9]+)*$`)

// Claim returns checks with their Claim set to id, the id of the entry of
// the ledger of the notes' claims (nb/ledger) that they test. The export's
// page "The notes, checked" shows, for each entry, the rows that carry its
// id, and a test fails if an entry's verdict contradicts them. It panics
// if id is not of the form section:slug ("3:bp1").
func Claim(id string, checks ...Check) []Check {
	if !claimID.MatchString(id) {
		panic(fmt.Sprintf("nb: claim id %q is not of the form section:slug, such as \"3:bp1\" or \"B.2.1:huber-derivative\"", id))
	}
	out := make([]Check, len(checks))
	for i, c := range checks {
		c.Claim = id
		out[i] = c
	}
	return out
}

// isVector reports whether c checks a whole vector (GotVec and WantVec).
func (c Check) isVector() bool { return c.GotVec != nil || c.WantVec != nil }

// RelErr returns the relative error between the value and the reference:
// |got − want| / max(|got|, |want|) (nn.RelativeError), or for a vector
// check ‖got − want‖₂ / max(‖got‖₂, ‖want‖₂); 0 when both vanish and +Inf
// when a value is NaN. It panics if the vectors differ in length.
func (c Check) RelErr() float64 {
	if !c.isVector() {
		return nn.RelativeError(c.Got, c.Want)
	}
	if len(c.GotVec) != len(c.WantVec) {
		panic(fmt.Sprintf("nb: check %q: %d values and %d references", c.Name, len(c.GotVec), len(c.WantVec)))
	}
	for i := range c.GotVec {
		if math.IsNaN(c.GotVec[i]) || math.IsNaN(c.WantVec[i]) {
			return math.Inf(1)
		}
	}
	return nn.VectorRelativeError(c.GotVec, c.WantVec)
}

// Holds reports whether the claim is true: the relative error is within
// the tolerance, or the value is on the right side of its bound. A NaN
// value holds no claim. It panics if a vector check claims a bound.
func (c Check) Holds() bool {
	switch c.Rel {
	case Close:
		return c.RelErr() <= c.tol()
	case LessOrEqual, GreaterOrEqual:
		if c.isVector() {
			panic(fmt.Sprintf("nb: check %q: a bound on a vector", c.Name))
		}
		if c.Rel == LessOrEqual {
			return c.Got <= c.Want
		}
		return c.Got >= c.Want
	}
	panic(fmt.Sprintf("nb: check %q: unknown relation %d", c.Name, c.Rel))
}

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
			Name: fmt.Sprintf("%s(%g)", name, x),
			Got:  df(x),
			Want: nn.NumericDerivative(f, x, 0),
		}
	}
	return checks
}

// EntryChecks returns one must-hold check per entry of got against the
// same entry of want: vectors ([]float64, or a matrix of one column) give
// checks named name[i], matrices name[i,j], with indices counted from 1
// as in the notes (w_ij). Keep them small: every entry becomes a row of
// the table. Change the Expect of single entries to show where a formula
// fails. It panics if the shapes differ.
func EntryChecks[T []float64 | *mat.Dense | *mat.VecDense](name string, got, want T) []Check {
	r, c, g := entries(got)
	wr, wc, w := entries(want)
	if wr != r || wc != c {
		panic(fmt.Sprintf("nb: EntryChecks %q: shapes %d×%d and %d×%d differ", name, r, c, wr, wc))
	}
	checks := make([]Check, 0, r*c)
	for i := range r {
		for j := range c {
			n := fmt.Sprintf("%s[%d,%d]", name, i+1, j+1)
			if c == 1 {
				n = fmt.Sprintf("%s[%d]", name, i+1)
			}
			checks = append(checks, Check{Name: n, Got: g(i, j), Want: w(i, j)})
		}
	}
	return checks
}

// entries returns the shape of v, a slice being a column, and its entries.
func entries(v any) (r, c int, at func(i, j int) float64) {
	switch v := v.(type) {
	case []float64:
		return len(v), 1, func(i, _ int) float64 { return v[i] }
	case mat.Matrix:
		r, c := v.Dims()
		return r, c, v.At
	}
	panic(fmt.Sprintf("nb: EntryChecks of a %T", v))
}

// ParamChecks returns one vector check per parameter: the whole gradient
// got[i] against its reference want[i], both shaped like params[i].Value,
// named "∂C/∂W⁽¹⁾ (method)" and so on (without the parenthesis when method
// is empty). tol zero means DefaultTol. It panics if the lists or shapes
// disagree.
func ParamChecks(method string, params []*nn.Param, got, want []*mat.Dense, tol float64) []Check {
	if len(got) != len(params) || len(want) != len(params) {
		panic(fmt.Sprintf("nb: ParamChecks: %d parameters, %d gradients and %d references", len(params), len(got), len(want)))
	}
	cs := make([]Check, len(params))
	for i, p := range params {
		r, c := p.Value.Dims()
		for _, g := range []*mat.Dense{got[i], want[i]} {
			if gr, gc := g.Dims(); gr != r || gc != c {
				panic(fmt.Sprintf("nb: ParamChecks: gradient of %s is %d×%d, parameter is %d×%d", p.Name, gr, gc, r, c))
			}
		}
		name := "∂C/∂" + ParamSymbol(p.Name)
		if method != "" {
			name += " (" + method + ")"
		}
		cs[i] = Check{Name: name, GotVec: flatten(got[i]), WantVec: flatten(want[i]), Tol: tol}
	}
	return cs
}

// flatten returns the entries of m row by row.
func flatten(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}

// GradientChecks compares the gradient of every parameter of net on the
// batch (x, y), computed by backpropagation (with the cost's simplified
// δ^(L) where it has one), with central differences (nn.CheckGradients).
// Each parameter gives one check: both gradients projected on the same
// random unit direction u, ∂C/∂θ · u, which is the directional derivative of
// C along u. A wrong gradient fails it except for unlucky u of probability
// zero. Names are label plus the parameter name.
func GradientChecks(label string, net *nn.Network, x, y *mat.Dense, rng *rand.Rand) []Check {
	var cs []Check
	for _, pc := range nn.CheckGradients(net, x, y, 0) {
		u := make([]float64, len(pc.Analytic))
		for i := range u {
			u[i] = rng.NormFloat64()
		}
		floats.Scale(1/floats.Norm(u, 2), u)
		cs = append(cs, Check{
			Name: fmt.Sprintf("%s: ∂C/∂%s · u", label, pc.Param.Name),
			Got:  floats.Dot(pc.Analytic, u),
			Want: floats.Dot(pc.Numeric, u),
		})
	}
	return cs
}

// WithinFactor returns a check that value and reference agree within a
// factor f > 1, that is 1/f ≤ value/reference ≤ f. Its tolerance on the
// relative error |a − n| / max(|a|, |n|) is 1 − 1/f, which is the same
// condition for numbers of the same sign.
func WithinFactor(name string, value, reference, f float64) Check {
	if !(f > 1) {
		panic(fmt.Sprintf("nb: WithinFactor: factor must be > 1, got %g", f))
	}
	return Check{Name: name, Got: value, Want: reference, Tol: 1 - 1/f}
}

// AtMost returns a check of the inequality value ≤ bound.
func AtMost(name string, value, bound float64) Check {
	return Check{Name: name, Got: value, Want: bound, Rel: LessOrEqual}
}

// AtLeast returns a check of the inequality value ≥ bound.
func AtLeast(name string, value, bound float64) Check {
	return Check{Name: name, Got: value, Want: bound, Rel: GreaterOrEqual}
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
		switch {
		case !c.ok():
			s.Failed++
		case c.Expect == ExpectFail:
			s.ExpectedFailures++
		default:
			s.Passed++
		}
	}
	return s
}

// outcome is the result column of a check table, in the current language.
func outcome(ok bool, expect Expectation) string {
	switch {
	case !ok && expect == MustHold:
		return T("✗ FAILED")
	case !ok:
		return T("✓ holds, but expected to fail")
	case expect == ExpectFail:
		return T("✗ as expected")
	}
	return "✓"
}

// cells returns the value, reference, relative-error and tolerance cells
// of c's row, in English, as the ledger records them: for a vector check
// the norms and the number of entries, for a bound the relation in place
// of a relative error and a tolerance.
func (c Check) cells() []string {
	if c.isVector() {
		c.RelErr() // panics on a length mismatch, naming the check
		return []string{
			fmt.Sprintf("‖·‖ = %.6g (%d entries)", floats.Norm(c.GotVec, 2), len(c.GotVec)),
			fmt.Sprintf("‖·‖ = %.6g", floats.Norm(c.WantVec, 2)),
			fmt.Sprintf("%.2e", c.RelErr()),
			fmt.Sprintf("%.0e", c.tol()),
		}
	}
	got, want := fmt.Sprintf("%.10g", c.Got), fmt.Sprintf("%.10g", c.Want)
	switch c.Rel {
	case LessOrEqual:
		return []string{got, want, "—", "got ≤ want"}
	case GreaterOrEqual:
		return []string{got, want, "—", "got ≥ want"}
	}
	return []string{got, want, fmt.Sprintf("%.2e", c.RelErr()), fmt.Sprintf("%.0e", c.tol())}
}

// shownCells returns cells as the table shows them, their words in the
// current language.
func (c Check) shownCells() []string {
	cells := c.cells()
	switch {
	case c.isVector():
		cells[0] = Tf("‖·‖ = %.6g (%d entries)", floats.Norm(c.GotVec, 2), len(c.GotVec))
	case c.Rel == LessOrEqual:
		cells[3] = T("got ≤ want")
	case c.Rel == GreaterOrEqual:
		cells[3] = T("got ≥ want")
	}
	return cells
}

// Checks shows a table of checks under a title, with the value, the
// reference, the relative error, the tolerance (or the bound) and the
// outcome of each, and returns an error naming the checks that did not
// come out as expected. When a check tests a claim of the notes (its
// Claim is set), the table starts with a "claim" column. In a notebook,
// the table carries the counts of passed, failed and expected-to-fail
// checks for the test harness (nb/harness), and each row that tests a
// claim carries the claim id and its outcome for the ledger's test and the
// export's page "The notes, checked".
func (d *Display) Checks(title string, checks []Check) error {
	t, failed, err := checkTable(title, checks)
	if err != nil {
		return err
	}
	s := Summarize(checks)
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
		return fmt.Errorf("nb: %d of %d checks in %q did not come out as expected: %s",
			len(failed), len(checks), title, strings.Join(failed, ", "))
	}
	if len(checks) == 0 {
		return fmt.Errorf("nb: no checks in %q", title)
	}
	return nil
}

// checkTable returns the table Checks shows and the names of the checks
// that did not come out as expected.
func checkTable(title string, checks []Check) (Table, []string, error) {
	// The columns' keys name them for programs (nb/harness/slides.py keeps
	// some of them on a slide) in every language; their headers are in
	// the current language.
	t := Table{
		Caption:    title,
		Header:     []string{T("check"), T("got"), T("want"), T("relative error"), T("tolerance"), T("result")},
		headerKeys: []string{"check", "got", "want", "relative error", "tolerance", "result"},
	}
	claims := false
	for _, c := range checks {
		claims = claims || c.Claim != ""
	}
	if claims {
		t.Header = append([]string{T("claim")}, t.Header...)
		t.headerKeys = append([]string{"claim"}, t.headerKeys...)
	}
	var failed []string
	for _, c := range checks {
		if !c.ok() {
			failed = append(failed, c.Name)
		}
		row := append(append([]string{c.Name}, c.shownCells()...), outcome(c.ok(), c.Expect))
		attrs := ""
		if claims {
			row = append([]string{c.Claim}, row...)
		}
		if c.Claim != "" {
			// Read by nb/harness/ledger.py: the claim, the check and its
			// outcome, and the numbers shown in the row, in English
			// whatever the language of the table.
			cells := c.cells()
			rec, err := json.Marshal(claimRecord{
				Claim: c.Claim, Check: c.Name, Outcome: c.outcomeKey(),
				Got: cells[0], Want: cells[1], RelErr: cells[2], Tol: cells[3],
			})
			if err != nil {
				return Table{}, nil, fmt.Errorf("nb: check %q: %v", c.Name, err)
			}
			attrs = fmt.Sprintf(` data-nb-claim="%s"`, html.EscapeString(string(rec)))
		}
		t.Rows = append(t.Rows, row)
		t.rowAttrs = append(t.rowAttrs, attrs)
	}
	return t, failed, nil
}

// claimRecord is what a check table's row tells the ledger about a check
// of a claim of the notes: its numbers as shown, and its outcome.
type claimRecord struct {
	Claim   string `json:"claim"`
	Check   string `json:"check"`
	Outcome string `json:"outcome"` // see Check.outcomeKey
	Got     string `json:"got"`
	Want    string `json:"want"`
	RelErr  string `json:"relative_error"`
	Tol     string `json:"tolerance"`
}

// outcomeKey names the outcome of c for the ledger: "held" (a MustHold
// check that held), "expected-failure" (an ExpectFail check that failed),
// "failed" or "unexpected-hold".
func (c Check) outcomeKey() string {
	switch {
	case c.ok() && c.Expect == MustHold:
		return "held"
	case c.ok():
		return "expected-failure"
	case c.Expect == MustHold:
		return "failed"
	}
	return "unexpected-hold"
}

// Checks shows a table of checks on the Default display. If a check does
// not come out as expected, it ends the program with exit status 1, which
// fails the notebook cell, after showing the table and the error.
func Checks(title string, checks ...Check) { exitOn(Default().Checks(title, checks)) }
