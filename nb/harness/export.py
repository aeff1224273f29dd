#!/usr/bin/env python3
"""Export the course as teaching material (make export).

Executes every notebook through the GoNB kernel with the notebook harness
(run_notebooks.py: the same checks as `make test`), in full mode unless
--quick is given, and writes to build/course/:

    index.html                 the notebooks in the order of the notes, with links
    NAME.html                  one page per notebook: plots embedded as data
                               URIs, formulas typeset by KaTeX at export time
                               (typeset.py: no script, they open typeset); the
                               teacher's edition, with the graded exercises'
                               solutions (without the wiring cell, nbgrader's
                               marker lines and repeated cache notices:
                               nb/harness/handout.py)
    NAME.slides.html           reveal.js slides per notebook, cut by the cells'
                               slide metadata (nb/harness/slides.py) into slides
                               that fit 1280×720 (measured by slide_fit.py, and
                               laid out again where one overflows)
    course.html, course.pdf    the whole course on one page, and as a PDF printed
                               by headless Chromium a notebook at a time
                               (pdfbook.py); a contents list of links (notebooks
                               and their sections) and the PDF's bookmarks
    notes-checked.html         "The notes, checked": every claim of the notes in
                               the ledger (nb/ledger), its verdict and the
                               numbers of its checks (nb/harness/ledger.py)
    student/NAME.ipynb         the student release (nbgrader, grader.py): each graded
                               exercise's solution replaced by a stub, hidden tests
                               removed, no outputs
    student/NAME.html,         the student handout: the executed pages with the
    student/handout.pdf,       release's cells in place of the graded cells (no
    student/index.html         solution, no hidden test, no output of them)
    katex/, reveal.js/         KaTeX's CSS and fonts (make setup installs KaTeX
                               from npm) and reveal.js (from sphinx-revealjs),
                               so that pages and slides render offline

Everything is written to a temporary folder first and moved into place at the
end: an export whose notebook fails stops there, names the notebook and the
cell, and leaves the previous build/course/ as it was. So does an export whose
checks contradict the ledger of the notes' claims, or whose pages have a
formula KaTeX cannot typeset (the notebook and the formula are named), or a
critical accessibility violation (axe-core, accessibility.py).

Only what changed is done again: a notebook whose code, the library and the
mode are unchanged is not run (export_cache.ExecutedCache); a page whose
notebook and templates are unchanged is not rendered, typeset or printed
again, nor a student release made again (export_cache.Memo, in
export-cache/memo/MODE/); a page or slides file checked before is not
checked again (export_cache.PageVerdicts). The last line gives the seconds
each phase took.

    .venv/bin/python nb/harness/export.py [--quick] [--out build/course] notebooks/*.ipynb
"""

import argparse
import concurrent.futures
import contextlib
import datetime
import functools
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time

import nbformat
from nbconvert import HTMLExporter, SlidesExporter

import accessibility
import browser
import editions
import export_cache
import ledger
import run_notebooks
import grader
import handout
import pdfbook
import slide_fit
import slides
import typeset
import wording

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))  # the course module (go.mod)
TEMPLATES = os.path.join(HERE, "templates")
REVEAL_DIR = "reveal.js"
REVEAL_CDN = "https://unpkg.com/reveal.js@5.2.0"
COURSE_TITLE = wording.text("en", "course_title")


def say(*args, **kwargs):
    print(*args, **kwargs, flush=True)


def notebook_title(nb, fallback):
    """The text of the notebook's first heading, without the #'s."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^#+\s+(.*\S)", line)
            if m:
                return m.group(1)
    return fallback


def section_key(path):
    """Sort key in the order of the notes: 00, 01, ..., 04_1, ..., 06, A, B
    (digits sort before letters, so the file names already do)."""
    return os.path.basename(path)


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


# --- assets: KaTeX's CSS and fonts (npm), reveal.js (a Python package) -------


def reveal_source():
    """The folder of reveal.js (dist/, plugin/) shipped by sphinx-revealjs, or None."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("sphinx_revealjs")
    except ImportError:
        spec = None
    if not spec or not spec.origin:
        return None
    d = os.path.join(os.path.dirname(spec.origin), "_static", "revealjs")
    return d if os.path.isfile(os.path.join(d, "dist", "reveal.js")) else None


def copy_assets(staging):
    """Copies KaTeX's CSS and fonts and reveal.js next to the pages; returns
    the URL the slides use for reveal.js (relative when copied, a CDN
    otherwise) and a list of notes about what needs the network."""
    notes = []
    typeset.copy_assets(staging)
    src = reveal_source()
    if src:
        for part in ("dist", "plugin"):
            shutil.copytree(os.path.join(src, part), os.path.join(staging, REVEAL_DIR, part))
        shutil.copy(os.path.join(src, "LICENSE"), os.path.join(staging, REVEAL_DIR))
        reveal = REVEAL_DIR
    else:
        reveal = REVEAL_CDN
        notes.append("reveal.js is not installed (sphinx-revealjs, make setup): the slides load reveal.js from a CDN")
    return reveal, notes


# --- pages, slides, the whole course ---------------------------------------


def page_exporter(lang="en"):
    """nbconvert's HTML exporter with the course's page template (no
    MathJax: the export typesets the formulas, typeset.py), for pages in
    language lang (<html lang>)."""
    e = HTMLExporter(template_name="course_page", extra_template_basedirs=[TEMPLATES], extra_template_paths=[TEMPLATES])
    e.language_code = lang
    return e


def slides_exporter(reveal_url, lang="en"):
    """nbconvert's reveal.js exporter with the course's slides template."""
    e = SlidesExporter(template_name="course_slides", extra_template_basedirs=[TEMPLATES], extra_template_paths=[TEMPLATES])
    e.language_code = lang
    e.reveal_url_prefix = reveal_url
    e.reveal_number = "c/t"
    e.reveal_theme = "white"  # its fonts ship with reveal.js; "simple" loads Google Fonts
    return e


@functools.cache
def _files_digest(paths):
    """SHA-256 (hex) of the files paths, a tuple (folders: every file under
    them), in order; read once per run of the export."""
    h = hashlib.sha256()
    for top in paths:
        files = [top] if os.path.isfile(top) else sorted(
            os.path.join(d, n) for d, _, names in os.walk(top) if "__pycache__" not in d.split(os.sep) for n in names
        )
        for path in files:
            with open(path, "rb") as f:
                h.update(f"{os.path.relpath(path, HERE)}\n".encode() + f.read())
    return h.hexdigest()


def render(exporter, nb, title, course, memo=None):
    """nb as an HTML page of exporter's (its template), titled title, with
    resources.course = course (the navigation links, the book's CSS). With
    memo (an export_cache.Memo), a page rendered before from the same
    notebook, title, links, templates and export.py is taken from it."""
    key = None
    if memo is not None:
        import nbconvert

        version = _files_digest((TEMPLATES, __file__))
        settings = (f"{type(exporter).__name__} {exporter.template_name} {getattr(exporter, 'reveal_url_prefix', '')} "
                    f"{exporter.language_code} nbconvert {nbconvert.__version__}")
        key = memo.key("render", version, settings, title, json.dumps(course, sort_keys=True), nbformat.writes(nb))
        kept = memo.get(key)
        if kept is not None:
            return kept.decode("utf-8")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "course": course})
    if key is not None:
        memo.put(key, body)
    return body


def typeset_cached(paths, memo):
    """typeset.typeset_pages(paths), except that with memo (an
    export_cache.Memo) a page whose bytes were typeset before (by the same
    typeset.py, katex_render.js and KaTeX) is taken from it. Returns the
    [typeset.Rejected]; a page with a rejected formula is left as it was and
    not kept."""
    if memo is None:
        return typeset.typeset_pages(paths)[1]
    version = _files_digest((typeset.__file__, os.path.join(HERE, "katex_render.js"), os.path.join(typeset.KATEX, "package.json")))
    todo = []
    for path in paths:
        with open(path, "rb") as f:
            key = memo.key("katex", version, f.read())
        kept = memo.get(key)
        if kept is None:
            todo.append((path, key))
            continue
        with open(path, "wb") as f:
            f.write(kept)
    if not todo:
        return []
    _, rejected = typeset.typeset_pages([p for p, _ in todo])
    bad = {name for r in rejected for name in r.pages}
    for path, key in todo:
        if os.path.basename(path) not in bad:
            with open(path, "rb") as f:
                memo.put(key, f.read())
    return rejected


def with_slide_types(nb):
    """A copy of nb in which cells without slide metadata get the defaults."""
    nb = nbformat.from_dict(nb)
    slides.assign_slide_types(nb)
    return nb


def book_parts(entries, title=COURSE_TITLE, key="nb", link_base="", self_links=False, lang="en"):
    """The whole course in parts: a notebook holding the contents page (its
    links to link_base + "#id"), and [(entry, notebook)] for every executed
    notebook (entry[key]) with an anchor before its title and each ##
    section (handout.anchor_headings; self_links for printing them apart,
    pdfbook.py). Cell ids are prefixed with the notebook's stem, so that
    they stay unique in one book; each notebook starts on a new page when
    printed (its first cell is tagged course-notebook-start)."""
    metadata = dict(entries[0][key].metadata) if entries else {}
    toc, parts = [], []
    for e in entries:
        nb = nbformat.from_dict(e[key])
        toc.append((e["stem"], e["title"], handout.anchor_headings(nb, e["stem"], self_link=self_links)))
        for i, cell in enumerate(nb.cells):
            cell.id = f"{e['stem']}-{cell.get('id') or i}"[:64]
        if nb.cells:
            nb.cells[0].metadata["tags"] = list(nb.cells[0].metadata.get("tags", [])) + ["course-notebook-start"]
        parts.append((e, nb))
    contents = nbformat.v4.new_notebook()
    contents.metadata = metadata
    contents.cells.append(handout.contents_cell(title, toc, link_base=link_base, label=wording.text(lang, "contents")))
    return contents, parts


def splice(first, others):
    """The HTML page first (nbconvert's, with its <main>) with the cells of
    each page of others (what their <main> holds) appended to its own."""
    def main_of(page):
        start, end = page.find("<main>"), page.rfind("</main>")
        if start < 0 or end < start:
            raise ValueError("a rendered page has no <main>")
        return start + len("<main>"), end

    _, end = main_of(first)
    inner = []
    for page in others:
        a, b = main_of(page)
        inner.append(page[a:b])
    return first[:end] + "".join(inner) + first[end:]


def write_book(staging, entries, memo, title, pdf_path, key="nb", html_path=None, nav=None, lang="en"):
    """Writes the whole course (entry[key] of entries, after a contents
    page) as one PDF, pdf_path, printed a part at a time (pdfbook.py), and,
    given html_path, as one page with the navigation links nav. Each part's
    page is rendered, typeset and printed, or taken from memo when its
    input is unchanged; the one page is the parts' cells after the contents.
    Returns (refused URLs, parts printed now, parts)."""
    exporter = page_exporter(lang)
    contents, parts = book_parts(entries, title, key, link_base=pdfbook.LINK_BASE, self_links=True, lang=lang)
    pages, written = [], []
    try:
        for name, nb, footer in [("contents", contents, "")] + [(e["stem"], nb, e["title"]) for e, nb in parts]:
            # Hidden files next to the pages, so that their links to katex/ work as written.
            path = os.path.join(staging, f".part-{name}.html")
            written.append(path)
            with open(path, "w", encoding="utf-8") as f:
                f.write(render(exporter, nb, title, {"book": True}, memo))
            pages.append((path, footer))
        # The pages hold the same formulas (typeset_pages checked them), so none is rejected here.
        typeset_cached([p for p, _ in pages], memo)
        refused, printed = pdfbook.print_book(pages, pdf_path, memo, title)
        if html_path:
            # The page's contents links go to its own anchors, which need no link to themselves.
            contents, _ = book_parts(entries, title, key, lang=lang)
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(render(exporter, contents, title, {"book": True, "nav": nav or []}, memo))
            typeset_cached([html_path], memo)
            texts = []
            for path, _ in pages[1:]:
                with open(path, encoding="utf-8") as f:
                    texts.append(re.sub(r'<a id="([^"]+)" href="#\1"></a>', r'<a id="\1"></a>', f.read()))
            with open(html_path, encoding="utf-8") as f:
                first = f.read()
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(splice(first, texts))
    finally:
        for path in written:
            if os.path.exists(path):
                os.remove(path)
    return refused, printed, len(pages)


def typeset_pages(staging, entries, out, memo):
    """Typesets the formulas of every page in staging with KaTeX (typeset.py,
    typeset_cached); on a formula KaTeX rejects, names it and its notebook
    and returns False."""
    sources = {f"{e['stem']}{ext}": e["path"] for e in entries for ext in (".html", ".slides.html")}
    sources["notes-checked.html"] = "the ledger of the notes' claims (nb/ledger, notes-checked.html)"
    pages = sorted(os.path.join(staging, n) for n in os.listdir(staging) if n.endswith(".html") and not n.startswith("."))
    rejected = typeset_cached(pages, memo)
    for r in rejected:
        say(f"  {typeset.describe(r, sources)}", file=sys.stderr)
    if rejected:
        say(f"export: KaTeX cannot typeset {len(rejected)} formula(s): fix the TeX in the notebook, or add the macro to typeset.MACROS; {out}/ was not changed", file=sys.stderr)
    return not rejected


# How many times a notebook's slides are laid out again after a measured
# overflow, and how many px more than the overflow the slide gives up.
RELAYOUTS = 3
RELAYOUT_MARGIN = 8


def write_slides(staging, e, exporter, shrink=None, memo=None):
    """Writes the slides of entry e (slides.deck_notebook, shrink as there)
    to staging/NAME.slides.html and returns the path."""
    path = os.path.join(staging, f"{e['stem']}.slides.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(exporter, slides.deck_notebook(e["nb"], shrink), e["title"], {}, memo))
    return path


def check_slides(staging, entries, cache_dir, exporter, memo=None, say=say):
    """Checks that every slide of every notebook's slides file fits the
    screen (slide_fit.py, once its formulas are typeset); a file whose
    content passed before (in the export cache) is not opened again. The
    layout's heights are estimates: a notebook with a slide that overflows
    is laid out again with that slide's room set to its estimate less the
    measured overflow (slides.deck_notebook's shrink), typeset and measured
    again, up to RELAYOUTS times. Names every slide that still does not fit, and returns
    the notebooks that have one. The verdict kept for a file is the shrink
    that made it fit (the export lays it out so again, without measuring).
    memo (an export_cache.Memo) keeps the pages rendered and typeset; say
    prints its lines."""
    # The measurement and the layout whose shrink a verdict keeps.
    verdicts = export_cache.PageVerdicts(cache_dir, "slide-fit", _files_digest((slide_fit.__file__, slides.__file__)))
    size = f"{slide_fit.VIEWPORT['width']}×{slide_fit.VIEWPORT['height']}"
    files = {os.path.join(staging, f"{e['stem']}.slides.html"): e for e in entries}
    fit, changed = verdicts.split(list(files))
    passed, unfit = {}, []
    for path, e in files.items():
        name = os.path.basename(e["path"])
        if path in fit:
            shrink = fit[path].get("shrink") if isinstance(fit[path], dict) else None
            if shrink:
                write_slides(staging, e, exporter, {int(k): v for k, v in shrink.items()}, memo)
                typeset_cached([path], memo)
            say(f"  {name}: the slides fit {size} (checked before)")
            continue
        key = verdicts.key(path)
        shrink, relaid = {}, 0
        while True:
            try:
                found, n = slide_fit.overflowing(path)
            except RuntimeError as err:
                say(f"  {name}: the slides could not be checked: {err}", file=sys.stderr)
                found, n = None, 0
                break
            fixable = [o for o in found if o.first_item is not None and o.dy > 0]
            if not found or not fixable or relaid == RELAYOUTS:
                break
            estimates = slides.slide_estimates(slides.deck_notebook(e["nb"], shrink))
            for o in fixable:
                if o.first_item in estimates:
                    shrink[o.first_item] = estimates[o.first_item] - o.dy - RELAYOUT_MARGIN
            with open(path, "rb") as f:
                before = f.read()
            write_slides(staging, e, exporter, shrink, memo)
            typeset_cached([path], memo)
            with open(path, "rb") as f:
                if f.read() == before:
                    break  # an item taller than a slide: nothing to move
            relaid += 1
        again = f" (laid out again {relaid} time{'s' if relaid > 1 else ''} after measuring)" if relaid else ""
        if found == []:
            say(f"  {name}: {n} slides, each fits {size}{again}")
            passed[key] = {"shrink": {str(k): v for k, v in shrink.items()}} if shrink else True
            continue
        for o in found or []:
            say("  " + slide_fit.describe(name, o), file=sys.stderr)
        if found:
            say(f"  {name}: {len(found)} of {n} slides do not fit {size}{again}", file=sys.stderr)
        unfit.append(name)
    verdicts.save_keys(passed)
    return unfit


def write_student_release(paths, out_dir, course_dir, memo=None):
    """Writes nbgrader's release of every notebook of paths (grader.py, as
    make assignments) to out_dir/NAME.ipynb, generated in the nbgrader course
    directory course_dir, which it then removes; with memo (an
    export_cache.Memo), the release of a notebook whose bytes, grader.py
    and nbgrader's configuration are unchanged is taken from it. Raises
    grader.GraderError on a notebook without graded exercises or with wrong
    markers."""
    from importlib.metadata import version

    grader.require_graded(paths)
    os.makedirs(out_dir, exist_ok=True)
    todo = {}
    for path in paths:
        out = os.path.join(out_dir, os.path.basename(path))
        key = None
        if memo is not None:
            with open(path, "rb") as f:
                key = memo.key("release", _files_digest((grader.__file__, os.path.join(ROOT, "nb", "grader"))), version("nbgrader"), f.read())
            kept = memo.get(key)
            if kept is not None:
                with open(out, "wb") as f:
                    f.write(kept)
                continue
        todo[os.path.basename(path)] = (path, key)
    if not todo:
        return
    try:
        with grader.course_dir(course_dir):
            for _, release in grader.generate_assignments([p for p, _ in todo.values()], say=lambda *a, **k: None):
                out = os.path.join(out_dir, os.path.basename(release))
                shutil.copyfile(release, out)
                key = todo.get(os.path.basename(release), (None, None))[1]
                if key is not None:
                    with open(out, "rb") as f:
                        memo.put(key, f.read())
    finally:
        shutil.rmtree(course_dir, ignore_errors=True)


def release_process(paths, out_dir, course_dir, memo_folder):
    """write_student_release, run in a process of its own with the memo in
    memo_folder; returns the memo's keys it used and the seconds it took."""
    start = time.time()
    memo = export_cache.Memo(memo_folder)
    write_student_release(paths, out_dir, course_dir, memo)
    return sorted(memo.used), time.time() - start


def write_student_handout(staging, entries, memo=None, lang="en"):
    """Writes the student handout to staging/student/ next to the release's
    notebooks (write_student_release): NAME.html per notebook, handout.pdf
    (all of them: write_book) and index.html, in language lang; see
    handout.py. Returns what write_book returns."""
    exporter = page_exporter(lang)
    folder = os.path.join(staging, "student")
    students = []
    for e in entries:
        nb = handout.student(e["nb"], handout.read_release(folder, e["stem"]), f"{e['stem']}.ipynb")
        nav = [(wording.text(lang, "nav_handout"), "index.html"), (wording.text(lang, "nav_handout_pdf"), "handout.pdf")]
        page = handout.in_subfolder(render(exporter, nb, e["title"], {"nav": nav}, memo), staging)
        with open(os.path.join(folder, f"{e['stem']}.html"), "w", encoding="utf-8") as f:
            f.write(page)
        students.append(dict(e, student=nb))
    # The teacher's pages typeset the same formulas (typeset_pages), so none is rejected here.
    typeset_cached([os.path.join(folder, f"{s['stem']}.html") for s in students], memo)
    course = wording.text(lang, "course_title")
    printed = write_book(staging, students, memo, wording.text(lang, "handout_title", course=course), os.path.join(folder, "handout.pdf"),
                         key="student", lang=lang)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(handout.student_index(course, entries, lang))
    return printed


def index_html(entries, mode, notes, seconds, lang="en", other=None):
    """The export's index page in language lang; other, the link to the
    index of the other edition (None for none)."""
    def t(key, **values):
        return wording.text(lang, key, **values)

    rows = []
    for e in entries:
        s = html.escape(e["stem"])
        rows.append(
            "<tr>"
            f'<td><a href="{s}.html">{html.escape(e["title"])}</a></td>'
            f'<td><a href="{s}.slides.html">{t("index_slides")}</a></td>'
            f'<td><a href="student/{s}.html">{t("index_student_page")}</a> · <a href="student/{s}.ipynb">{t("index_notebook")}</a></td>'
            f'<td>{t("index_executed", images=e["result"].images, checks=e["result"].checks_passed)}</td>'
            "</tr>"
        )
    notes_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    today = datetime.date.today().isoformat()
    title = html.escape(t("course_title"))
    editions_html = f"<p>{t('other_edition', href=html.escape(other))}</p>\n" if other else ""
    folder = wording.FOLDERS[lang][0]
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
.meta {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{editions_html}<p>{t("index_intro", today=today, mode=t("mode_" + mode), seconds=seconds)}</p>
<p>{t("index_notes")}</p>
<p>{t("index_books")}</p>
<p>{t("index_teacher", folder=folder)}</p>
<table>
{t("index_header")}
{"".join(rows)}
</table>
<p class="meta">{t("index_keys")}</p>
<ul class="meta">{notes_html}</ul>
</main>
</body>
</html>
"""


# --- the export --------------------------------------------------------------


class Phases:
    """Wall-clock seconds per phase of the export, said at its end:

        took = Phases()
        with took("course.pdf"):
            ...
        print(f"{took}")   # "notebooks 3 s, course.pdf 41 s"
    """

    def __init__(self):
        self.seconds = {}
        self.lock = threading.Lock()  # jobs at once add to the same phase

    def add(self, name, seconds):
        with self.lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextlib.contextmanager
    def __call__(self, name):
        t = time.time()
        try:
            yield
        finally:
            self.add(name, time.time() - t)

    def __str__(self):
        return ", ".join(f"{k} {v:.0f} s" for k, v in self.seconds.items())


class Lines:
    """A say() for a job that runs beside others: keeps its lines, and
    replays them when the job is done, so that jobs' lines do not mix."""

    def __init__(self):
        self.lines = []

    def __call__(self, *args, file=None, end="\n"):
        self.lines.append((" ".join(str(a) for a in args) + end, file))

    def replay(self, say):
        for text, file in self.lines:
            say(text, end="", **({"file": file} if file else {}))


def install(staging, out, keep=()):
    """Replaces out by staging, keeping out as it was until the last moment,
    and moving the subfolders keep of out (the other editions' exports)
    into the new one."""
    parent = os.path.dirname(os.path.abspath(out))
    old = None
    for name in keep:
        if os.path.isdir(os.path.join(out, name)) and not os.path.exists(os.path.join(staging, name)):
            os.rename(os.path.join(out, name), os.path.join(staging, name))
    if os.path.exists(out):
        old = tempfile.mkdtemp(prefix=".course-old-", dir=parent)
        os.rename(out, os.path.join(old, "course"))
    os.rename(staging, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def course_paths(paths, out, quick, cache_dir):
    """The notebooks of the course to write to out: paths, and the notebooks
    of the last export to out in the same mode that still exist (so that
    exporting one notebook updates it in place), in the order of the notes."""
    last = export_cache.last_export(cache_dir, out, quick)
    known = {os.path.abspath(p) for p in paths}
    kept = [p for p in last if os.path.abspath(p) not in known and os.path.isfile(p)]
    return sorted(list(paths) + kept, key=section_key), kept


def execute(paths, args, quick, store, fresh, model_cache):
    """Runs or finds the executed version of every notebook of paths, in
    order: from store when its code, the library and the mode are unchanged
    (unless fresh), otherwise with the harness (run_notebooks.py), storing
    the runs that pass. Returns the Results, up to and including the first
    one that failed."""
    results = []
    with run_notebooks.course_env(quick, model_cache=model_cache):
        for k, path in enumerate(paths, 1):
            say(f"[{k}/{len(paths)}] {os.path.basename(path)} ... ", end="")
            r = None if fresh else store.get(path)
            if r is not None:
                say(f"unchanged since its last run: {r.checks_passed} checks passed, {r.images} figure(s) (outputs from {store.path})")
            else:
                r = run_notebooks.run_notebook(path, args)
                say(run_notebooks.summary_line(r))
                if r.ok:
                    store.put(r)
            results.append(r)
            if not r.ok:
                break
    return results


def export(paths, out, quick, timeout, log_dir, fresh=False, cache_dir=None, languages=None):
    """Exports the English notebooks paths to out, then their edition in
    each of languages (all of editions.LANGUAGES by default) to out/LANG/,
    written from them and their translations (editions.py) into the
    export's cache folder. The editions share the cache: a network trained
    for one is loaded by the other. Returns the exit status: 0, or that of
    the first export that failed (an edition's failure leaves the English
    export in place, and its own folder as it was)."""
    languages = sorted(editions.LANGUAGES) if languages is None else list(languages)
    # Absolute: the kernels run in the notebooks' folder (NB_CACHE_DIR below).
    cache_dir = os.path.abspath(cache_dir or os.path.join(os.path.dirname(os.path.abspath(out)), "export-cache"))
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        say(f"export: ERROR: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    first = f"{languages[0]}/index.html" if languages else None
    # An export of English alone keeps the editions exported before.
    status = export_edition(paths, out, quick, timeout, log_dir, fresh, cache_dir, "en", first, keep=sorted(editions.LANGUAGES))
    for lang in languages:
        if status:
            break
        say(f"\nexport: the {editions.LANGUAGES[lang]} edition, to {os.path.join(out, lang)}/")
        try:
            written = editions.write_to(os.path.join(cache_dir, "editions", lang), lang, paths)
        except editions.TranslationError as e:
            say(f"export: ERROR: {e}", file=sys.stderr)
            return 1
        untranslated = [f"{os.path.basename(p)} ({', '.join(st.missing + st.stale)})" for p, st in written if st.missing or st.stale]
        notes = [f"Cells whose translation is missing or stale (English, or the old translation, in their place): {'; '.join(untranslated)}."] if untranslated else []
        status = export_edition([p for p, _ in written], os.path.join(out, lang), quick, timeout, os.path.join(log_dir, lang),
                                fresh, cache_dir, lang, "../index.html", notes=notes)
    return status


def export_edition(paths, out, quick, timeout, log_dir, fresh, cache_dir, lang, other, keep=(), notes=()):
    """Exports the notebooks paths of the edition in lang to out (see the
    module's doc), its index linking to the other edition's at other (None:
    no link), keeping the subfolders keep of an earlier export to out (the
    other editions) and listing notes on the index."""
    start = time.time()
    mode = "quick" if quick else "full"
    paths, kept = course_paths(paths, out, quick, cache_dir)
    took = Phases()
    try:
        browser.chromium_path()  # before minutes of work, not after
    except browser.BrowserMissing as e:
        say(f"export: ERROR: the PDF needs headless Chromium. {e}", file=sys.stderr)
        return 1
    try:
        typeset.require()  # node and KaTeX, for the formulas
    except typeset.Missing as e:
        say(f"export: ERROR: {e}", file=sys.stderr)
        return 1
    try:
        claims = ledger.load()
    except ledger.LedgerError as e:
        say(f"export: ERROR: {e}", file=sys.stderr)
        return 1

    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".course-new-", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private
    # The rendered, typeset and printed pages of this mode's last export, by their inputs.
    # (One per edition: each export prunes its memo to what it used.)
    memo = export_cache.Memo(os.path.join(cache_dir, "memo", mode if lang == "en" else f"{mode}-{lang}"))
    # The student release (nbgrader: seconds a notebook) is made while the
    # notebooks run and the pages are written, in a process of its own
    # (nbgrader changes the working folder); the handout waits for it.
    release_pool = concurrent.futures.ProcessPoolExecutor(max_workers=1)

    try:
        try:
            grader.require_graded(paths)
            for p in paths:  # wrong markers stop the export before anything runs
                grader.check_notebook(nbformat.read(p, as_version=4), os.path.basename(p))
        except grader.GraderError as e:
            say(f"export: ERROR: student release: {e}", file=sys.stderr)
            return 1
        release = release_pool.submit(release_process, paths, os.path.join(staging, "student"), os.path.join(staging, ".nbgrader"), memo.folder)
        reveal_url, asset_notes = copy_assets(staging)
        notes = list(notes) + asset_notes
        page, deck = page_exporter(lang), slides_exporter(reveal_url, lang)
        title_of_course = wording.text(lang, "course_title")

        say(f"export: {len(paths)} notebook(s) in {mode} mode to {out}/ ({timeout} s per cell at most)")
        if kept:
            say(f"export: {len(kept)} of them from the last export to {out}/ (make clean starts afresh)")
        store = export_cache.ExecutedCache(os.path.join(cache_dir, "executed"), quick, ROOT)
        model_cache = None if fresh else os.path.abspath(os.environ.get(run_notebooks.CACHE_ENV) or os.path.join(cache_dir, "models"))
        args = run_notebooks.parse_args(["--timeout", str(timeout), "--log-dir", log_dir, *paths])
        entries = []
        with took("notebooks"):
            results = execute(paths, args, quick, store, fresh, model_cache)
        t = time.time()
        for r in results:
            path = r.path
            if not r.ok:
                for e in r.errors:
                    say(f"  {path}: {e}")
                say(f"export: stopped at {path}; {out}/ was not changed", file=sys.stderr)
                return 1
            name = stem(path)
            nb = handout.teacher(with_slide_types(r.notebook))
            title = notebook_title(nb, name)
            nav = [(wording.text(lang, "nav_all"), "index.html"), (wording.text(lang, "nav_slides"), f"{name}.slides.html"),
                   (wording.text(lang, "nav_pdf"), "course.pdf")]
            with open(os.path.join(staging, f"{name}.html"), "w", encoding="utf-8") as f:
                f.write(ledger.add_claim_anchors(render(page, nb, title, {"nav": nav}, memo)))
            entries.append({"stem": name, "path": path, "title": title, "nb": nb, "result": r})
            write_slides(staging, entries[-1], deck, memo=memo)
        took.add("pages and slides", time.time() - t)
        say(f"pages and slides of {len(entries)} notebook(s) ... done")

        executed = {os.path.basename(e["path"]): e["result"].notebook for e in entries}
        problems = ledger.check(claims, executed, quick=quick)
        if problems:
            for pr in problems:
                say(f"  ledger: {pr}", file=sys.stderr)
            say(f"export: the checks contradict the ledger of the notes' claims (nb/ledger); {out}/ was not changed", file=sys.stderr)
            return 1
        notes_nb = ledger.notes_checked_notebook(claims, executed, {e["stem"]: e["title"] for e in entries}, lang=lang)
        notes_nb.metadata = dict(entries[0]["nb"].metadata) if entries else {}
        with open(os.path.join(staging, "notes-checked.html"), "w", encoding="utf-8") as f:
            f.write(render(page, notes_nb, wording.text(lang, "notes_checked"), {"nav": [(wording.text(lang, "nav_all"), "index.html")]}, memo))

        with took("formulas"):
            if not typeset_pages(staging, entries, out, memo):
                return 1
        # Three jobs at once (each mostly waits for its own Chromium), their
        # lines said in this order once all are done: the slides' check and
        # then axe-core on the slides; axe-core on the other pages (not on
        # course.html: every page's cells again, thousands of formulas, that
        # would take minutes and find nothing the pages do not show); and
        # course.html, course.pdf and the student handout.
        verdicts = export_cache.PageVerdicts(cache_dir, "axe", accessibility.checker_version())
        slide_pages = [os.path.join(staging, f"{e['stem']}.slides.html") for e in entries]
        other_pages = [os.path.join(staging, f"{e['stem']}.html") for e in entries] + [os.path.join(staging, "notes-checked.html")]
        slide_lines = Lines()

        def slides_job():
            with took("slide check"):
                unfit = check_slides(staging, entries, cache_dir, deck, memo, say=slide_lines)
            with took("accessibility"):
                return unfit, accessibility.check_changed_pages(slide_pages, verdicts)

        def pages_job():
            with took("accessibility"):
                return accessibility.check_changed_pages(other_pages, verdicts)

        def books_job():
            with took("course.html and course.pdf"):
                refused, printed, parts = write_book(
                    staging, entries, memo, title_of_course, os.path.join(staging, "course.pdf"),
                    html_path=os.path.join(staging, "course.html"), nav=[(wording.text(lang, "nav_all"), "index.html")], lang=lang,
                )
            size = os.path.getsize(os.path.join(staging, "course.pdf")) / 1e6
            course = f"{parts} parts ({printed} printed now, {parts - printed} unchanged since printed before), {size:.1f} MB"
            used, seconds = release.result()
            memo.used.update(used)
            took.add("student release", seconds)
            with took("student handout"):
                more, printed, parts = write_student_handout(staging, entries, memo, lang)
            return refused + more, course, f"student/index.html, handout.pdf ({printed} of {parts} parts printed now)"

        with took("the three at once"), concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            jobs = [pool.submit(slides_job), pool.submit(pages_job), pool.submit(books_job)]
            concurrent.futures.wait(jobs)
        try:
            (unfit, violations), more_violations, (refused, course_line, handout_line) = (j.result() for j in jobs)
        except grader.GraderError as e:  # a release that holds a line of a solution or hidden test
            say(f"export: ERROR: student release: {e}", file=sys.stderr)
            return 1
        violations += more_violations
        say("slides on a 1280×720 screen:")
        slide_lines.replay(say)
        if unfit:
            # Written all the same (the pages and PDF are fine), and said at the end and on the index.
            notes.append(f"Slides that do not fit a 1280×720 screen, in {', '.join(unfit)} (listed above; nb/harness/slide_fit.py build/course/NAME.slides.html lists them again).")
        say(f"course.html, course.pdf ... {course_line}")
        say(f"student handout ... {handout_line}")
        if refused:
            notes.append(f"{len(refused)} request(s) to the network were refused while printing: {', '.join(sorted(set(refused))[:5])}")
        if reveal_url == REVEAL_CDN:
            say("export: NOTE: " + "; ".join(notes))
        else:
            notes.append("KaTeX's fonts and reveal.js are included: the pages, slides and PDF need no network access.")

        seconds = time.time() - start
        with open(os.path.join(staging, "index.html"), "w", encoding="utf-8") as f:
            f.write(index_html(entries, mode, notes, seconds, lang, other))
        with took("accessibility"):
            violations += accessibility.check_changed_pages([os.path.join(staging, "index.html")], verdicts)
        violations = accessibility.by_severity(violations)
        critical = accessibility.failing(violations)
        say(f"accessibility (axe-core) ... {len(slide_pages) + len(other_pages) + 1} pages, {len(violations)} violation(s), {len(critical)} critical")
        if critical:
            for v in critical:
                say(f"  {accessibility.describe(v)}", file=sys.stderr)
            say(f"export: critical accessibility violations; {out}/ was not changed", file=sys.stderr)
            return 1
        install(staging, out, keep)
        staging = None
        export_cache.record_export(cache_dir, out, quick, paths)
        memo.prune()
    except browser.BrowserMissing as e:
        say(f"export: ERROR: the PDF needs headless Chromium. {e}", file=sys.stderr)
        return 1
    finally:
        release_pool.shutdown(wait=True)  # before its folder goes
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
    for n in notes:
        say(f"export: {n}")
    say(f"export: done in {time.time() - start:.0f} s ({mode} mode; {took}): open {out}/index.html")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+", help="the notebooks to export")
    p.add_argument("--quick", action="store_true", help=f"quick mode ({run_notebooks.QUICK_ENV}=1): small data, few epochs")
    p.add_argument("--out", default="build/course", help="the output folder (default build/course)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (default 1800)")
    p.add_argument("--log-dir", default="build/export-logs", help="where to keep each kernel's log")
    p.add_argument(
        "--fresh",
        action="store_true",
        help="run every notebook and train every network again, as on a new machine "
        "(by default a notebook whose code, library and mode are unchanged since an earlier export is not run again, "
        "and networks come from the export's model cache)",
    )
    p.add_argument(
        "--languages",
        default=",".join(sorted(editions.LANGUAGES)),
        help="the editions to export besides English, to OUT/LANG/ (default: %(default)s; '' for English only)",
    )
    p.add_argument(
        "--cache-dir",
        default=None,
        help="executed notebooks and trained networks kept between exports (default: export-cache next to --out)",
    )
    args = p.parse_args(argv)
    quick = args.quick or os.environ.get(run_notebooks.QUICK_ENV) == "1"
    languages = [lang for lang in args.languages.split(",") if lang]
    unknown = [lang for lang in languages if lang not in editions.LANGUAGES]
    if unknown:
        p.error(f"no edition in {', '.join(unknown)}; the editions are {', '.join(sorted(editions.LANGUAGES))}")
    return export(args.notebooks, args.out, quick, args.timeout, args.log_dir, fresh=args.fresh, cache_dir=args.cache_dir, languages=languages)


if __name__ == "__main__":
    sys.exit(main())
