package nb

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/redesneuronales/course/lib/plotting"
)

// testFigure returns a small but real figure: two functions sampled at a
// few points, so that rendering stays fast.
func testFigure(title string) *plot.Plot {
	return plotting.Functions(
		plotting.Config{Title: title, XLabel: "x"},
		plotting.Range{Min: -math.Pi, Max: math.Pi, N: 16},
		plotting.Func{Name: "sin", F: math.Sin},
		plotting.Func{Name: "cos", F: math.Cos},
	)
}

// testLines returns a figure built from series with plotting.Lines.
func testLines() *plot.Plot {
	return plotting.Lines(
		plotting.Config{Title: "cost"},
		plotting.Series{Name: "C", X: []float64{1, 2, 3, 4}, Y: []float64{2.3, 0.9, 0.5, 0.4}},
	)
}

// mustPanic runs f and returns the panic value's text, failing the test if
// f does not panic.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("no panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

// pngSize decodes the PNG file at path and returns its size in pixels.
func pngSize(t *testing.T, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	s := img.Bounds().Size()
	return s.X, s.Y
}

// dirNames returns the sorted names of the entries of dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestNewDisplayNilWriterPanics(t *testing.T) {
	msg := mustPanic(t, func() { NewDisplay(nil, t.TempDir()) })
	if !strings.HasPrefix(msg, "nb: ") {
		t.Errorf("panic message %q does not start with %q", msg, "nb: ")
	}
}

func TestNewDisplayNotInNotebook(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		d := NewDisplay(new(bytes.Buffer), dir)
		if d.InNotebook() {
			t.Errorf("NewDisplay(w, %q).InNotebook() = true, want false", dir)
		}
	}
}

func TestDefaultOutsideNotebook(t *testing.T) {
	d := Default()
	if d == nil {
		t.Fatal("Default() = nil")
	}
	if d.InNotebook() {
		t.Error("Default().InNotebook() = true under go test")
	}
	if Default() != d {
		t.Error("Default() returned a different display on the second call")
	}
}

// textCase is a text a display method is given and what it writes
// outside a notebook.
type textCase struct{ name, in, want string }

// testText checks what show, a method of Display, writes for each case.
func testText(t *testing.T, method string, show func(*Display, string), cases []textCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			show(NewDisplay(&buf, ""), tt.in)
			if got := buf.String(); got != tt.want {
				t.Errorf("%s(%q) wrote %q, want %q", method, tt.in, got, tt.want)
			}
		})
	}
}

func TestMarkdown(t *testing.T) {
	testText(t, "Markdown", (*Display).Markdown, []textCase{
		{"plain", "Hello", "Hello\n"},
		{"formula kept", `The derivative is $\sigma'(z) = \sigma(z)(1-\sigma(z))$.`,
			`The derivative is $\sigma'(z) = \sigma(z)(1-\sigma(z))$.` + "\n"},
		{"trailing newlines trimmed", "# Title\n\n", "# Title\n"},
		{"inner newlines kept", "line 1\n\nline 2\n", "line 1\n\nline 2\n"},
		{"html not stripped", "a <b>bold</b> &amp; c", "a <b>bold</b> &amp; c\n"},
		{"empty", "", "\n"},
	})
}

func TestHTML(t *testing.T) {
	testText(t, "HTML", (*Display).HTML, []textCase{
		{"plain", "no tags", "no tags\n"},
		{"tags stripped", "<p>Hello, <b>world</b>!</p>", "Hello, world!\n"},
		{"attributes stripped", `<span style="color:red" class="x">red</span>`, "red\n"},
		{"self-closing", "a<br/>b", "ab\n"},
		{"entities unescaped", "x &lt; y &amp;&amp; y &gt; z", "x < y && y > z\n"},
		{"quotes", "&quot;q&quot; &#39;s&#39;", `"q" 's'` + "\n"},
		{"numeric entity", "&#960; &#x3c3;", "π σ\n"},
		// Entities are unescaped after the tags are stripped, so an escaped
		// tag survives as text.
		{"escaped tag kept", "<code>&lt;table&gt;</code>", "<table>\n"},
		{"table", "<table><tr><td>a</td><td>b</td></tr></table>", "ab\n"},
		{"empty", "", "\n"},
	})
}

func TestPlotSavesNumberedPNGs(t *testing.T) {
	// A folder that does not exist yet: the display creates it.
	dir := filepath.Join(t.TempDir(), "figures", "nested")
	var buf bytes.Buffer
	d := NewDisplay(&buf, dir)

	steps := []struct {
		name         string
		show         func() error
		file         string
		wantW, wantH int
	}{
		{"default size", func() error { return d.Plot(testFigure("sin and cos")) },
			"figure-001.png", 1152, 720},
		{"3in x 2in", func() error { return d.PlotSize(testLines(), 3*vg.Inch, 2*vg.Inch) },
			"figure-002.png", 576, 384},
		{"zero height means default", func() error { return d.PlotSize(testFigure("wide"), 3*vg.Inch, 0) },
			"figure-003.png", 576, 720},
	}
	var wantOut strings.Builder
	for i, s := range steps {
		if err := s.show(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		path := filepath.Join(dir, s.file)
		fmt.Fprintf(&wantOut, "[figure %d: %s]\n", i+1, path)
		w, h := pngSize(t, path)
		if w != s.wantW || h != s.wantH {
			t.Errorf("%s: %s is %d×%d px, want %d×%d", s.name, s.file, w, h, s.wantW, s.wantH)
		}
	}
	if got := buf.String(); got != wantOut.String() {
		t.Errorf("output:\n%s\nwant:\n%s", got, wantOut.String())
	}
	if got, want := dirNames(t, dir), []string{"figure-001.png", "figure-002.png", "figure-003.png"}; !slices.Equal(got, want) {
		t.Errorf("files in %s = %v, want %v", dir, got, want)
	}
}

func TestPlotNumbersPerDisplay(t *testing.T) {
	// Each display numbers its own figures from 1.
	dirA, dirB := t.TempDir(), t.TempDir()
	a := NewDisplay(new(bytes.Buffer), dirA)
	b := NewDisplay(new(bytes.Buffer), dirB)
	p := testLines()
	for _, d := range []*Display{a, b, a} {
		if err := d.PlotSize(p, 2*vg.Inch, 1*vg.Inch); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := dirNames(t, dirA), []string{"figure-001.png", "figure-002.png"}; !slices.Equal(got, want) {
		t.Errorf("files in A = %v, want %v", got, want)
	}
	if got, want := dirNames(t, dirB), []string{"figure-001.png"}; !slices.Equal(got, want) {
		t.Errorf("files in B = %v, want %v", got, want)
	}
}

func TestPlotWithoutDirNotSaved(t *testing.T) {
	// Run in an empty working directory to see that nothing is written,
	// not even relative to it.
	wd := t.TempDir()
	t.Chdir(wd)

	var buf bytes.Buffer
	d := NewDisplay(&buf, "")
	if err := d.Plot(testFigure("not saved")); err != nil {
		t.Fatal(err)
	}
	if err := d.PlotSize(testLines(), 3*vg.Inch, 2*vg.Inch); err != nil {
		t.Fatal(err)
	}
	// 100 × 50 points at 192 DPI is 266.67 × 133.33 px: the note gives the
	// size of the PNG actually rendered.
	if err := d.PlotSize(testLines(), vg.Points(100), vg.Points(50)); err != nil {
		t.Fatal(err)
	}
	want := "[figure 1: 1152×720 px, not saved; set NB_FIGURES_DIR to keep figures]\n" +
		"[figure 2: 576×384 px, not saved; set NB_FIGURES_DIR to keep figures]\n" +
		"[figure 3: 267×133 px, not saved; set NB_FIGURES_DIR to keep figures]\n"
	if got := buf.String(); got != want {
		t.Errorf("output:\n%q\nwant:\n%q", got, want)
	}
	if names := dirNames(t, wd); len(names) != 0 {
		t.Errorf("working directory holds %v, want nothing", names)
	}
}

func TestPlotDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{file, filepath.Join(file, "sub")} {
		var buf bytes.Buffer
		err := NewDisplay(&buf, dir).Plot(testLines())
		if err == nil {
			t.Errorf("Plot to folder %s: no error", dir)
			continue
		}
		if !strings.HasPrefix(err.Error(), "nb: saving figure 1") {
			t.Errorf("Plot to folder %s: error %q, want prefix %q", dir, err, "nb: saving figure 1")
		}
		if buf.Len() != 0 {
			t.Errorf("Plot to folder %s wrote %q, want nothing", dir, buf.String())
		}
	}
}

func TestPrintfConcurrentLinesNotInterleaved(t *testing.T) {
	var buf bytes.Buffer
	d := NewDisplay(&buf, "")
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { d.Markdown(fmt.Sprintf("line %02d", i)) })
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("got %d lines, want %d", len(lines), n)
	}
	slices.Sort(lines)
	for i, l := range lines {
		if want := fmt.Sprintf("line %02d", i); l != want {
			t.Errorf("line %d = %q, want %q", i, l, want)
		}
	}
}

func TestPNGMetadataCarriesAltText(t *testing.T) {
	p := plotting.Lines(plotting.Config{Title: "Cost", XLabel: "epoch", YLabel: "C"}, plotting.Series{Name: "training", X: []float64{0, 1}, Y: []float64{1, 0}})
	md := pngMetadata(plotting.Describe(p), 576, 360)
	// Every value must be of a type GoNB's gob encoding knows (see pngMetadata).
	size, ok := md["image/png"].(map[string]int)
	if !ok {
		t.Fatalf("metadata %v: image/png is %T, want map[string]int", md, md["image/png"])
	}
	if size["width"] != 576 || size["height"] != 360 {
		t.Errorf("image/png metadata = %v, want width 576, height 360", size)
	}
	if want := "Cost. Horizontal axis: epoch; vertical axis: C. Series: training."; md["alt"] != want {
		t.Errorf("alt = %v, want %q", md["alt"], want)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&protocol.DisplayData{Metadata: md}); err != nil {
		t.Errorf("GoNB cannot send the metadata: %v", err)
	}
}
