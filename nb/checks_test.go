package nb

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestCheckRelErrAndHolds(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name       string
		check      Check
		wantRelErr float64 // compared within 1e-5 relative, or exactly for 0 and +Inf
		wantHolds  bool
	}{
		{"equal", Check{Analytic: 1.5, Numeric: 1.5}, 0, true},
		{"both zero", Check{Analytic: 0, Numeric: 0}, 0, true},
		{"1e-8 off, default tol", Check{Analytic: 1, Numeric: 1 + 1e-8}, 1e-8, true},
		{"1e-6 off, default tol", Check{Analytic: 1, Numeric: 1 + 1e-6}, 1e-6, false},
		{"1e-6 off, tol 1e-5", Check{Analytic: 1, Numeric: 1 + 1e-6, Tol: 1e-5}, 1e-6, true},
		{"1e-8 off, tol 1e-9", Check{Analytic: 1, Numeric: 1 + 1e-8, Tol: 1e-9}, 1e-8, false},
		{"relative, not absolute", Check{Analytic: 1e6, Numeric: 1e6 + 1e-2}, 1e-8, true},
		{"small values, relative error large", Check{Analytic: 1e-12, Numeric: 2e-12}, 0.5, false},
		{"at the tolerance holds", Check{Analytic: 2, Numeric: 1, Tol: 0.5}, 0.5, true},
		{"just over the tolerance fails", Check{Analytic: 2, Numeric: 1, Tol: 0.4999999}, 0.5, false},
		{"opposite signs", Check{Analytic: 1, Numeric: -1, Tol: 1}, 2, false},
		{"NaN analytic", Check{Analytic: math.NaN(), Numeric: 1, Tol: 1e10}, inf, false},
		{"NaN numeric", Check{Analytic: 1, Numeric: math.NaN()}, inf, false},
		{"symmetric", Check{Analytic: 1 + 1e-6, Numeric: 1}, 1e-6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.check.RelErr()
			switch {
			case tt.wantRelErr == 0 || math.IsInf(tt.wantRelErr, 0):
				if got != tt.wantRelErr {
					t.Errorf("RelErr() = %g, want %g", got, tt.wantRelErr)
				}
			case math.Abs(got-tt.wantRelErr) > 1e-5*tt.wantRelErr:
				t.Errorf("RelErr() = %g, want %g", got, tt.wantRelErr)
			}
			if h := tt.check.Holds(); h != tt.wantHolds {
				t.Errorf("Holds() = %v, want %v (relative error %g, Tol %g)", h, tt.wantHolds, got, tt.check.Tol)
			}
		})
	}
}

func TestDefaultTol(t *testing.T) {
	if DefaultTol != 1e-7 {
		t.Errorf("DefaultTol = %g, want 1e-7", DefaultTol)
	}
	// A zero Tol behaves as DefaultTol.
	for _, relErr := range []float64{5e-8, 9e-8, 2e-7, 1e-6} {
		c := Check{Analytic: 1, Numeric: 1 + relErr}
		explicit := c
		explicit.Tol = DefaultTol
		if c.Holds() != explicit.Holds() {
			t.Errorf("relative error %g: Holds() with Tol 0 = %v, with Tol DefaultTol = %v", relErr, c.Holds(), explicit.Holds())
		}
	}
}

// Checks of each kind, for the tables below.
var (
	passing       = Check{Name: "pass", Analytic: 1, Numeric: 1}
	failing       = Check{Name: "fail", Analytic: 1, Numeric: 2}
	expectedFail  = Check{Name: "xfail", Analytic: 1, Numeric: 2, Expect: ExpectFail}
	unexpectedRun = Check{Name: "xpass", Analytic: 1, Numeric: 1, Expect: ExpectFail}
)

func named(c Check, name string) Check { c.Name = name; return c }

func TestSummarize(t *testing.T) {
	tests := []struct {
		name   string
		checks []Check
		want   CheckSummary
	}{
		{"none", nil, CheckSummary{}},
		{"one passing", []Check{passing}, CheckSummary{Passed: 1}},
		{"one failing", []Check{failing}, CheckSummary{Failed: 1}},
		{"expected failure", []Check{expectedFail}, CheckSummary{ExpectedFailures: 1}},
		{"ExpectFail that holds counts as failed", []Check{unexpectedRun}, CheckSummary{Failed: 1}},
		{"NaN expected to fail", []Check{{Analytic: math.NaN(), Expect: ExpectFail}}, CheckSummary{ExpectedFailures: 1}},
		{
			"mix",
			[]Check{passing, passing, failing, expectedFail, expectedFail, expectedFail, unexpectedRun},
			CheckSummary{Passed: 2, Failed: 2, ExpectedFailures: 3},
		},
		{
			"custom tolerance decides",
			[]Check{
				{Analytic: 1, Numeric: 1.001, Tol: 1e-2},                     // holds: passed
				{Analytic: 1, Numeric: 1.001},                                // fails: failed
				{Analytic: 1, Numeric: 1.001, Tol: 1e-2, Expect: ExpectFail}, // holds: failed
				{Analytic: 1, Numeric: 1.001, Expect: ExpectFail},            // fails: expected
			},
			CheckSummary{Passed: 1, Failed: 2, ExpectedFailures: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.checks); got != tt.want {
				t.Errorf("Summarize() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDisplayChecks(t *testing.T) {
	tests := []struct {
		name        string
		checks      []Check
		wantSummary string
		wantErr     bool
		errHas      []string // substrings of the error
		errHasNot   []string // names that must not be blamed
		outHas      []string // substrings of the printed table
	}{
		{
			name:        "all pass",
			checks:      []Check{named(passing, "a"), named(passing, "b")},
			wantSummary: "checks: 2 passed, 0 failed, 0 expected failures",
			outHas:      []string{"a ", "b ", "✓"},
		},
		{
			name:        "passing and expected failures",
			checks:      []Check{named(passing, "a"), named(expectedFail, "wrong formula")},
			wantSummary: "checks: 1 passed, 0 failed, 1 expected failures",
			outHas:      []string{"✗ as expected"},
		},
		{
			name:        "a must-hold check fails",
			checks:      []Check{named(passing, "good"), named(failing, "bad"), named(expectedFail, "xfail")},
			wantSummary: "checks: 1 passed, 1 failed, 1 expected failures",
			wantErr:     true,
			errHas:      []string{"nb: ", "1 of 3", `"title"`, "bad"},
			errHasNot:   []string{"good", "xfail"},
			outHas:      []string{"✗ FAILED"},
		},
		{
			name:        "an expected failure holds",
			checks:      []Check{named(unexpectedRun, "now right"), named(passing, "good")},
			wantSummary: "checks: 1 passed, 1 failed, 0 expected failures",
			wantErr:     true,
			errHas:      []string{"1 of 2", "now right"},
			errHasNot:   []string{"good"},
			outHas:      []string{"✓ holds, but expected to fail"},
		},
		{
			name:        "several failures are all named",
			checks:      []Check{named(failing, "f1"), named(unexpectedRun, "f2"), named(failing, "f3")},
			wantSummary: "checks: 0 passed, 3 failed, 0 expected failures",
			wantErr:     true,
			errHas:      []string{"3 of 3", "f1, f2, f3"},
		},
		{
			name:        "empty list",
			checks:      nil,
			wantSummary: "checks: 0 passed, 0 failed, 0 expected failures",
			wantErr:     true,
			errHas:      []string{"nb: ", "no derivation checks", `"title"`},
		},
		{
			name:        "table columns",
			checks:      []Check{{Name: "σ'(0)", Analytic: 0.25, Numeric: 0.25, Tol: 1e-9}},
			wantSummary: "checks: 1 passed, 0 failed, 0 expected failures",
			outHas:      []string{"check", "analytic", "numeric", "relative error", "tolerance", "result", "σ'(0)", "0.25", "0.00e+00", "1e-09"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := NewDisplay(&buf, "").Checks("title", tt.checks)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Checks() error = %v, want error: %v", err, tt.wantErr)
			}
			if err != nil {
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				for _, s := range tt.errHasNot {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error %q names %q, which came out as expected", err, s)
					}
				}
			}
			out := buf.String()
			ls := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if ls[0] != "title" {
				t.Errorf("first line %q, want the title", ls[0])
			}
			if last := ls[len(ls)-1]; last != tt.wantSummary {
				t.Errorf("last line %q, want %q", last, tt.wantSummary)
			}
			// title, header, one row per check, summary
			if len(ls) != len(tt.checks)+3 {
				t.Errorf("printed %d lines, want %d:\n%s", len(ls), len(tt.checks)+3, out)
			}
			for _, s := range tt.outHas {
				if !strings.Contains(out, s) {
					t.Errorf("output does not contain %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestDisplayChecksExactOutput(t *testing.T) {
	var buf bytes.Buffer
	err := NewDisplay(&buf, "").Checks("d/dx", []Check{
		{Name: "ok", Analytic: 2, Numeric: 2},
		{Name: "off", Analytic: 2, Numeric: 1, Expect: ExpectFail},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "d/dx\n" +
		"check  analytic  numeric  relative error  tolerance  result\n" +
		"ok     2         2        0.00e+00        1e-07      ✓\n" +
		"off    2         1        5.00e-01        1e-07      ✗ as expected\n" +
		"checks: 1 passed, 0 failed, 1 expected failures\n"
	if got := buf.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestDerivativeChecks(t *testing.T) {
	square := func(x float64) float64 { return x * x }
	sigmoid := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	tests := []struct {
		name      string
		f, df     func(float64) float64
		xs        []float64
		wantHolds bool
	}{
		{"sin' = cos", math.Sin, math.Cos, []float64{-2, -1, -0.5, 0, 0.5, 1, 2, 3}, true},
		{"exp' = exp", math.Exp, math.Exp, []float64{-3, 0, 1, 4}, true},
		{"(x²)' = 2x", square, func(x float64) float64 { return 2 * x }, []float64{-3, -1, 0.5, 2}, true},
		{"σ' = σ(1-σ)", sigmoid, func(x float64) float64 { s := sigmoid(x); return s * (1 - s) }, []float64{-4, -1, 0, 1, 4}, true},
		{"(x²)' = x is wrong", square, func(x float64) float64 { return x }, []float64{-2, 1, 2, 3}, false},
		{"sin' = -cos is wrong", math.Sin, func(x float64) float64 { return -math.Cos(x) }, []float64{-1, 0, 1}, false},
		{"σ' = σ is wrong", sigmoid, sigmoid, []float64{-1, 0, 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := DerivativeChecks("f'", tt.f, tt.df, tt.xs...)
			if len(checks) != len(tt.xs) {
				t.Fatalf("got %d checks, want %d", len(checks), len(tt.xs))
			}
			for i, c := range checks {
				x := tt.xs[i]
				if c.Analytic != tt.df(x) {
					t.Errorf("check %d: Analytic = %g, want df(%g) = %g", i, c.Analytic, x, tt.df(x))
				}
				if c.Tol != 0 || c.Expect != MustHold {
					t.Errorf("check %d: Tol %g, Expect %v; want zero values", i, c.Tol, c.Expect)
				}
				if c.Holds() != tt.wantHolds {
					t.Errorf("%s at %g: Holds() = %v, want %v (analytic %g, numeric %g, relative error %g)",
						tt.name, x, c.Holds(), tt.wantHolds, c.Analytic, c.Numeric, c.RelErr())
				}
			}
			s := Summarize(checks)
			if tt.wantHolds && s != (CheckSummary{Passed: len(tt.xs)}) {
				t.Errorf("Summarize = %+v, want all %d passed", s, len(tt.xs))
			}
			if !tt.wantHolds && s != (CheckSummary{Failed: len(tt.xs)}) {
				t.Errorf("Summarize = %+v, want all %d failed", s, len(tt.xs))
			}
		})
	}
}

func TestDerivativeChecksNames(t *testing.T) {
	checks := DerivativeChecks("σ'", math.Sin, math.Cos, 0, 0.5, -2, 1e-3, 100)
	want := []string{"σ'(0)", "σ'(0.5)", "σ'(-2)", "σ'(0.001)", "σ'(100)"}
	for i, c := range checks {
		if c.Name != want[i] {
			t.Errorf("check %d named %q, want %q", i, c.Name, want[i])
		}
	}
	if got := DerivativeChecks("f'", math.Sin, math.Cos); len(got) != 0 {
		t.Errorf("no points: got %d checks, want none", len(got))
	}
}

func TestDerivativeChecksDisplayed(t *testing.T) {
	// The wrong derivative of x², shown as the notes' error, comes out as
	// expected; the right one passes.
	square := func(x float64) float64 { return x * x }
	wrong := DerivativeChecks("x (wrong)", square, func(x float64) float64 { return x }, 1, 2)
	for i := range wrong {
		wrong[i].Expect = ExpectFail
	}
	right := DerivativeChecks("2x", square, func(x float64) float64 { return 2 * x }, 1, 2)
	var buf bytes.Buffer
	if err := NewDisplay(&buf, "").Checks("d/dx x²", append(wrong, right...)); err != nil {
		t.Errorf("Checks() = %v, want nil", err)
	}
	if !strings.Contains(buf.String(), "checks: 2 passed, 0 failed, 2 expected failures\n") {
		t.Errorf("summary missing:\n%s", buf.String())
	}
}
