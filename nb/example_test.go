package nb_test

import (
	"fmt"
	"math"
	"os"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
	"github.com/redesneuronales/course/nb"
)

// A table of derivation checks: the first formula is right, the second is
// the wrong formula of the notes that the notebook corrects. Outside a
// notebook the table is printed as text with a summary line.
func ExampleDisplay_Checks() {
	d := nb.NewDisplay(os.Stdout, "")
	err := d.Checks("d/dx x² at x = 3", []nb.Check{
		{Name: "2x", Got: 6, Want: 6},
		{Name: "x (notes)", Got: 3, Want: 6, Expect: nb.ExpectFail},
	})
	fmt.Println("error:", err)
	// Output:
	// d/dx x² at x = 3
	// check      got  want  relative error  tolerance  result
	// 2x         6    6     0.00e+00        1e-07      ✓
	// x (notes)  3    6     5.00e-01        1e-07      ✗ as expected
	// checks: 1 passed, 0 failed, 1 expected failures
	// error: <nil>
}

// A check that does not come out as expected is named in the error, which
// the package-level nb.Checks turns into a failed notebook cell.
func ExampleDisplay_Checks_failure() {
	d := nb.NewDisplay(os.Stdout, "")
	err := d.Checks("tanh'(0)", []nb.Check{
		{Name: "1 - tanh²", Got: 1, Want: 1},
		{Name: "tanh²", Got: 0, Want: 1},
	})
	fmt.Println(err)
	// Output:
	// tanh'(0)
	// check      got  want  relative error  tolerance  result
	// 1 - tanh²  1    1     0.00e+00        1e-07      ✓
	// tanh²      0    1     1.00e+00        1e-07      ✗ FAILED
	// checks: 1 passed, 1 failed, 0 expected failures
	// nb: 1 of 2 checks in "tanh'(0)" did not come out as expected: tanh²
}

// One table holds every kind of claim: a value against a reference within
// a tolerance, a whole gradient against its central differences (GotVec,
// WantVec: the relative error of the whole vector), and bounds.
func ExampleDisplay_Checks_kinds() {
	d := nb.NewDisplay(os.Stdout, "")
	err := d.Checks("kinds of checks", []nb.Check{
		{Name: "accuracy vs Nielsen's", Got: 0.9531, Want: 0.9542, Tol: 0.01},
		{Name: "∂C/∂b⁽²⁾", GotVec: []float64{0.3, -0.4}, WantVec: []float64{0.3, -0.4 + 1e-9}},
		nb.AtMost("max |σ'(z)|", 0.25, 0.25),
		nb.AtLeast("test accuracy", 0.9, 0.95),
	})
	fmt.Println(err)
	// Output:
	// kinds of checks
	// check                  got                    want       relative error  tolerance   result
	// accuracy vs Nielsen's  0.9531                 0.9542     1.15e-03        1e-02       ✓
	// ∂C/∂b⁽²⁾               ‖·‖ = 0.5 (2 entries)  ‖·‖ = 0.5  2.00e-09        1e-07       ✓
	// max |σ'(z)|            0.25                   0.25       —               got ≤ want  ✓
	// test accuracy          0.9                    0.95       —               got ≥ want  ✗ FAILED
	// checks: 3 passed, 1 failed, 0 expected failures
	// nb: 1 of 4 checks in "kinds of checks" did not come out as expected: test accuracy
}

// DerivativeChecks compares a claimed derivative with central differences
// at several points.
func ExampleDerivativeChecks() {
	right := nb.DerivativeChecks("sin'", math.Sin, math.Cos, -1, 0, 1)
	wrong := nb.DerivativeChecks("(x²)'", func(x float64) float64 { return x * x },
		func(x float64) float64 { return x }, 1, 2)
	for _, c := range append(right, wrong...) {
		fmt.Printf("%-8s holds: %v\n", c.Name, c.Holds())
	}
	// Output:
	// sin'(-1) holds: true
	// sin'(0)  holds: true
	// sin'(1)  holds: true
	// (x²)'(1) holds: false
	// (x²)'(2) holds: false
}

func ExampleSummarize() {
	s := nb.Summarize([]nb.Check{
		{Got: 1, Want: 1},                          // holds: passed
		{Got: 1, Want: 1.5, Expect: nb.ExpectFail}, // fails as expected
		{Got: 1, Want: 1, Expect: nb.ExpectFail},   // holds, but should not
	})
	fmt.Printf("%+v\n", s)
	// Output: {Passed:1 Failed:1 ExpectedFailures:1}
}

func ExampleDisplay_Table() {
	d := nb.NewDisplay(os.Stdout, "")
	d.Table(nb.Table{
		Caption: "Network 784-30-10",
		Header:  []string{"layer", "units", "activation"},
		Rows: [][]string{
			{"input", "784", "-"},
			{"hidden", "30", "σ"},
			{"output", "10", "softmax"},
		},
	})
	// Output:
	// Network 784-30-10
	// layer   units  activation
	// input   784    -
	// hidden  30     σ
	// output  10     softmax
}

// Outside a notebook HTML is shown as text.
func ExampleDisplay_HTML() {
	d := nb.NewDisplay(os.Stdout, "")
	d.HTML(`<p>The cost <b>decreases</b> when &eta; &lt; 2/L.</p>`)
	// Output: The cost decreases when η < 2/L.
}

// Without a folder, figures are rendered but only described.
func ExampleDisplay_PlotSize() {
	d := nb.NewDisplay(os.Stdout, "")
	p := plotting.Functions(plotting.Config{Title: "tanh"}, plotting.Range{Min: -3, Max: 3, N: 50},
		plotting.Func{Name: "tanh", F: math.Tanh})
	if err := d.PlotSize(p, 3*vg.Inch, 2*vg.Inch); err != nil {
		fmt.Println(err)
	}
	// Output: [figure 1: 576×384 px, not saved; set NB_FIGURES_DIR to keep figures]
}

// Progress of a training loop, with a fake clock so that the times are
// reproducible: every epoch takes two seconds.
func ExampleDisplay_NewProgress() {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := nb.NewDisplay(os.Stdout, "")
	p := d.NewProgress(nb.ProgressConfig{
		Label: "epoch",
		Total: 4,
		Every: time.Second,
		Now:   func() time.Time { return now },
	})
	for epoch := 1; epoch <= 4; epoch++ {
		now = now.Add(2 * time.Second)
		p.Update(epoch, 1/float64(epoch), 0.5+0.1*float64(epoch))
	}
	// Output:
	// epoch 1/4  cost 1  accuracy 60.00%  elapsed 2s  ETA 6s
	// epoch 2/4  cost 0.5  accuracy 70.00%  elapsed 4s  ETA 4s
	// epoch 3/4  cost 0.3333  accuracy 80.00%  elapsed 6s  ETA 2s
	// epoch 4/4  cost 0.25  accuracy 90.00%  elapsed 8s
}

// Notebooks choose sizes with Pick: the full value normally, the quick one
// under the test suite, which sets COURSE_QUICK=1.
func ExamplePick() {
	old, had := os.LookupEnv(nb.QuickEnv)
	defer func() {
		if had {
			os.Setenv(nb.QuickEnv, old)
		} else {
			os.Unsetenv(nb.QuickEnv)
		}
	}()

	os.Unsetenv(nb.QuickEnv)
	fmt.Println("quick:", nb.Quick(), "epochs:", nb.Pick(30, 2))
	os.Setenv(nb.QuickEnv, "1")
	fmt.Println("quick:", nb.Quick(), "epochs:", nb.Pick(30, 2))
	// Output:
	// quick: false epochs: 30
	// quick: true epochs: 2
}

// What the course draws speaks the language of its edition: a Spanish
// notebook sets COURSE_LANG=es in its wiring cell (%env COURSE_LANG es).
// A string the catalog lacks, notation and everything in English come
// back unchanged.
func ExampleT() {
	old, had := os.LookupEnv(nb.LangEnv)
	defer func() {
		if had {
			os.Setenv(nb.LangEnv, old)
		} else {
			os.Unsetenv(nb.LangEnv)
		}
	}()

	os.Setenv(nb.LangEnv, "es")
	fmt.Println(nb.Language())
	fmt.Println(nb.T("validation accuracy (%)"))
	fmt.Println(nb.Tf("After %d epochs", 3))
	fmt.Println(nb.T("η"))
	os.Unsetenv(nb.LangEnv)
	fmt.Println(nb.Language())
	fmt.Println(nb.Tf("After %d epochs", 3))
	// Output:
	// es
	// precisión de validación (%)
	// Tras 3 épocas
	// η
	// en
	// After 3 epochs
}

// A table of training runs: one row per run, one column per figure. The
// results come from nb.TrainRuns; here two are written out.
func ExampleRunTable() {
	epoch := func(e int, cost, acc float64) nn.EpochStats {
		return nn.EpochStats{Epoch: e, TrainCost: cost, ValidationAccuracy: acc, Duration: 2 * time.Second}
	}
	runs := []nb.Result{
		{Run: nb.Run{Label: "η = 0.5"}, History: nn.History{epoch(1, 0.31, 0.90), epoch(2, 0.20, 0.93)}},
		{Run: nb.Run{Label: "η = 5"}, History: nn.History{epoch(1, 0.62, 0.84), epoch(2, 0.58, 0.83)}},
	}
	nb.NewDisplay(os.Stdout, "").Table(nb.RunTable("After 2 epochs", runs,
		nb.TrainCost.Last(), nb.ValidationAccuracy.Best(), nb.EpochTime()))
	// Output:
	// After 2 epochs
	// run      training cost, last epoch  best validation accuracy (epoch)  s / epoch
	// η = 0.5  0.2                        93.00% (2)                        2.000
	// η = 5    0.58                       84.00% (1)                        2.000
}
