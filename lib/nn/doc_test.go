package nn

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The package comment lives in doc.go alone and says its introduction
// once: go doc prints the comments of every file of the package one after
// another, so a second copy anywhere shows twice.
func TestPackageCommentOnce(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var with []string
	var text string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			with = append(with, name)
			text += f.Doc.Text()
		}
	}
	if len(with) != 1 || with[0] != "doc.go" {
		t.Errorf("package comments in %v, want doc.go only", with)
	}
	for _, s := range []string{"Package nn is", "# Contents, by section of the notes"} {
		if n := strings.Count(text, s); n != 1 {
			t.Errorf("the package comment says %q %d times, want once", s, n)
		}
	}
}
