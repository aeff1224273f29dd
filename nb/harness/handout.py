"""What the exported pages and PDFs show (make export, export.py).

The teacher's edition (build/course/NAME.html, course.html, course.pdf) is
the executed notebook with the worked solutions of the graded exercises,
cleaned for reading (teacher):

  - the wiring cell (the first code cell, which points GoNB at the course's
    Go module and prints the absolute path of the teacher's checkout) is
    left out; the slides skip it already;
  - the nbgrader marker lines (// BEGIN SOLUTION, // END SOLUTION,
    // BEGIN HIDDEN TESTS, // END HIDDEN TESTS, <!-- BEGIN SOLUTION -->, ...)
    are removed from the sources; the code between them stays;
  - the lines "NAME: loaded the network trained earlier from the cache."
    (nb/runs.go) become one small gray line per notebook, where the first
    of them was, saying how many networks came from the cache.

The student handout (build/course/student/: NAME.html, handout.pdf,
index.html) is made from the same executed notebook with every nbgrader cell
replaced, by cell id, by the cell of nbgrader's release (student): the stub
`panic("not implemented") // YOUR CODE HERE` in place of each solution, the
test cells without their hidden tests, and neither with outputs; the figures
and text of every other cell stay. Its "Graded exercises" heading reads
"Your turn: graded exercises".

The whole course on one page (export.write_book) starts with a
table of contents (contents_cell): every notebook by its own title (0, 1,
..., 4.1, ..., 6, A, B) and its ## sections, each a link to an anchor that
anchor_headings puts before the heading; printed with Chromium's outline, the
same headings are the PDF's bookmarks.
"""

import html
import os
import re

import nbformat

import grader
import wording

WIRING_RE = re.compile(r"^\s*!.*\bgo mod edit\b.*-replace=", re.M)
CACHE_NOTICE_RE = re.compile(r"loaded the network trained earlier from the (?:class's shared )?cache", re.I)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
def graded_heading_re(lang):
    """The heading of a notebook's graded exercises in language lang."""
    return re.compile(r"^(#{1,6})\s+" + re.escape(wording.text(lang, "graded_heading")) + r"\s*$", re.M)
CACHE_NOTE_CLASS = "course-cache-note"


class HandoutError(ValueError):
    """A release that does not match its notebook; the message names both."""


def is_wiring(cell):
    """Whether cell is a notebook's wiring cell: nbgrader's grade_id
    "wiring", or a shell line (!) running go mod edit -replace=."""
    if cell.cell_type != "code":
        return False
    return grader.nbgrader_meta(cell).get("grade_id") == "wiring" or bool(WIRING_RE.search(cell.source))


def without_markers(source, cell_type):
    """source without its nbgrader marker lines (grader.py's exact forms)."""
    marker = grader.MARKDOWN_MARKER_RE if cell_type == "markdown" else grader.CODE_MARKER_RE
    return "\n".join(l for l in source.split("\n") if not marker.match(l))


def output_text(out):
    """The text an output shows (stream text, HTML, Markdown or plain)."""
    if out.get("output_type") == "stream":
        t = out.get("text", "")
    else:
        data = out.get("data", {})
        t = data.get("text/html") or data.get("text/markdown") or data.get("text/plain") or ""
    return "".join(t) if isinstance(t, list) else t


def cache_note(n):
    what = "network" if n == 1 else "networks"
    was = "was" if n == 1 else "were"
    return nbformat.v4.new_output(
        "display_data",
        data={
            "text/html": f'<p class="{CACHE_NOTE_CLASS}">{n} {what} of this notebook {was} loaded from the model cache '
            "(trained earlier with the same settings and code).</p>",
            "text/plain": f"{n} {what} loaded from the model cache.",
        },
    )


def collapse_cache_notices(nb):
    """Removes the cache notices of nb's outputs and puts one note, counting
    them, where the first was. Returns how many there were."""
    first, n = None, 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "stream") and CACHE_NOTICE_RE.search(output_text(out)):
                n += 1
                if out.get("output_type") == "stream":
                    rest = "".join(l for l in output_text(out).splitlines(True) if not CACHE_NOTICE_RE.search(l))
                    if rest:
                        out = nbformat.from_dict(dict(out, text=rest))
                        kept.append(out)
                if first is None:
                    first = (cell, len(kept))
                continue
            kept.append(out)
        cell.outputs = kept
    if first:
        cell, at = first
        cell.outputs.insert(at, cache_note(n))
    return n


def teacher(nb):
    """The teacher's edition of an executed notebook: a copy of nb without
    the wiring cell, the nbgrader marker lines and the cache notices (one
    note instead)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if not is_wiring(c)]
    for cell in nb.cells:
        if cell.cell_type in ("code", "markdown"):
            cell.source = without_markers(cell.source, cell.cell_type)
    collapse_cache_notices(nb)
    return nb


def student(nb, release, name):
    """The student's edition of an executed notebook nb: every cell with
    nbgrader metadata replaced by the cell of the same id in release
    (nbgrader's release of the notebook), without outputs; the rest as in
    teacher(nb). Raises HandoutError when the release lacks a cell."""
    lang = wording.language_of(nb)
    by_id = {c.get("id"): c for c in release.cells}
    by_grade_id = {grader.nbgrader_meta(c).get("grade_id"): c for c in release.cells if grader.nbgrader_meta(c)}
    out = nbformat.from_dict(nb)
    cells = []
    for cell in out.cells:
        meta = grader.nbgrader_meta(cell)
        if meta and not is_wiring(cell):
            r = by_id.get(cell.get("id")) or by_grade_id.get(meta.get("grade_id"))
            if r is None:
                raise HandoutError(f"{name}: the release has no cell {cell.get('id')!r} (nbgrader grade_id {meta.get('grade_id')!r})")
            cell = nbformat.from_dict(cell)
            cell.source = r.source
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        if cell.cell_type == "markdown":
            cell.source = graded_heading_re(lang).sub(lambda m: f"{m.group(1)} {wording.text(lang, 'student_heading')}", cell.source)
        cells.append(cell)
    out.cells = cells
    return teacher(out)


# --- the contents of the whole course on one page ---------------------------


def anchor(stem, k=0):
    """The id of a notebook (k = 0) or of its k-th ## section in the book."""
    return f"nb-{stem}" if k == 0 else f"nb-{stem}-{k}"


def inline_html(md):
    """A heading's Markdown as HTML for a link: escaped, `code` as <code>,
    formulas ($...$) left for KaTeX (typeset.py)."""
    parts = re.split(r"(`[^`]*`)", md)
    return "".join(f"<code>{html.escape(p[1:-1])}</code>" if p.startswith("`") and p.endswith("`") and len(p) > 1 else html.escape(p, quote=False) for p in parts)


def anchor_headings(nb, stem, self_link=False):
    """Puts an anchor before the notebook's first # heading (anchor(stem))
    and before each ## heading (anchor(stem, k), k = 1, 2, ...) of nb's
    markdown cells, in place; returns the headings as [(level, text, id)].
    With self_link, each anchor is an empty link to itself, which Chromium
    prints as a named destination of the PDF (pdfbook.py)."""
    found = []
    top = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines, fenced = [], False
        for line in cell.source.split("\n"):
            if FENCE_RE.match(line):
                fenced = not fenced
            m = None if fenced else HEADING_RE.match(line)
            if m and (len(m.group(1)) == 2 or (len(m.group(1)) == 1 and not top)):
                level = len(m.group(1))
                if level == 1:
                    top = True
                    a = anchor(stem)
                else:
                    a = anchor(stem, sum(1 for f in found if f[0] == 2) + 1)
                found.append((level, m.group(2), a))
                lines += ["", f'<a id="{a}" href="#{a}"></a>' if self_link else f'<a id="{a}"></a>', ""]
            lines.append(line)
        cell.source = "\n".join(lines).lstrip("\n")
    return found


def contents_cell(title, toc, cell_id="course-contents", link_base="", label="Contents"):
    """The book's first cell: title and a contents list of links, one entry
    per notebook (its title as written, with its own number) and a list of its
    sections under it. toc is [(stem, notebook title, [(level, text, id)])].
    Written as HTML, so that Markdown does not turn "4.1 ..." into a nested
    ordered list. The links go to link_base + "#id" (the same page when
    link_base is "")."""
    items = []
    for stem, nb_title, headings in toc:
        subs = "".join(f'<li><a href="{link_base}#{a}">{inline_html(t)}</a></li>' for level, t, a in headings if level == 2)
        items.append(f'<li><a href="{link_base}#{anchor(stem)}">{inline_html(nb_title)}</a>' + (f"<ul>{subs}</ul>" if subs else "") + "</li>")
    body = f'<nav class="course-contents" aria-label="{html.escape(label)}">\n<ul>{"".join(items)}</ul>\n</nav>'
    return nbformat.v4.new_markdown_cell(f"# {title}\n\n{body}\n", id=cell_id)


# --- the student's index page ------------------------------------------------


def student_index(course_title, entries, lang="en"):
    """The index of build/course/student/ in language lang: each notebook's
    page and notebook, and handout.pdf. entries: [{"stem", "title"}]."""
    def t(key, **values):
        return wording.text(lang, key, **values)

    rows = "".join(
        f'<tr><td><a href="{html.escape(e["stem"])}.html">{html.escape(e["title"])}</a></td>'
        f'<td><a href="{html.escape(e["stem"])}.ipynb">{t("index_notebook")}</a></td></tr>'
        for e in entries
    )
    title = html.escape(t("handout_title", course=course_title))
    folder, command = wording.FOLDERS[lang]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ text-align: left; padding: 0.35em 0.8em 0.35em 0; border-bottom: 1px solid #ddd; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{t("student_intro")}</p>
<p>{t("student_howto", folder=folder, command=command)}</p>
<table>
{t("student_header")}
{rows}
</table>
</main>
</body>
</html>
"""


def read_release(student_dir, stem):
    path = os.path.join(student_dir, stem + ".ipynb")
    if not os.path.isfile(path):
        raise HandoutError(f"{stem}.ipynb: no student release at {path}")
    return nbformat.read(path, as_version=4)


def in_subfolder(page, root):
    """page, written for root/, with its links to root's asset folders
    (mathjax/, reveal.js/, ...: every folder of root) made ../ so that it
    works one folder down (root/student/)."""
    folders = [d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and not d.startswith(".")]
    if not folders:
        return page
    alt = "|".join(re.escape(d) for d in sorted(folders, key=len, reverse=True))
    return re.sub(rf'\b(src|href)="((?:{alt})/)', r'\1="../\2', page)
