package nb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func TestCheckRelErrAndHolds(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name       string
		check      Check
		wantRelErr float64 // compared within 1e-5 relative, or exactly for 0 and +Inf
		wantHolds  bool
	}{
		{"equal", Check{Got: 1.5, Want: 1.5}, 0, true},
		{"both zero", Check{Got: 0, Want: 0}, 0, true},
		{"1e-8 off, default tol", Check{Got: 1, Want: 1 + 1e-8}, 1e-8, true},
		{"1e-6 off, default tol", Check{Got: 1, Want: 1 + 1e-6}, 1e-6, false},
		{"1e-6 off, tol 1e-5", Check{Got: 1, Want: 1 + 1e-6, Tol: 1e-5}, 1e-6, true},
		{"1e-8 off, tol 1e-9", Check{Got: 1, Want: 1 + 1e-8, Tol: 1e-9}, 1e-8, false},
		{"relative, not absolute", Check{Got: 1e6, Want: 1e6 + 1e-2}, 1e-8, true},
		{"small values, relative error large", Check{Got: 1e-12, Want: 2e-12}, 0.5, false},
		{"at the tolerance holds", Check{Got: 2, Want: 1, Tol: 0.5}, 0.5, true},
		{"just over the tolerance fails", Check{Got: 2, Want: 1, Tol: 0.4999999}, 0.5, false},
		{"opposite signs", Check{Got: 1, Want: -1, Tol: 1}, 2, false},
		{"NaN analytic", Check{Got: math.NaN(), Want: 1, Tol: 1e10}, inf, false},
		{"NaN numeric", Check{Got: 1, Want: math.NaN()}, inf, false},
		{"symmetric", Check{Got: 1 + 1e-6, Want: 1}, 1e-6, false},
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
		c := Check{Got: 1, Want: 1 + relErr}
		explicit := c
		explicit.Tol = DefaultTol
		if c.Holds() != explicit.Holds() {
			t.Errorf("relative error %g: Holds() with Tol 0 = %v, with Tol DefaultTol = %v", relErr, c.Holds(), explicit.Holds())
		}
	}
}

// Checks of each kind, for the tables below.
var (
	passing       = Check{Name: "pass", Got: 1, Want: 1}
	failing       = Check{Name: "fail", Got: 1, Want: 2}
	expectedFail  = Check{Name: "xfail", Got: 1, Want: 2, Expect: ExpectFail}
	unexpectedRun = Check{Name: "xpass", Got: 1, Want: 1, Expect: ExpectFail}
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
		{"NaN expected to fail", []Check{{Got: math.NaN(), Expect: ExpectFail}}, CheckSummary{ExpectedFailures: 1}},
		{
			"mix",
			[]Check{passing, passing, failing, expectedFail, expectedFail, expectedFail, unexpectedRun},
			CheckSummary{Passed: 2, Failed: 2, ExpectedFailures: 3},
		},
		{
			"custom tolerance decides",
			[]Check{
				{Got: 1, Want: 1.001, Tol: 1e-2},                     // holds: passed
				{Got: 1, Want: 1.001},                                // fails: failed
				{Got: 1, Want: 1.001, Tol: 1e-2, Expect: ExpectFail}, // holds: failed
				{Got: 1, Want: 1.001, Expect: ExpectFail},            // fails: expected
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
			errHas:      []string{"nb: ", "no checks", `"title"`},
		},
		{
			name:        "table columns",
			checks:      []Check{{Name: "σ'(0)", Got: 0.25, Want: 0.25, Tol: 1e-9}},
			wantSummary: "checks: 1 passed, 0 failed, 0 expected failures",
			outHas:      []string{"check", "got", "want", "relative error", "tolerance", "result", "σ'(0)", "0.25", "0.00e+00", "1e-09"},
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
		{Name: "ok", Got: 2, Want: 2},
		{Name: "off", Got: 2, Want: 1, Expect: ExpectFail},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "d/dx\n" +
		"check  got  want  relative error  tolerance  result\n" +
		"ok     2    2     0.00e+00        1e-07      ✓\n" +
		"off    2    1     5.00e-01        1e-07      ✗ as expected\n" +
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
				if c.Got != tt.df(x) {
					t.Errorf("check %d: Got = %g, want df(%g) = %g", i, c.Got, x, tt.df(x))
				}
				if c.Tol != 0 || c.Expect != MustHold {
					t.Errorf("check %d: Tol %g, Expect %v; want zero values", i, c.Tol, c.Expect)
				}
				if c.Holds() != tt.wantHolds {
					t.Errorf("%s at %g: Holds() = %v, want %v (got %g, want %g, relative error %g)",
						tt.name, x, c.Holds(), tt.wantHolds, c.Got, c.Want, c.RelErr())
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

func TestEntryChecks(t *testing.T) {
	type want struct {
		name string
		hold bool
	}
	for _, tc := range []struct {
		name   string
		checks []Check
		want   []want
	}{
		{"vector", EntryChecks("g", []float64{1, 2}, []float64{1, 2.5}), []want{{"g[1]", true}, {"g[2]", false}}},
		{"matrix", EntryChecks("W", mat.NewDense(2, 2, []float64{1, 2, 3, 4}), mat.NewDense(2, 2, []float64{1, 2, 3, 4.5})),
			[]want{{"W[1,1]", true}, {"W[1,2]", true}, {"W[2,1]", true}, {"W[2,2]", false}}},
		{"one column is a vector", EntryChecks("z", mat.NewDense(2, 1, []float64{1, 2}), mat.NewDense(2, 1, []float64{1, 3})),
			[]want{{"z[1]", true}, {"z[2]", false}}},
		{"one row is a matrix", EntryChecks("a", mat.NewDense(1, 2, []float64{1, 2}), mat.NewDense(1, 2, []float64{0, 2})),
			[]want{{"a[1,1]", false}, {"a[1,2]", true}}},
		{"VecDense", EntryChecks("v", mat.NewVecDense(2, []float64{1, 2}), mat.NewVecDense(2, []float64{1, 2})),
			[]want{{"v[1]", true}, {"v[2]", true}}},
		{"empty", EntryChecks("e", []float64{}, nil), nil},
	} {
		if len(tc.checks) != len(tc.want) {
			t.Fatalf("%s: %d checks, want %d", tc.name, len(tc.checks), len(tc.want))
		}
		for i, w := range tc.want {
			c := tc.checks[i]
			if c.Name != w.name || c.Holds() != w.hold || c.isVector() || c.Expect != MustHold {
				t.Errorf("%s: check %d: %s holds %v, want %s holds %v", tc.name, i, c.Name, c.Holds(), w.name, w.hold)
			}
		}
	}
	for _, f := range []func(){
		func() { EntryChecks("W", mat.NewDense(2, 2, nil), mat.NewDense(1, 4, nil)) },
		func() { EntryChecks("g", []float64{1, 2}, []float64{1}) },
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, "shapes") {
					t.Errorf("different shapes: recovered %q, want a shape panic", r)
				}
			}()
			f()
		}()
	}
}

func TestInequalityAndFactorChecks(t *testing.T) {
	tests := []struct {
		name  string
		check Check
		holds bool
	}{
		{"within factor 3, below", WithinFactor("x", 0.0011, 0.003, 3), true},
		{"within factor 3, above", WithinFactor("x", 0.0089, 0.003, 3), true},
		{"outside factor 3, below", WithinFactor("x", 0.00099, 0.003, 3), false},
		{"outside factor 3, above", WithinFactor("x", 0.0091, 0.003, 3), false},
		{"factor 2, exact", WithinFactor("x", 1, 1, 2), true},
		{"opposite signs", WithinFactor("x", -1, 1, 3), false},
		{"at most, below", AtMost("x", 0.2, 0.25), true},
		{"at most, equal", AtMost("x", 0.25, 0.25), true},
		{"at most, above", AtMost("x", 0.2501, 0.25), false},
		{"at most, far above", AtMost("x", 509, 1), false},
		{"at least, above", AtLeast("x", 3, 1), true},
		{"at least, below", AtLeast("x", 0.99, 1), false},
		{"at most, negative values", AtMost("x", -2, -1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check.Holds(); got != tt.holds {
				t.Errorf("Holds() = %v, want %v (got %g, want %g, relative error %g, tol %g)",
					got, tt.holds, tt.check.Got, tt.check.Want, tt.check.RelErr(), tt.check.Tol)
			}
		})
	}
}

func TestBoundChecksShown(t *testing.T) {
	var buf bytes.Buffer
	err := NewDisplay(&buf, "").Checks("bounds", []Check{
		AtMost("rms σ'", 0.2, 0.25),
		AtLeast("accuracy", 0.5, 0.9),
		{Name: "NaN is no bound", Got: math.NaN(), Want: 1, Rel: LessOrEqual, Expect: ExpectFail},
	})
	if err == nil || !strings.Contains(err.Error(), "accuracy") || strings.Contains(err.Error(), "rms") {
		t.Errorf("error %v, want one naming accuracy only", err)
	}
	for _, s := range []string{"got ≤ want", "got ≥ want", "0.25", "—", "checks: 1 passed, 1 failed, 1 expected failures"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("table does not show %q:\n%s", s, buf.String())
		}
	}
}

func TestVectorCheckPanics(t *testing.T) {
	for name, c := range map[string]Check{
		"lengths":         {Name: "g", GotVec: []float64{1, 2}, WantVec: []float64{1}},
		"bound on vector": {Name: "g", GotVec: []float64{1}, WantVec: []float64{1}, Rel: LessOrEqual},
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.HasPrefix(r, "nb: check \"g\"") {
					t.Errorf("%s: recovered %q, want a panic naming the check", name, r)
				}
			}()
			c.Holds()
		}()
	}
}

func TestParamChecks(t *testing.T) {
	net, x, y := backpropNet(5, 3)
	net.Gradient(x, y)
	got := ParamGrads(net)
	want := nn.NumericGradients(net, x, y, 0)
	checks := ParamChecks("lib/nn", net.Params(), got, want, 0)
	if len(checks) != 6 || checks[2].Name != "∂C/∂W⁽²⁾ (lib/nn)" {
		t.Fatalf("%d checks, third named %q", len(checks), checks[2].Name)
	}
	var out bytes.Buffer
	if err := NewDisplay(&out, "").Checks("backprop", checks); err != nil {
		t.Errorf("correct gradients fail: %v\n%s", err, out.String())
	}
	// A gradient wrong in one entry, by 1%, fails; an ExpectFail check of
	// it is an expected failure.
	bad := ParamGrads(net)
	bad[2].Set(1, 2, bad[2].At(1, 2)*1.01+1e-3)
	checks = ParamChecks("wrong", net.Params(), bad, want, 0)
	out.Reset()
	err := NewDisplay(&out, "").Checks("wrong", checks)
	if err == nil || !strings.Contains(err.Error(), "∂C/∂W⁽²⁾ (wrong)") || strings.Contains(err.Error(), "b⁽²⁾") {
		t.Errorf("error %v, want one naming W⁽²⁾ only", err)
	}
	if !strings.Contains(out.String(), "✗ FAILED") || !strings.Contains(out.String(), "5 passed, 1 failed") {
		t.Errorf("table:\n%s", out.String())
	}
	checks[2].Expect = ExpectFail
	out.Reset()
	if err := NewDisplay(&out, "").Checks("wrong", checks); err != nil || !strings.Contains(out.String(), "1 expected failures") {
		t.Errorf("expected failure: error %v\n%s", err, out.String())
	}
}

func TestVectorCheckRelErr(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want []float64
		relErr    float64
	}{
		{"equal", []float64{1, -2}, []float64{1, -2}, 0},
		{"zero", []float64{0, 0}, []float64{0, 0}, 0},
		{"tiny entry noise does not count", []float64{1, 1e-12}, []float64{1, 2e-12}, 1e-12},
		{"opposite", []float64{1, 0}, []float64{-1, 0}, 2},
		{"NaN", []float64{math.NaN()}, []float64{1}, math.Inf(1)},
	} {
		if e := (Check{GotVec: tc.got, WantVec: tc.want}).RelErr(); math.Abs(e-tc.relErr) > 1e-15 && !(math.IsInf(e, 1) && math.IsInf(tc.relErr, 1)) {
			t.Errorf("%s: relative error %v, want %v", tc.name, e, tc.relErr)
		}
	}
}

func TestParamChecksPanicsOnShape(t *testing.T) {
	net, _, _ := backpropNet(1, 1)
	grads := ParamGrads(net)
	grads[1] = mat.NewDense(2, 1, nil)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "b1") {
			t.Errorf("panic %v, want one naming b1", r)
		}
	}()
	ParamChecks("", net.Params(), grads, ParamGrads(net), 0)
}

// doubledGrad is a cost whose Grad is twice the true gradient.
type doubledGrad struct{ nn.Quadratic }

func (d doubledGrad) Grad(da, a, y *mat.Dense) {
	d.Quadratic.Grad(da, a, y)
	da.Scale(2, da)
}

func TestGradientChecks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := mat.NewDense(3, 4, []float64{0.1, -0.5, 0.9, 0.3, 1, 0.2, -0.4, 0.8, -0.6, 0.7, 0.05, -0.2})
	y := mat.NewDense(2, 4, []float64{0, 1, 1, 0, 1, 0, 0, 1})
	for _, tc := range []struct {
		name  string
		cost  nn.Cost
		out   nn.Activation
		holds bool
	}{
		{"quadratic", nn.Quadratic{}, nn.Sigmoid{}, true},
		{"cross-entropy softmax", nn.CrossEntropy{}, nn.Softmax{}, true},
		{"binary cross-entropy", nn.BinaryCrossEntropy{}, nn.Sigmoid{}, true},
		{"doubled gradient", doubledGrad{}, nn.Tanh{}, false},
	} {
		net := nn.NewMLP([]int{3, 4, 2}, nn.MLPConfig{Hidden: nn.Tanh{}, Output: tc.out, Cost: tc.cost}, rand.New(rand.NewPCG(1, 2)))
		cs := GradientChecks(tc.name, net, x, y, rng)
		if len(cs) != 4 {
			t.Fatalf("%s: %d checks, want 4 (W1, b1, W2, b2)", tc.name, len(cs))
		}
		if !strings.Contains(cs[0].Name, "W1") {
			t.Errorf("first check %q does not name W1", cs[0].Name)
		}
		for _, c := range cs {
			c.Tol = 1e-6
			if c.Holds() != tc.holds {
				t.Errorf("%s: %s holds = %v, want %v (got %v want %v)", tc.name, c.Name, c.Holds(), tc.holds, c.Got, c.Want)
			}
		}
	}
}

func TestClaim(t *testing.T) {
	for _, id := range []string{"3:bp1", "3.1:matrix-form", "4.4:adam-bias-correction", "B.2.1:huber-derivative", "A:per-layer-norms"} {
		got := Claim(id, named(passing, "a"), named(failing, "b"))
		if len(got) != 2 || got[0].Claim != id || got[1].Claim != id || got[1].Name != "b" {
			t.Errorf("Claim(%q, …) = %+v", id, got)
		}
	}
	for _, id := range []string{"", "bp1", "3:", ":bp1", "3:BP1", "3:bp 1", "C:x", "3.:x", "3:-x", "3:x-"} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "section:slug") {
					t.Errorf("Claim(%q) panicked with %v, want a message naming the form section:slug", id, r)
				}
			}()
			Claim(id, passing)
		}()
	}
	in := []Check{passing}
	Claim("3:bp1", in...)
	if in[0].Claim != "" {
		t.Error("Claim changed its argument")
	}
}

func TestCheckTableClaims(t *testing.T) {
	checks := append(Claim("3:bp1", named(passing, "held"), named(expectedFail, "xfail")),
		named(passing, "own code"), Claim("3:bp2", named(failing, "bad"))[0], Claim("3:bp3", named(unexpectedRun, "now right"))[0])
	tab, failed, err := checkTable("title", checks)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Header[0] != "claim" || tab.Rows[0][0] != "3:bp1" || tab.Rows[2][0] != "" {
		t.Errorf("claim column: header %q, rows %q", tab.Header, tab.Rows)
	}
	if strings.Join(failed, ",") != "bad,now right" {
		t.Errorf("failed = %q", failed)
	}
	h := tab.html("")
	re := regexp.MustCompile(`<tr data-nb-claim="([^"]*)">`)
	var got []claimRecord
	for _, m := range re.FindAllStringSubmatch(h, -1) {
		var r claimRecord
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &r); err != nil {
			t.Fatalf("row attribute %q: %v", m[1], err)
		}
		got = append(got, r)
	}
	want := []struct{ claim, check, outcome string }{
		{"3:bp1", "held", "held"}, {"3:bp1", "xfail", "expected-failure"},
		{"3:bp2", "bad", "failed"}, {"3:bp3", "now right", "unexpected-hold"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d claim rows, want %d:\n%s", len(got), len(want), h)
	}
	for i, w := range want {
		if got[i].Claim != w.claim || got[i].Check != w.check || got[i].Outcome != w.outcome || got[i].Got == "" || got[i].Want == "" {
			t.Errorf("row %d = %+v, want %+v", i, got[i], w)
		}
	}
	// A table without claims has no claim column and no row attributes.
	tab, _, _ = checkTable("title", []Check{passing})
	if tab.Header[0] != "check" || strings.Contains(tab.html(""), "data-nb-claim") {
		t.Errorf("a table without claims: header %q, html %s", tab.Header, tab.html(""))
	}
}
