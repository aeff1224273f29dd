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
                               that fit 1280×720 (checked by slide_fit.py)
    course.html, course.pdf    the whole course on one page, and printed to PDF
                               by headless Chromium; a contents list of links
                               (notebooks and their sections) and the PDF's
                               bookmarks
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

    .venv/bin/python nb/harness/export.py [--quick] [--out build/course] notebooks/*.ipynb
"""

import argparse
import datetime
import hashlib
import html
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse

import nbformat
from nbconvert import HTMLExporter, SlidesExporter

import accessibility
import browser
import export_cache
import ledger
import run_notebooks
import grader
import handout
import slide_fit
import slides
import typeset

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))  # the course module (go.mod)
TEMPLATES = os.path.join(HERE, "templates")
REVEAL_DIR = "reveal.js"
REVEAL_CDN = "https://unpkg.com/reveal.js@5.2.0"
COURSE_TITLE = "Redes Neuronales — the course that runs"


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
    "" (no MathJax: the export typesets the formulas, typeset.py), the URL
    the slides use for reveal.js (relative when copied, a CDN otherwise) and
    a list of notes about what needs the network."""
    notes = []
    typeset.copy_assets(staging)
    mathjax = ""
    src = reveal_source()
    if src:
        for part in ("dist", "plugin"):
            shutil.copytree(os.path.join(src, part), os.path.join(staging, REVEAL_DIR, part))
        shutil.copy(os.path.join(src, "LICENSE"), os.path.join(staging, REVEAL_DIR))
        reveal = REVEAL_DIR
    else:
        reveal = REVEAL_CDN
        notes.append("reveal.js is not installed (sphinx-revealjs, make setup): the slides load reveal.js from a CDN")
    return mathjax, reveal, notes


# --- pages, slides, the whole course ---------------------------------------


def page_exporter(mathjax_url):
    e = HTMLExporter(template_name="course_page", extra_template_basedirs=[TEMPLATES], extra_template_paths=[TEMPLATES])
    e.mathjax_url = mathjax_url
    return e


def slides_exporter(mathjax_url, reveal_url):
    e = SlidesExporter(template_name="course_slides", extra_template_basedirs=[TEMPLATES], extra_template_paths=[TEMPLATES])
    e.mathjax_url = mathjax_url
    e.reveal_url_prefix = reveal_url
    e.reveal_number = "c/t"
    e.reveal_theme = "white"  # its fonts ship with reveal.js; "simple" loads Google Fonts
    return e


def render(exporter, nb, title, course):
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "course": course})
    return body


def with_slide_types(nb):
    """A copy of nb in which cells without slide metadata get the defaults."""
    nb = nbformat.from_dict(nb)
    slides.assign_slide_types(nb)
    return nb


def book_notebook(entries, title=COURSE_TITLE, key="nb"):
    """One notebook holding the whole course: a contents page (every
    notebook's title and ## sections, each a link: handout.contents_cell),
    then every executed notebook (entry[key]), each starting on a new page
    when printed."""
    book = nbformat.v4.new_notebook()
    book.metadata = dict(entries[0][key].metadata) if entries else {}
    toc, notebooks = [], []
    for e in entries:
        nb = nbformat.from_dict(e[key])
        toc.append((e["stem"], e["title"], handout.anchor_headings(nb, e["stem"])))
        notebooks.append((e, nb))
    book.cells.append(handout.contents_cell(title, toc))
    for e, nb in notebooks:
        for i, cell in enumerate(nb.cells):
            cell = nbformat.from_dict(cell)
            cell.id = f"{e['stem']}-{cell.get('id') or i}"[:64]
            if i == 0:
                cell.metadata["tags"] = list(cell.metadata.get("tags", [])) + ["course-notebook-start"]
            book.cells.append(cell)
    return book


def typeset_pages(staging, entries, out):
    """Typesets the formulas of every page in staging with KaTeX (typeset.py);
    on a formula KaTeX rejects, names it and its notebook and returns False."""
    sources = {f"{e['stem']}{ext}": e["path"] for e in entries for ext in (".html", ".slides.html")}
    sources["notes-checked.html"] = "the ledger of the notes' claims (nb/ledger, notes-checked.html)"
    pages = sorted(os.path.join(staging, n) for n in os.listdir(staging) if n.endswith(".html"))
    _, rejected = typeset.typeset_pages(pages)
    for r in rejected:
        say(f"  {typeset.describe(r, sources)}", file=sys.stderr)
    if rejected:
        say(f"export: KaTeX cannot typeset {len(rejected)} formula(s): fix the TeX in the notebook, or add the macro to typeset.MACROS; {out}/ was not changed", file=sys.stderr)
    return not rejected


def check_slides(staging, entries, cache_dir):
    """Checks that every slide of every notebook's slides file fits the
    screen (slide_fit.py, once its formulas are typeset); a file whose
    content passed before (in the export cache) is not opened again.
    Names every slide that does not fit, and returns the notebooks that
    have one."""
    with open(slide_fit.__file__, "rb") as f:
        version = hashlib.sha256(f.read()).hexdigest()
    verdicts = export_cache.PageVerdicts(cache_dir, "slide-fit", version)
    files = {os.path.join(staging, f"{e['stem']}.slides.html"): os.path.basename(e["path"]) for e in entries}
    fit, changed = verdicts.split(list(files))
    for path in fit:
        say(f"  {files[path]}: the slides fit {slide_fit.VIEWPORT['width']}×{slide_fit.VIEWPORT['height']} (checked before)")
    passed = {p: True for p in changed if slide_fit.export_check(p, files[p], say)}
    verdicts.save(passed)
    return [files[p] for p in changed if p not in passed]


def print_pdf(html_path, pdf_path):
    """Prints html_path to pdf_path with headless Chromium once the page and
    its fonts have loaded (the formulas are typeset already, typeset.py).
    Requests to the network are refused, so the PDF shows what an offline
    reader sees. Returns (formulas, refused URLs)."""
    from playwright.sync_api import sync_playwright

    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    with sync_playwright() as p:
        b = browser.launch(p)
        try:
            page = b.new_page()
            page.route(re.compile(r"^(https?|wss?)://"), refuse)
            page.goto("file://" + urllib.parse.quote(os.path.abspath(html_path)), wait_until="load", timeout=120_000)
            page.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts
            formulas = page.evaluate("() => document.querySelectorAll('.katex').length")
            page.emulate_media(media="print")
            page.pdf(
                path=pdf_path,
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template='<div style="font-size:8px;width:100%;text-align:center;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
                margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                outline=True,  # bookmarks: the headings of the page
                tagged=True,
            )
        finally:
            b.close()
    return formulas, refused


def write_student_release(paths, out_dir, course_dir):
    """Writes nbgrader's release of every notebook of paths (grader.py, as
    make assignments) to out_dir/NAME.ipynb, generated in the nbgrader course
    directory course_dir, which it then removes. Raises grader.GraderError on
    a notebook without graded exercises or with wrong markers."""
    grader.require_graded(paths)
    os.makedirs(out_dir, exist_ok=True)
    try:
        with grader.course_dir(course_dir):
            for _, release in grader.generate_assignments(paths, say=lambda *a, **k: None):
                shutil.copyfile(release, os.path.join(out_dir, os.path.basename(release)))
    finally:
        shutil.rmtree(course_dir, ignore_errors=True)


def write_student_handout(staging, entries, exporter):
    """Writes the student handout to staging/student/ next to the release's
    notebooks (write_student_release): NAME.html per notebook, handout.pdf
    (all of them) and index.html; see handout.py. Returns the PDF's formula
    count and the URLs the printing refused."""
    folder = os.path.join(staging, "student")
    students = []
    for e in entries:
        nb = handout.student(e["nb"], handout.read_release(folder, e["stem"]), f"{e['stem']}.ipynb")
        nav = [("← the student handout", "index.html"), ("PDF of the handout", "handout.pdf")]
        page = handout.in_subfolder(render(exporter, nb, e["title"], {"nav": nav}), staging)
        with open(os.path.join(folder, f"{e['stem']}.html"), "w", encoding="utf-8") as f:
            f.write(page)
        students.append(dict(e, student=nb))
    book_path = os.path.join(folder, "handout.html")
    book = book_notebook(students, f"{COURSE_TITLE} — student handout", key="student")
    with open(book_path, "w", encoding="utf-8") as f:
        f.write(handout.in_subfolder(render(exporter, book, COURSE_TITLE, {"book": True}), staging))
    # The teacher's pages typeset the same formulas (typeset_pages), so none is rejected here.
    typeset.typeset_pages([os.path.join(folder, f"{s['stem']}.html") for s in students] + [book_path])
    try:
        printed = print_pdf(book_path, os.path.join(folder, "handout.pdf"))
    finally:
        os.remove(book_path)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(handout.student_index(COURSE_TITLE, entries))
    return printed


def index_html(entries, mode, notes, seconds):
    rows = []
    for e in entries:
        s = html.escape(e["stem"])
        rows.append(
            "<tr>"
            f'<td><a href="{s}.html">{html.escape(e["title"])}</a></td>'
            f'<td><a href="{s}.slides.html">slides</a></td>'
            f'<td><a href="student/{s}.html">student page</a> · <a href="student/{s}.ipynb">notebook</a></td>'
            f'<td>{e["result"].images} figures, {e["result"].checks_passed} checks passed</td>'
            "</tr>"
        )
    notes_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    today = datetime.date.today().isoformat()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(COURSE_TITLE)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ text-align: left; padding: 0.35em 0.8em 0.35em 0; border-bottom: 1px solid #ddd; }}
.meta {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<main>
<h1>{html.escape(COURSE_TITLE)}</h1>
<p>The lecture notes <em>Redes Neuronales</em> as notebooks in Go, one per section of the notes,
executed and exported on {today} in <strong>{mode} mode</strong> ({seconds:.0f} s).</p>
<p><a href="notes-checked.html">The notes, checked</a>: every formula and claim of the notes, its verdict and the numbers that decide it.</p>
<p><a href="course.pdf">The whole course as a PDF</a> · <a href="course.html">the whole course on one page</a> ·
<a href="student/index.html">the student handout</a></p>
<p><strong>This is the teacher's edition:</strong> its pages, slides and PDF show the worked solution of every graded exercise
(without nbgrader's marker lines). The student handout (<a href="student/index.html">student/</a>: a page per notebook and
<a href="student/handout.pdf">handout.pdf</a>) shows the same notebooks with each solution replaced by a stub, the hidden tests
removed and no output of the graded cells; its notebooks (the release of nbgrader, without outputs) go into the
<code>notebooks/</code> folder of a checkout of the course to run them.</p>
<table>
<tr><th>notebook</th><th>slides</th><th>student handout</th><th>executed</th></tr>
{"".join(rows)}
</table>
<p class="meta">Slides: arrow keys move between slides (right: next section, down: next part); <kbd>S</kbd> opens the speaker view.</p>
<ul class="meta">{notes_html}</ul>
</main>
</body>
</html>
"""


# --- the export --------------------------------------------------------------


def install(staging, out):
    """Replaces out by staging, keeping out as it was until the last moment."""
    parent = os.path.dirname(os.path.abspath(out))
    old = None
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


def export(paths, out, quick, timeout, log_dir, fresh=False, cache_dir=None):
    start = time.time()
    mode = "quick" if quick else "full"
    # Absolute: the kernels run in the notebooks' folder (NB_CACHE_DIR below).
    cache_dir = os.path.abspath(cache_dir or os.path.join(os.path.dirname(os.path.abspath(out)), "export-cache"))
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        say(f"export: ERROR: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    paths, kept = course_paths(paths, out, quick, cache_dir)
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
    try:
        try:
            write_student_release(paths, os.path.join(staging, "student"), os.path.join(staging, ".nbgrader"))
        except grader.GraderError as e:
            say(f"export: ERROR: student release: {e}", file=sys.stderr)
            return 1
        mathjax_url, reveal_url, notes = copy_assets(staging)
        page, deck = page_exporter(mathjax_url), slides_exporter(mathjax_url, reveal_url)

        say(f"export: {len(paths)} notebook(s) in {mode} mode to {out}/ ({timeout} s per cell at most)")
        if kept:
            say(f"export: {len(kept)} of them from the last export to {out}/ (make clean starts afresh)")
        store = export_cache.ExecutedCache(os.path.join(cache_dir, "executed"), quick, ROOT)
        model_cache = None if fresh else os.path.abspath(os.environ.get(run_notebooks.CACHE_ENV) or os.path.join(cache_dir, "models"))
        args = run_notebooks.parse_args(["--timeout", str(timeout), "--log-dir", log_dir, *paths])
        entries = []
        for r in execute(paths, args, quick, store, fresh, model_cache):
            path = r.path
            if not r.ok:
                for e in r.errors:
                    say(f"  {path}: {e}")
                say(f"export: stopped at {path}; {out}/ was not changed", file=sys.stderr)
                return 1
            name = stem(path)
            nb = handout.teacher(with_slide_types(r.notebook))
            title = notebook_title(nb, name)
            nav = [("← all notebooks", "index.html"), ("slides", f"{name}.slides.html"), ("PDF of the course", "course.pdf")]
            with open(os.path.join(staging, f"{name}.html"), "w", encoding="utf-8") as f:
                f.write(ledger.add_claim_anchors(render(page, nb, title, {"nav": nav})))
            with open(os.path.join(staging, f"{name}.slides.html"), "w", encoding="utf-8") as f:
                f.write(render(deck, slides.deck_notebook(nb), title, {}))
            entries.append({"stem": name, "path": path, "title": title, "nb": nb, "result": r})
        say(f"pages and slides of {len(entries)} notebook(s) ... done")

        executed = {os.path.basename(e["path"]): e["result"].notebook for e in entries}
        problems = ledger.check(claims, executed, quick=quick)
        if problems:
            for pr in problems:
                say(f"  ledger: {pr}", file=sys.stderr)
            say(f"export: the checks contradict the ledger of the notes' claims (nb/ledger); {out}/ was not changed", file=sys.stderr)
            return 1
        notes_nb = ledger.notes_checked_notebook(claims, executed, {e["stem"]: e["title"] for e in entries})
        notes_nb.metadata = dict(entries[0]["nb"].metadata) if entries else {}
        with open(os.path.join(staging, "notes-checked.html"), "w", encoding="utf-8") as f:
            f.write(render(page, notes_nb, "The notes, checked", {"nav": [("← all notebooks", "index.html")]}))

        book_path = os.path.join(staging, "course.html")
        with open(book_path, "w", encoding="utf-8") as f:
            f.write(render(page, book_notebook(entries), COURSE_TITLE, {"book": True, "nav": [("← all notebooks", "index.html")]}))
        if not typeset_pages(staging, entries, out):
            return 1
        say("slides on a 1280×720 screen:")
        unfit = check_slides(staging, entries, cache_dir)
        if unfit:
            # Written all the same (the pages and PDF are fine), and said at the end and on the index.
            notes.append(f"Slides that do not fit a 1280×720 screen, in {', '.join(unfit)} (listed above; nb/harness/slide_fit.py build/course/NAME.slides.html lists them again).")
        say("course.html, course.pdf ... ", end="")
        formulas, refused = print_pdf(book_path, os.path.join(staging, "course.pdf"))
        size = os.path.getsize(os.path.join(staging, "course.pdf")) / 1e6
        say(f"{formulas} formulas rendered, {size:.1f} MB")
        say("student handout ... ", end="")
        refused += write_student_handout(staging, entries, page)[1]
        say("student/index.html, handout.pdf")
        if refused:
            notes.append(f"{len(refused)} request(s) to the network were refused while printing: {', '.join(sorted(set(refused))[:5])}")
        if reveal_url == REVEAL_CDN:
            say("export: NOTE: " + "; ".join(notes))
        else:
            notes.append("KaTeX's fonts and reveal.js are included: the pages, slides and PDF need no network access.")

        seconds = time.time() - start
        with open(os.path.join(staging, "index.html"), "w", encoding="utf-8") as f:
            f.write(index_html(entries, mode, notes, seconds))
        say("accessibility (axe-core) ... ", end="")
        # course.html is every page's cells again on one page; axe on its
        # thousands of formulas takes many minutes and finds nothing the
        # pages do not show.
        pages = sorted(os.path.join(staging, n) for n in os.listdir(staging) if n.endswith(".html") and n != "course.html")
        # A page whose content was checked before (in the export cache) is not checked again.
        verdicts = export_cache.PageVerdicts(cache_dir, "axe", accessibility.checker_version())
        violations = accessibility.check_changed_pages(pages, verdicts)
        critical = accessibility.failing(violations)
        say(f"{len(pages)} pages, {len(violations)} violation(s), {len(critical)} critical")
        if critical:
            for v in critical:
                say(f"  {accessibility.describe(v)}", file=sys.stderr)
            say(f"export: critical accessibility violations; {out}/ was not changed", file=sys.stderr)
            return 1
        install(staging, out)
        staging = None
        export_cache.record_export(cache_dir, out, quick, paths)
    except browser.BrowserMissing as e:
        say(f"export: ERROR: the PDF needs headless Chromium. {e}", file=sys.stderr)
        return 1
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
    for n in notes:
        say(f"export: {n}")
    say(f"export: done in {time.time() - start:.0f} s ({mode} mode): open {out}/index.html")
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
        "--cache-dir",
        default=None,
        help="executed notebooks and trained networks kept between exports (default: export-cache next to --out)",
    )
    args = p.parse_args(argv)
    quick = args.quick or os.environ.get(run_notebooks.QUICK_ENV) == "1"
    return export(args.notebooks, args.out, quick, args.timeout, args.log_dir, fresh=args.fresh, cache_dir=args.cache_dir)


if __name__ == "__main__":
    sys.exit(main())
