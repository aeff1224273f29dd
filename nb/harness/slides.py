#!/usr/bin/env python3
"""Slide metadata for the reveal.js slides of `make export`.

Every cell's `metadata.slideshow.slide_type` (the field JupyterLab's
property inspector and nbconvert's slides use) decides where it goes:

    the title cell (`# ...`)              "slide"     the first slide
    a markdown cell starting with `## `   "slide"     a new slide, left to right
    a markdown cell starting with `### `  "subslide"  a new slide below it
      (or deeper headings)
    other markdown after a code cell      "subslide"  the comment on a result
                                                      gets its own slide
    other markdown, and code cells        "-"         on the slide above
    the wiring cell (first code cell)     "skip"      plumbing, not shown

`make slides` writes these defaults into the notebooks, for the cells that
have no slide type yet (a type set by hand is kept); `make export` applies
the same defaults, in memory, to cells without one, so a new notebook gets
sensible slides without any step.

    .venv/bin/python nb/harness/slides.py notebooks/*.ipynb

deck_notebook(nb) then lays an executed notebook out for projection, one
screen (1280×720) per slide, by a mechanical rule: every cell becomes items
(a markdown cell's blocks: headings, paragraphs, list items, display
formulas; a code cell's outputs, one item each; its source only if the cell
is tagged `slide-code`), each item's height is estimated from its text at
the slides' font sizes (LAYOUT, the sizes templates/course_slides sets), and
the items fill the slides in order; an item that does not fit in what is
left of a slide starts a sub-slide below it, headed by the section's title
("… (continued)"). A figure gets a sub-slide of its own and fills it; a
table shows its first TABLE_ROWS rows and a last row saying how many more
(the page has them all; a check table keeps its check, got, want and result
columns); printed text its first STREAM_LINES lines. slide_fit.py then
measures every slide in Chromium: the estimate decides the cuts, the
measurement proves them.
"""

import html
import math
import re
import sys

import nbformat

import wording
from strip_notebooks import rewrite_notebooks


def default_slide_type(nb, index):
    """The slide type the course gives cell index of nb by default."""
    cell = nb.cells[index]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    if cell.cell_type == "code":
        return "skip" if index == first_code else "-"
    if cell.cell_type != "markdown":
        return "-"
    text = cell.source.lstrip()
    if index == 0 or text.startswith("# ") or text.startswith("## "):
        return "slide"
    if text.startswith("###"):
        return "subslide"
    if index > 0 and nb.cells[index - 1].cell_type == "code":
        return "subslide"
    return "-"


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def assign_slide_types(nb):
    """Gives every cell without a slide type its default, in place, and
    returns how many cells changed."""
    changed = 0
    for i, cell in enumerate(nb.cells):
        if slide_type(cell):
            continue
        cell.metadata.setdefault("slideshow", {})["slide_type"] = default_slide_type(nb, i)
        changed += 1
    return changed


# --- slides for projection -------------------------------------------------

SHOW_CODE_TAG = "slide-code"
TABLE_ROWS = 4
STREAM_LINES = 8
CHECK_COLUMNS = ("check", "got", "want", "result")

# The layout the height estimates assume, in CSS px of a 1280×720 slide; the
# slides' template (templates/course_slides/index.html.j2) sets the same sizes.
LAYOUT = dict(
    width=1280, height=720, pad_x=48, pad_y=24,
    text=30, line=1.3,          # prose: 30 px, 39 px a line
    h1=46, h2=40, h3=34,        # headings, line height 1.2
    code=22, table=22,          # code, printed text and tables
    context=22,                 # the "(continued)" line atop a continued slide
    char=0.5,                   # mean glyph width of prose (Source Sans Pro), in em, with a margin
    mono=0.6,                   # glyph width of the monospace font, in em
)


def _budget():
    L = LAYOUT
    return L["height"] - 2 * L["pad_y"] - 40  # 40 px slack: the estimates are rough (04_2 overflowed by 26 px at 16)


def _text_width():
    return LAYOUT["width"] - 2 * LAYOUT["pad_x"]


def _visible(text):
    """Markdown source as the reader sees it, roughly: links and emphasis
    marks removed, an inline formula's TeX commands counted as one glyph
    each and its braces, _ and ^ as none, and the formula as 1.5 times
    as wide as its glyphs (02's first slide overflowed by 42 px at 1)."""

    def formula(m):
        tex = re.sub(r"\\[a-zA-Z]+\s*", "x", m.group(1))
        tex = re.sub(r"[{}_^]", "", tex)
        return tex + "x" * (len(tex) // 2)  # math glyphs and the space around operators: half as wide again

    text = re.sub(r"(?<!\$)\$([^$]+)\$(?!\$)", formula, text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("**", "").replace("`", "")


def _lines(text, px, glyph_em, width=None):
    """How many lines text takes when wrapped at width px in a font of px
    px whose glyphs are glyph_em em wide on average."""
    per_line = max(8, int((width or _text_width()) / (px * glyph_em)))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def markdown_blocks(source):
    """Splits markdown into the blocks a slide can be cut between: headings,
    paragraphs, the items of a list, display formulas ($$…$$) and fenced
    code, each a string, in order."""
    blocks, cur, fence, math_open = [], [], False, False

    def flush():
        if cur and "".join(cur).strip():
            blocks.append("\n".join(cur).strip("\n"))
        cur.clear()

    for line in source.split("\n"):
        s = line.strip()
        if fence or math_open:
            cur.append(line)
            if fence and s.startswith("```"):
                fence = False
                flush()
            elif math_open and s.endswith("$$"):
                math_open = False
                flush()
            continue
        if s.startswith("```"):
            flush()
            cur.append(line)
            fence = True
            continue
        if s.startswith("$$"):
            flush()
            cur.append(line)
            if not (len(s) > 2 and s.endswith("$$")):
                math_open = True
            else:
                flush()
            continue
        if not s:
            flush()
            continue
        if s.startswith("#") or re.match(r"^([-*+]|\d+[.)])\s", line):  # a heading or a top-level list item
            flush()
        cur.append(line)
        if s.startswith("#"):
            flush()
    flush()
    return blocks


def block_height(block):
    """The estimated height in px of one markdown block on a slide."""
    L = LAYOUT
    s = block.strip()
    m = re.match(r"^(#+)\s", s)
    if m:
        px = L["h1"] if len(m.group(1)) == 1 else L["h2"] if len(m.group(1)) == 2 else L["h3"]
        return _lines(_visible(s[m.end():]), px, 0.58) * px * 1.2 + 20
    if s.startswith("$$"):
        rows = s.count("\\\\") + 1
        tall = "\\frac" in s or "\\sum" in s or "\\begin" in s
        return rows * (L["text"] * (2.6 if tall else 1.8)) + 24
    if s.startswith("```"):
        return _lines(s, L["code"], L["mono"]) * L["code"] * 1.35 + 24
    if s.startswith("|"):
        return sum(table_row_height(row) for row in s.split("\n")) + 24
    tall_math = len(re.findall(r"\\frac|\\sum|\\int|\^\{|_\{", s))
    lines = _lines(_visible(s), L["text"], L["char"])
    # a fraction set in display style inside the text (\dfrac, \displaystyle)
    # makes its line about twice as tall (04_2's steps 4 and 5: 98 px
    # estimated, 156 px drawn); each such fraction is counted on a line of its own,
    # up to the number of lines
    display_lines = min(lines, len(re.findall(r"\\dfrac|\\displaystyle", s)))
    # an inline matrix (\begin{pmatrix} … \end{pmatrix}) is as tall as its rows
    matrices = sum(
        max(0.0, (m.group(0).count("\\\\") + 1) * L["text"] * 1.3 - L["text"] * (L["line"] - 1) * 2)
        for m in re.finditer(r"\\begin\{(\w+)\}.*?\\end\{\1\}", s, re.S)
    )
    return lines * L["text"] * L["line"] + display_lines * L["text"] * 0.9 + 20 + 4 * tall_math + matrices


def table_row_height(row):
    """The estimated height of one row of a markdown table on a slide: the
    lines its fullest cell wraps to, in a column of an equal share of the
    width (the |---| rule under the header takes none)."""
    L = LAYOUT
    cells = [c for c in row.strip().strip("|").split("|")]
    if all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in cells):
        return 0
    width = _text_width() / max(1, len(cells)) - 16
    lines = max(_lines(_visible(c.strip()), L["table"], L["char"], width) for c in cells)
    return lines * L["table"] * 1.35 + 14


def split_table(block, budget):
    """A markdown table cut into tables of consecutive rows that each fit
    budget px, every one under the table's header."""
    rows = block.strip().split("\n")
    head, body = rows[:2], rows[2:]
    parts, cur = [], []
    for row in body:
        if cur and block_height("\n".join(head + cur + [row])) > budget:
            parts.append("\n".join(head + cur))
            cur = []
        cur.append(row)
    if cur:
        parts.append("\n".join(head + cur))
    return parts


def split_sentences(block):
    """A paragraph cut into sentences (after . ! ? followed by a space and a
    capital, a digit or a formula)."""
    return [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9$(*])", block) if p.strip()]


def _rows(table_html):
    body = re.search(r"<tbody>(.*?)</tbody>", table_html, re.S)
    return re.findall(r"<tr[^>]*>.*?</tr>", body.group(1), re.S) if body else []


def _cells(row):
    return re.findall(r"<t[hd][^>]*>.*?</t[hd]>", row, re.S)


def _column_name(cell):
    """The name of a header cell: its data-nb-column attribute, which nb
    writes in English in every language of the course (a Spanish table's
    <th data-nb-column="got">obtenido</th>), else its text."""
    m = re.match(r'<th[^>]*\bdata-nb-column="([^"]*)"', cell)
    return html.unescape(m.group(1)) if m else re.sub(r"<[^>]+>", "", cell).strip()


def slide_table(table_html, lang="en"):
    """The table as a slide shows it: a check table (nb.Checks) keeps its
    columns CHECK_COLUMNS; every table its first TABLE_ROWS rows and a last
    row saying how many more there are. Returns (html, rows shown, columns)."""
    head = re.search(r"<thead>(.*?)</thead>", table_html, re.S)
    names = [_column_name(c) for c in _cells(head.group(1))] if head else []
    keep = list(range(len(names)))
    if "nb-checks" in table_html and all(c in names for c in CHECK_COLUMNS):
        keep = [names.index(c) for c in CHECK_COLUMNS]

    def cut(row):
        cells = _cells(row)
        if len(cells) != len(names):
            return row
        opening = re.match(r"<tr[^>]*>", row).group(0)
        return opening + "".join(cells[i] for i in keep) + "</tr>"

    rows = _rows(table_html)
    shown = [cut(r) for r in rows[:TABLE_ROWS]]
    if len(rows) > TABLE_ROWS:
        more = len(rows) - TABLE_ROWS
        summary = ""
        m = re.search(r'data-nb-checks="passed=(\d+) failed=(\d+) expected=(\d+)', table_html)
        if m:
            summary = wording.text(lang, "checks_summary", passed=m.group(1))
            if m.group(3) != "0":
                summary += wording.text(lang, "checks_expected", expected=m.group(3))
        line = wording.text(lang, "more_rows", n=more, summary=summary) if more > 1 else wording.text(lang, "more_row", summary=summary)
        shown.append(f'<tr class="slide-more"><td colspan="{len(keep) or 1}">{line}</td></tr>')
    out = table_html
    if head:
        out = out.replace(head.group(0), "<thead>" + cut(head.group(1).strip()) + "</thead>")
    body = re.search(r"<tbody>(.*?)</tbody>", out, re.S)
    if body:
        out = out[: body.start()] + "<tbody>" + "".join(shown) + "</tbody>" + out[body.end():]
    return out, len(shown), len(keep)


def table_height(table_html, rows, columns):
    """Estimated height of a slide table: a caption and header line, and each
    row as tall as its longest cell wrapped in a column of equal share."""
    L = LAYOUT
    col_w = _text_width() / max(1, columns) - 16
    h = 0
    cap = re.search(r"<caption>(.*?)</caption>", table_html, re.S)
    if cap:
        h += _lines(html.unescape(re.sub(r"<[^>]+>", "", cap.group(1))), L["table"], L["char"]) * L["table"] * 1.4 + 8
    for row in re.findall(r"<tr[^>]*>.*?</tr>", table_html, re.S):
        texts = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in _cells(row)]
        span = 1 if 'colspan' not in row else columns
        lines = max((_lines(t, L["table"], L["char"], col_w * span) for t in texts), default=1)
        h += lines * L["table"] * 1.3 + 12
    return h + 24


def _stream_text(text, lang="en"):
    lines = text.rstrip("\n").split("\n")
    if len(lines) > STREAM_LINES:
        more = len(lines) - STREAM_LINES
        lines = lines[:STREAM_LINES] + [wording.text(lang, "more_lines", n=more) if more > 1 else wording.text(lang, "more_line")]
    return "\n".join(lines) + "\n"


def _output_items(cell, lang="en"):
    """The items of a code cell's outputs: (kind, height, output)."""
    L = LAYOUT
    items = []
    for out in cell.get("outputs", []):
        out = nbformat.from_dict(out)
        data = out.get("data", {})
        if out.output_type == "stream":
            out.text = _stream_text(out.text, lang)
            h = _lines(out.text.rstrip("\n"), L["code"], L["mono"]) * L["code"] * 1.3 + 20
            items.append(("text", h, out))
        elif "image/png" in data or "image/jpeg" in data or "image/svg+xml" in data:
            items.append(("figure", _budget(), out))
        elif "text/html" in data and "<table" in data["text/html"]:
            table, rows, cols = slide_table(data["text/html"], lang)
            data["text/html"] = table
            items.append(("table", table_height(table, rows, cols), out))
        elif "text/html" in data:
            # a progress bar (nb.Progress: <progress style="width:12em">) takes the room of 20 glyphs
            text = re.sub(r"<progress\b[^>]*>", "x" * 20, data["text/html"])
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
            items.append(("text", _lines(text.strip() or " ", L["code"], L["mono"]) * L["code"] * 1.4 + 12, out))
        elif out.output_type == "error":
            items.append(("text", (len(out.get("traceback", [])) + 1) * L["code"] * 1.3, out))
        else:
            text = data.get("text/plain", "")
            if text:
                data["text/plain"] = _stream_text(text, lang)
            items.append(("text", _lines(data.get("text/plain", " ").rstrip("\n") or " ", L["code"], L["mono"]) * L["code"] * 1.3 + 20, out))
    return items


def _heading_text(source):
    m = re.match(r"^\s*#+\s+(.*\S)", source)
    return m.group(1) if m else None


def deck_notebook(nb, shrink=None):
    """A copy of nb laid out for projection (see the module's doc): cells
    cut and regrouped so that every slide fits 1280×720 by the estimate.
    Cells need their slide types (assign_slide_types) first.

    The items (blocks and outputs) are numbered in order from 0, and every
    slide carries the number of its first item (data-first-item on its
    <section>) and, in the metadata of its first cell (slide_estimate, not
    shown), the estimated height of what it holds. shrink, {first item:
    px}, lets the slide that starts with that item hold at most px of
    estimated height: slide_fit.py measures how far a slide overflows, and
    the export lays the notebook out again with the slide's estimate less
    the overflow, so that the slide ends one item or more earlier."""
    L = LAYOUT
    budget = _budget()
    shrink = shrink or {}
    lang = wording.language_of(nb)  # of its notes: "(continued)", "… 3 more rows"
    out = nbformat.from_dict(nb)
    out.cells = []
    state = {"used": 0.0, "title": "", "count": 0, "item": 0}
    starts = []  # (index of the slide's first cell, number of its first item)
    estimates = {}  # first item → estimated height of the slide's content

    def emit(cell, kind=None):
        cell.metadata["slideshow"] = {"slide_type": kind or "-"}
        out.cells.append(cell)

    def start(kind, figure=False, continued=True):
        """Starts a slide ("slide") or a sub-slide; continued slides and
        figures open with the section's title on one small line."""
        state["used"] = 0.0
        starts.append((len(out.cells), state["item"]))
        if continued and state["title"]:
            label = nbformat.v4.new_markdown_cell(f'<p class="slide-context">{html.escape(wording.text(lang, "continued", title=state["title"]))}</p>')
            emit(label, kind)
            state["used"] += L["context"] * 1.4 + 8
            kind = None
        if figure:
            # the first cell of the slide names it: <section data-slide-kind="figure">
            target = out.cells[-1] if not kind else None
            if target is not None:
                target.metadata["slideshow"]["data"] = {"slide_kind": "figure"}
        state["count"] += 1
        return kind

    def place(cell, height, kind, figure=False):
        """Puts cell on the current slide, or on a new one when it does not fit."""
        if kind == "-" and state.get("pending"):
            kind = state.pop("pending")
        state.pop("pending", None)
        if kind in ("slide", "subslide"):
            kind = start(kind, figure, continued=False)
        elif figure or (state["used"] > 0 and state["used"] + height > min(budget, shrink.get(starts[-1][1], budget))):
            kind = start("subslide", figure)
        elif state["count"] == 0:
            kind = start("slide", continued=False)
        if figure and kind:
            cell.metadata["slideshow"] = {"slide_type": kind, "data": {"slide_kind": "figure"}}
            out.cells.append(cell)
        else:
            emit(cell, kind)
        state["used"] += height
        estimates[starts[-1][1]] = state["used"]
        state["item"] += 1

    for cell in nb.cells:
        kind = slide_type(cell) or "-"
        if kind == "skip":
            continue
        if kind == "notes":
            c = nbformat.from_dict(cell)
            c.metadata["slideshow"] = {"slide_type": "notes"}
            out.cells.append(c)
            continue
        if kind == "fragment":
            kind = "-"
        if cell.cell_type == "markdown":
            blocks = markdown_blocks(cell.source)
            for k, block in enumerate(blocks):
                title = _heading_text(block)
                if title:
                    state["title"] = title
                parts = [block]
                if block_height(block) > budget and not title:
                    parts = split_table(block, budget) if block.lstrip().startswith("|") else split_sentences(block)
                for j, part in enumerate(parts):
                    c = nbformat.v4.new_markdown_cell(part)
                    place(c, block_height(part), kind if k == 0 and j == 0 else "-")
            continue
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        first = kind
        if SHOW_CODE_TAG in tags:
            lines = cell.source.split("\n")
            per = max(1, int((budget - 24) // (L["code"] * 1.35)))
            k = 0
            while k < len(lines):
                chunk, h = [], 24
                while k < len(lines):
                    lh = _lines(lines[k], L["code"], L["mono"]) * L["code"] * 1.35
                    if chunk and h + lh > min(budget, per * L["code"] * 1.35 + 24):
                        break
                    chunk.append(lines[k])
                    h += lh
                    k += 1
                c = nbformat.v4.new_code_cell("\n".join(chunk))
                c.metadata["tags"] = [SHOW_CODE_TAG]
                place(c, h, first)
                first = "-"
        for item_kind, h, o in _output_items(cell, lang):
            c = nbformat.v4.new_code_cell("")
            c.outputs = [o]
            c.metadata["transient"] = {"remove_source": True}
            c.metadata["tags"] = ["slide-" + item_kind]
            place(c, h, first, figure=item_kind == "figure")
            first = "-"
            if item_kind == "figure":
                state["used"] = budget  # the figure fills its slide
        if first in ("slide", "subslide"):
            # a code cell that starts a slide but shows nothing: the next cell starts it
            state["pending"] = first
    for k, item in starts:
        out.cells[k].metadata["slideshow"].setdefault("data", {})["first_item"] = str(item)
        out.cells[k].metadata["slide_estimate"] = round(estimates[item])
    # The same notebook gives the same slides file, byte for byte (nbformat
    # gives new cells random ids), so the export's check of them is reused.
    for k, c in enumerate(out.cells):
        c.id = f"slide-{k}"
    return out


def slide_estimates(deck):
    """{first item: estimated height in px} of the slides of deck, a
    deck_notebook."""
    return {
        int(c.metadata["slideshow"]["data"]["first_item"]): c.metadata["slide_estimate"]
        for c in deck.cells
        if "first_item" in c.metadata.get("slideshow", {}).get("data", {})
    }


def main(paths):
    return rewrite_notebooks("slides.py", paths, assign_slide_types, lambda path, n: f"slides: {path}: slide type set on {n} cell(s)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
