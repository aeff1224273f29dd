package nb

import (
	"fmt"
	"html"
	"strings"
	"text/tabwriter"
)

// Table is a table of text cells with an optional caption and header.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string

	rowAttrs []string // extra attributes of each row's <tr> tag in HTML, if set
	// headerKeys, if set, name the columns for programs in every language
	// (the data-nb-column attribute of each <th> in HTML), while Header
	// holds what the reader sees, in the current language (see T).
	headerKeys []string
}

// Table shows t: as an HTML table in a notebook, as aligned columns
// elsewhere.
func (d *Display) Table(t Table) {
	if d.notebook {
		d.HTML(t.html(""))
		return
	}
	d.printf("%s", t.text())
}

// ShowTable shows t on the Default display.
func ShowTable(t Table) { Default().Table(t) }

// html renders the table; attrs are extra attributes of the <table> tag.
func (t Table) html(attrs string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<table%s>", attrs)
	if t.Caption != "" {
		fmt.Fprintf(&b, "<caption>%s</caption>", html.EscapeString(t.Caption))
	}
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for i, h := range t.Header {
			if i < len(t.headerKeys) {
				fmt.Fprintf(&b, `<th data-nb-column="%s">%s</th>`, html.EscapeString(t.headerKeys[i]), html.EscapeString(h))
				continue
			}
			fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for i, row := range t.Rows {
		attrs := ""
		if i < len(t.rowAttrs) {
			attrs = t.rowAttrs[i]
		}
		fmt.Fprintf(&b, "<tr%s>", attrs)
		for _, c := range row {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// text renders the table as columns aligned with spaces.
func (t Table) text() string {
	var b strings.Builder
	if t.Caption != "" {
		fmt.Fprintf(&b, "%s\n", t.Caption)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	if len(t.Header) > 0 {
		fmt.Fprintln(tw, strings.Join(t.Header, "\t"))
	}
	for _, row := range t.Rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	return b.String()
}
