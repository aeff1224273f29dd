package nb

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableText(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		want  string
	}{
		{
			name: "caption first, columns aligned",
			table: Table{
				Caption: "Layer sizes",
				Header:  []string{"layer", "units"},
				Rows: [][]string{
					{"input", "784"},
					{"hidden", "30"},
					{"output", "10"},
				},
			},
			want: "Layer sizes\n" +
				"layer   units\n" +
				"input   784\n" +
				"hidden  30\n" +
				"output  10\n",
		},
		{
			name: "three columns, widest cell in the header",
			table: Table{
				Header: []string{"activation", "f(0)", "f'(0)"},
				Rows: [][]string{
					{"σ", "0.5", "0.25"},
					{"tanh", "0", "1"},
				},
			},
			// Widths count runes, not bytes: "σ" is one column wide.
			want: "activation  f(0)  f'(0)\n" +
				"σ           0.5   0.25\n" +
				"tanh        0     1\n",
		},
		{
			name: "no header",
			table: Table{
				Caption: "c",
				Rows:    [][]string{{"a", "b"}, {"ccc", "d"}},
			},
			want: "c\n" +
				"a    b\n" +
				"ccc  d\n",
		},
		{
			name:  "header only",
			table: Table{Header: []string{"x", "y"}},
			want:  "x  y\n",
		},
		{
			name:  "caption only",
			table: Table{Caption: "empty"},
			want:  "empty\n",
		},
		{
			name:  "empty table",
			table: Table{},
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.table.text(); got != tt.want {
				t.Errorf("text():\n%q\nwant:\n%q", got, tt.want)
			}
			// Display.Table writes exactly the text rendering outside notebooks.
			var buf bytes.Buffer
			NewDisplay(&buf, "").Table(tt.table)
			if got := buf.String(); got != tt.want {
				t.Errorf("Display.Table wrote:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestTableTextNoTrailingSpaces(t *testing.T) {
	tab := Table{
		Header: []string{"name", "value"},
		Rows:   [][]string{{"a", "1"}, {"a much longer name", "2"}},
	}
	for i, line := range strings.Split(tab.text(), "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d %q has trailing spaces", i, line)
		}
	}
}

func TestTableHTML(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		attrs string
		want  string
	}{
		{
			name: "escapes caption, header and cells",
			table: Table{
				Caption: "a<b & c>d",
				Header:  []string{"x<y", "p&q"},
				Rows: [][]string{
					{"1 & 2", "<script>alert(1)</script>"},
					{"a > b", `"quoted" 'single'`},
				},
			},
			want: "<table>" +
				"<caption>a&lt;b &amp; c&gt;d</caption>" +
				"<thead><tr><th>x&lt;y</th><th>p&amp;q</th></tr></thead>" +
				"<tbody>" +
				"<tr><td>1 &amp; 2</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr>" +
				"<tr><td>a &gt; b</td><td>&#34;quoted&#34; &#39;single&#39;</td></tr>" +
				"</tbody></table>",
		},
		{
			name:  "attributes, no caption, no header",
			table: Table{Rows: [][]string{{"v"}}},
			attrs: ` class="nb-checks"`,
			want:  `<table class="nb-checks"><tbody><tr><td>v</td></tr></tbody></table>`,
		},
		{
			name:  "empty",
			table: Table{},
			want:  "<table><tbody></tbody></table>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.table.html(tt.attrs); got != tt.want {
				t.Errorf("html(%q):\n%s\nwant:\n%s", tt.attrs, got, tt.want)
			}
		})
	}
}

func TestTableHTMLStripsBackToText(t *testing.T) {
	// Escaped cells survive the notebook's HTML and the text fallback of
	// Display.HTML unchanged.
	cells := []string{"a<b", "c & d", "<i>not a tag</i>"}
	got := stripTags(Table{Rows: [][]string{cells}}.html(""))
	if want := strings.Join(cells, ""); got != want {
		t.Errorf("stripTags(html) = %q, want %q", got, want)
	}
}
