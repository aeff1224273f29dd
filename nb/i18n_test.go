package nb

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain runs the package's tests in English, the language of their
// expected output, whatever $COURSE_LANG the shell has; a test of another
// language sets it with t.Setenv.
func TestMain(m *testing.M) {
	os.Unsetenv(LangEnv)
	os.Exit(m.Run())
}

func TestLanguage(t *testing.T) {
	for _, c := range []struct {
		env  string
		set  bool
		want string
	}{
		{want: "en"},
		{env: "", set: true, want: "en"},
		{env: "en", set: true, want: "en"},
		{env: "es", set: true, want: "es"},
		{env: "ES", set: true, want: "es"},
		{env: " es ", set: true, want: "es"},
		{env: "es_ES.UTF-8", set: true, want: "es"},
		{env: "es-ES", set: true, want: "es"},
		{env: "fr", set: true, want: "en"},    // no catalog: English
		{env: "xx_YY", set: true, want: "en"}, // unknown: English
		{env: "spanish", set: true, want: "en"},
	} {
		if c.set {
			t.Setenv(LangEnv, c.env)
		} else {
			os.Unsetenv(LangEnv) // TestMain's state; t.Setenv restores it after the others
		}
		if got := Language(); got != c.want {
			t.Errorf("%s=%q (set %t): Language() = %q, want %q", LangEnv, c.env, c.set, got, c.want)
		}
	}
}

func TestT(t *testing.T) {
	for _, c := range []struct {
		lang, in, want string
	}{
		{"", "validation accuracy (%)", "validation accuracy (%)"},
		{"en", "validation accuracy (%)", "validation accuracy (%)"},
		{"es", "validation accuracy (%)", "precisión de validación (%)"},
		{"es", "epoch", "época"},
		{"es", "no such string in any catalog", "no such string in any catalog"},
		{"es", "Epoch", "Epoch"},   // exact match only: case counts
		{"es", "epoch ", "epoch "}, // and spaces
		{"es", "η", "η"},           // notation needs no entry
		{"fr", "epoch", "epoch"},   // unknown language: English
		{"xx", "validation accuracy (%)", "validation accuracy (%)"},
	} {
		t.Setenv(LangEnv, c.lang)
		if got := T(c.in); got != c.want {
			t.Errorf("%s=%q: T(%q) = %q, want %q", LangEnv, c.lang, c.in, got, c.want)
		}
	}
}

func TestTf(t *testing.T) {
	for _, c := range []struct {
		lang, format string
		args         []any
		want         string
	}{
		{"", "After %d epochs", []any{3}, "After 3 epochs"},
		{"es", "After %d epochs", []any{3}, "Tras 3 épocas"},
		{"es", "%s (mean of %d seeds)", []any{"η = 0.5", 3}, "η = 0.5 (media de 3 semillas)"},
		{"es", "no entry: %d%%", []any{7}, "no entry: 7%"},
		{"xx", "After %d epochs", []any{3}, "After 3 epochs"},
	} {
		t.Setenv(LangEnv, c.lang)
		if got := Tf(c.format, c.args...); got != c.want {
			t.Errorf("%s=%q: Tf(%q, %v) = %q, want %q", LangEnv, c.lang, c.format, c.args, got, c.want)
		}
	}
}

// TestTablesInSpanish shows that nb's own tables and the check tables
// speak the language of the edition while what programs read stays the
// same: the data attributes of a check table, the ledger's record of a
// row, the plain-text summary line.
func TestTablesInSpanish(t *testing.T) {
	checks := []Check{
		{Name: "∂C/∂b", GotVec: []float64{1, 2}, WantVec: []float64{1, 2}, Claim: "3:bp1"},
		AtMost("bound", 1, 2),
	}
	checks[1].Claim = "3:bp2"
	render := func(lang string) (html, text string) {
		t.Setenv(LangEnv, lang)
		tab, _, err := checkTable("a title stays as given", checks)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := NewDisplay(&out, "").Checks("a title stays as given", checks); err != nil {
			t.Fatal(err)
		}
		return tab.html(""), out.String()
	}
	enHTML, enText := render("")
	esHTML, esText := render("es")
	for _, want := range []string{`<th data-nb-column="claim">afirmación</th>`, `<th data-nb-column="got">obtenido</th>`,
		"(2 componentes)", "obtenido ≤ esperado", "<caption>a title stays as given</caption>"} {
		if !strings.Contains(esHTML, want) {
			t.Errorf("Spanish check table lacks %q:\n%s", want, esHTML)
		}
	}
	records := regexp.MustCompile(`data-nb-claim="[^"]*"`)
	if en, es := records.FindAllString(enHTML, -1), records.FindAllString(esHTML, -1); len(en) != 2 || !reflect.DeepEqual(en, es) {
		t.Errorf("the ledger's records differ by language:\nen %q\nes %q", en, es)
	}
	summary := "checks: 2 passed, 0 failed, 0 expected failures\n"
	if !strings.HasSuffix(enText, summary) || !strings.HasSuffix(esText, summary) {
		t.Errorf("summary lines differ from %q:\nen %q\nes %q", summary, enText, esText)
	}

	t.Setenv(LangEnv, "es")
	for _, c := range []struct {
		name   string
		header []string
	}{
		{"EpochTable", EpochTable("", nil).Header},
		{"RunTable", RunTable("", nil, TrainCost.Last(), ValidationAccuracy.At(2), ValidationAccuracy.Best(), EpochsTrained(), GradientCount(), TrainingTime(), EpochTime()).Header},
		{"SeedTable", SeedTable("", nil, ValidationAccuracy).Header},
	} {
		for _, h := range c.header {
			if strings.Contains(h, "epoch") || strings.Contains(h, "run") || strings.Contains(h, "seconds") || strings.Contains(h, "mean") {
				t.Errorf("%s: header %q is English in Spanish (%q)", c.name, h, c.header)
			}
		}
	}
}

// TestProgressAndQuickNoteInSpanish: a progress line and the note of
// quick mode in Spanish.
func TestProgressAndQuickNoteInSpanish(t *testing.T) {
	t.Setenv(LangEnv, "es")
	now := time.Unix(0, 0)
	var out strings.Builder
	p := NewDisplay(&out, "").NewProgress(ProgressConfig{Total: 4, Now: func() time.Time { return now }})
	now = now.Add(2 * time.Second)
	p.Update(1, 0.5, 0.75)
	if want := "paso 1/4  coste 0.5  precisión 75.00%  transcurrido 2s  quedan 6s\n"; out.String() != want {
		t.Errorf("progress line %q, want %q", out.String(), want)
	}
	t.Setenv(QuickEnv, "1")
	want := "Tras 2 épocas (modo rápido: ejecución mínima)"
	if got := quickCaption(Tf("After %d epochs", 2)); got != want {
		t.Errorf("quick caption %q, want %q", got, want)
	}
	if got := quickCaption(want); got != want {
		t.Errorf("quick caption of a noted caption %q, want it unchanged", got)
	}
}

// formatVerbs returns the fmt verbs of s in order, %% included.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

func TestCatalogsKeepFormatVerbs(t *testing.T) {
	for lang, cat := range catalogs {
		for en, tr := range cat {
			if tr == "" {
				t.Errorf("%s: %q has an empty translation", lang, en)
			}
			got, want := formatVerb.FindAllString(tr, -1), formatVerb.FindAllString(en, -1)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q → %q: verbs %q, want %q (the same, in the same order)", lang, en, tr, got, want)
			}
		}
	}
}

// TestCatalogsCoverEveryString fails naming every string passed to T or
// Tf, in nb, lib or a notebook's code cells, that a catalog lacks.
func TestCatalogsCoverEveryString(t *testing.T) {
	used := translated(t)
	if len(used) < 100 {
		t.Fatalf("found only %d strings passed to T or Tf; is the search broken?", len(used))
	}
	for lang, cat := range catalogs {
		var missing []string
		for s, where := range used {
			if _, ok := cat[s]; !ok {
				missing = append(missing, strconv.Quote(s)+" ("+where+")")
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: no translation of %s", lang, m)
		}
	}
}

// TestCatalogsHaveNoStaleEntries fails on a catalog entry whose English
// text is no longer passed to T or Tf, nor written as a string literal
// that reaches T through a variable (a run's label, an nn name), anywhere
// in the course's code.
func TestCatalogsHaveNoStaleEntries(t *testing.T) {
	used := translated(t)
	lits := literals(t)
	for lang, cat := range catalogs {
		var stale []string
		for en := range cat {
			if _, ok := used[en]; !ok && !lits[en] {
				stale = append(stale, strconv.Quote(en))
			}
		}
		sort.Strings(stale)
		for _, s := range stale {
			t.Errorf("%s: %s is used nowhere: remove it from the catalog", lang, s)
		}
	}
}

// catalogFiles are the files of the catalogs, left out of the search for
// the strings the code uses.
func isCatalog(path string) bool { return strings.HasPrefix(filepath.Base(path), "i18n") }

// goFiles returns the Go sources of nb and lib, tests and catalogs left
// out, parsed.
func goFiles(t *testing.T) map[string]*ast.File {
	t.Helper()
	files := map[string]*ast.File{}
	fset := token.NewFileSet()
	add := func(path string) {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[path] = f
	}
	nbFiles, _ := filepath.Glob("*.go")
	for _, p := range nbFiles {
		if !strings.HasSuffix(p, "_test.go") && !isCatalog(p) {
			add(p)
		}
	}
	err := filepath.WalkDir(filepath.Join("..", "lib"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			add(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// notebookCode returns the code cells of the course's notebooks, joined,
// by notebook.
func notebookCode(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "notebooks", "*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	code := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []struct {
				Type   string          `json:"cell_type"`
				Source json.RawMessage `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var all strings.Builder
		for _, c := range nb.Cells {
			if c.Type != "code" {
				continue
			}
			// nbformat stores a source as a string or a list of lines.
			var lines []string
			if err := json.Unmarshal(c.Source, &lines); err != nil {
				var s string
				if err := json.Unmarshal(c.Source, &s); err != nil {
					t.Fatalf("%s: a cell's source: %v", p, err)
				}
				lines = []string{s}
			}
			all.WriteString(strings.Join(lines, "") + "\n")
		}
		code[filepath.Base(p)] = all.String()
	}
	return code
}

// goString matches a Go string literal, interpreted or raw.
const goString = "(\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`]*`)"

// notebookCall matches a call of nb.T or nb.Tf with a literal first
// argument in a notebook's code.
var notebookCall = regexp.MustCompile(`\bnb\.Tf?\(\s*` + goString)

// translated returns every string passed as a literal to T or Tf, with
// where it was found.
func translated(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	for path, f := range goFiles(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				if filepath.Dir(path) == "." { // inside package nb
					name = fn.Name
				}
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "nb" {
					name = fn.Sel.Name
				}
			}
			if name != "T" && name != "Tf" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				used[s] = path
			}
			return true
		})
	}
	// Used through constants rather than literals.
	used[QuickNote] = "quick.go (QuickNote)"
	for name, code := range notebookCode(t) {
		for _, m := range notebookCall.FindAllStringSubmatch(code, -1) {
			s, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: %s: %v", name, m[1], err)
			}
			used[s] = name
		}
	}
	return used
}

var anyString = regexp.MustCompile(goString)

// literals returns every string literal of the course's Go code and of
// its notebooks' code cells, catalogs and tests left out.
func literals(t *testing.T) map[string]bool {
	t.Helper()
	lits := map[string]bool{}
	for _, f := range goFiles(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					lits[s] = true
				}
			}
			return true
		})
	}
	for _, code := range notebookCode(t) {
		for _, m := range anyString.FindAllString(code, -1) {
			if s, err := strconv.Unquote(m); err == nil {
				lits[s] = true
			}
		}
	}
	return lits
}
