package nb

import (
	"encoding/json"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redesneuronales/course/lib/plotting"
)

// TestStringsHaveGlyphs fails if a string literal of the package's code
// or of a notebook's code cell holds a character that the figures' font
// cannot draw (plotting.MissingGlyphs): any of them may end up in a
// figure's title, label or legend.
func TestStringsHaveGlyphs(t *testing.T) {
	sources := map[string]string{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = string(b)
	}
	notebooks, err := filepath.Glob("../notebooks/*.ipynb")
	if err != nil || len(notebooks) == 0 {
		t.Fatalf("no notebooks in ../notebooks (%v)", err)
	}
	for _, f := range notebooks {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []struct {
				CellType string   `json:"cell_type"`
				Source   []string `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, c := range nb.Cells {
			if c.CellType == "code" {
				sources[filepath.Base(f)+" cell "+strconv.Itoa(i)] = strings.Join(c.Source, "")
			}
		}
	}
	n := 0
	for name, src := range sources {
		for _, lit := range stringLiterals(src) {
			n++
			if m := plotting.MissingGlyphs(lit); m != nil {
				t.Errorf("%s: %q has characters without a glyph: %q", name, lit, string(m))
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d string literals found: the scan is broken", n)
	}
}

// stringLiterals returns the values of the Go string literals in src. A
// notebook cell is not always valid Go (%% lines, !shell commands): the
// scanner skips what it cannot read.
func stringLiterals(src string) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), func(token.Position, string) {}, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.STRING {
			if v, err := strconv.Unquote(lit); err == nil {
				out = append(out, v)
			}
		}
	}
}
