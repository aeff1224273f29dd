package nb

import (
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
)

// A Display is a destination for the output of a notebook cell.
//
// Inside a GoNB notebook it sends rich output (PNG, HTML, Markdown) to the
// notebook and waits until GoNB has received it (gonbui.Sync): without the
// wait, output sent just before the program ends can be lost. Elsewhere it
// writes text to an io.Writer and figures as numbered PNG files to a folder.
type Display struct {
	notebook bool
	w        io.Writer
	dir      string

	mu      sync.Mutex
	figures int // figures shown so far, to name files outside notebooks
}

// NewDisplay returns a Display that writes text to w and figures to PNG
// files in dir, as used outside notebooks. An empty dir means figures are
// described in w but not saved. NewDisplay panics if w is nil.
func NewDisplay(w io.Writer, dir string) *Display {
	if w == nil {
		panic("nb: NewDisplay with nil writer")
	}
	return &Display{w: w, dir: dir}
}

// FiguresDirEnv names the environment variable with the folder in which
// the Default display saves figures outside notebooks.
const FiguresDirEnv = "NB_FIGURES_DIR"

var (
	defaultOnce    sync.Once
	defaultDisplay *Display
)

// Default returns the display used by the package-level functions: the
// notebook when the program runs under GoNB; otherwise standard output,
// with figures saved to the folder named by $NB_FIGURES_DIR, if set.
func Default() *Display {
	defaultOnce.Do(func() {
		if gonbui.IsNotebook {
			defaultDisplay = &Display{notebook: true, w: os.Stdout}
			return
		}
		defaultDisplay = NewDisplay(os.Stdout, os.Getenv(FiguresDirEnv))
	})
	return defaultDisplay
}

// InNotebook reports whether the display sends its output to a notebook.
func (d *Display) InNotebook() bool { return d.notebook }

// Markdown shows Markdown text. In a notebook, $…$ and $$…$$ are rendered
// as formulas; elsewhere the text is written as it is.
func (d *Display) Markdown(md string) {
	if d.notebook {
		gonbui.DisplayMarkdown(md)
		gonbui.Sync()
		return
	}
	d.printf("%s\n", strings.TrimRight(md, "\n"))
}

// HTML shows a fragment of HTML. Outside a notebook its tags are stripped
// roughly and the text is written.
func (d *Display) HTML(fragment string) {
	if d.notebook {
		gonbui.DisplayHTML(fragment)
		gonbui.Sync()
		return
	}
	d.printf("%s\n", stripTags(fragment))
}

// savePNG writes a figure to the display's folder outside notebooks and
// reports where it went.
func (d *Display) savePNG(png []byte, widthPx, heightPx int) error {
	d.mu.Lock()
	d.figures++
	n := d.figures
	d.mu.Unlock()
	if d.dir == "" {
		d.printf("[figure %d: %d×%d px, not saved; set %s to keep figures]\n", n, widthPx, heightPx, FiguresDirEnv)
		return nil
	}
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("nb: saving figure %d: %w", n, err)
	}
	path := filepath.Join(d.dir, fmt.Sprintf("figure-%03d.png", n))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("nb: saving figure %d: %w", n, err)
	}
	d.printf("[figure %d: %s]\n", n, path)
	return nil
}

func (d *Display) printf(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprintf(d.w, format, args...)
}

// stripTags removes HTML tags and unescapes entities: enough to make the
// course's own HTML fragments readable as text.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

// Markdown shows Markdown text (with $…$ formulas) on the Default display.
func Markdown(md string) { Default().Markdown(md) }

// HTML shows an HTML fragment on the Default display.
func HTML(fragment string) { Default().HTML(fragment) }
