"""Tests of the export (export.py): a small course exports to HTML with
embedded plots, slides, a PDF with bookmarks, a contents list of links, a student
release (nbgrader) and a student handout without solutions (handout.py) that
need no network and show no absolute path of the exporting machine;
a notebook that fails stops the export with the notebook and cell named and
leaves the earlier export as it was; the pages pass an accessibility check
(axe-core, accessibility.py) without a critical violation, and every figure
has its alt text.

Run by `make test` (make test-harness); starts real GoNB kernels and
headless Chromium (make test installs it first).
"""

import contextlib
import html
import io
import os
import re
import shutil
import tempfile
import unittest

import nbformat

import accessibility
import editions
import export
import handout
import slide_fit
from test_grader import SOLUTION, graded_notebook, meta
from test_run_notebooks import GOOD_CHECKS, PLOT, ROOT, notebook

# What the slides must fit on one screen each (slides.deck_notebook,
# slide_fit.py): a markdown cell three screens long, a code cell shown on the
# slides (tagged slide-code) with a line of 230 characters, a check table of
# 17 rows and a figure (PLOT).
LONG_MARKDOWN = "### A long explanation\n\n" + "\n\n".join(
    f"Paragraph {k}: the slides cut a long cell between its blocks, so that a teacher can project it "
    "without scrolling; each block stays whole, and the blocks keep their order from one slide to the next. "
    "A formula such as $\\eta < 2/\\lambda_{\\max}$ counts with the length of its source."
    for k in range(1, 9)
) + "\n\n" + "\n".join(f"- item {k} of a list that is cut between its items" for k in range(1, 9))
# A block the layout's estimate cannot see: a drawing 420 px tall counted as
# one line of text. The export measures the overflow and lays the slide out
# again (export.check_slides).
TALL_MARKDOWN = "### A tall drawing\n\n" + '<div style="height: 420px; background: #eee">A drawing 420 px tall</div>' + "\n\n" + "\n\n".join(
    f"After the drawing {k}: a paragraph that the first layout puts on the same slide as the drawing, since its estimate of the drawing is one line." for k in range(1, 4)
)
WIDE_CODE = "%%\n// " + "a comment far wider than the slide, " * 6 + "end\n" + "".join(f"x{k} := {k}\n_ = x{k}\n" for k in range(20))
LONG_CHECKS = """%%
nb.Checks("σ' on a grid", nb.DerivativeChecks("σ'", nn.Sigmoid{}.F, nn.Sigmoid{}.Prime, -4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4)...)
"""


def course_notebook(*cells):
    """A fixture notebook: cells, then two graded exercises as test_grader's."""
    nb = notebook(*cells)
    nb.cells[0].source = "# 9. A fixture notebook\n\nWith a formula, $\\sigma'(z) = \\sigma(z)(1-\\sigma(z))$."
    nb.cells[-1].source += "\n\n## Graded exercises\n\nTwo functions to write."
    nb.cells.extend(graded_notebook().cells[1:])
    return nb


def write_spanish(path):
    """Writes the Spanish translation of the fixture notebook at path next
    to it (i18n/es/, editions.py): its title and headings in Spanish, and a
    Spanish sentence after each cell's English."""
    nb = nbformat.read(path, as_version=4)
    words = {"A fixture notebook": "Un cuaderno de prueba", "Graded exercises": "Ejercicios evaluados", "Summary": "Resumen",
             "Exercises": "Ejercicios"}
    sections = {}
    for cell in editions.markdown_cells(nb):
        text = cell.source
        for en, es in words.items():
            text = text.replace(en, es)
        sections[cell.id] = editions.Section(editions.fingerprint(cell.source), text + "\n\nTexto en español.")
    editions.save("es", path, sections)


def page_text(page):
    """The text of an HTML page's body: scripts, styles and tags removed
    (code is highlighted in spans), entities decoded."""
    body = page[page.find("<body") :]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def pdf_text(path):
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def pdf_outline(path):
    """The titles of the PDF's bookmarks, depth first, as (depth, title)."""
    from pypdf import PdfReader

    found = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                found.append((depth, it.title.strip()))

    walk(PdfReader(path).outline, 0)
    return found


class ExportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="export-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.out = os.path.join(self.dir, "build", "course")

    def write(self, name, nb):
        path = os.path.join(self.dir, name + ".ipynb")
        nbformat.write(nb, path)
        return path

    def export(self, *paths, languages=()):
        text = io.StringIO()
        with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
            status = export.export(list(paths), self.out, quick=True, timeout=120, log_dir=os.path.join(self.dir, "logs"), languages=languages)
        return status, text.getvalue()

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8") as f:
            return f.read()

    def test_export_writes_everything_offline(self):
        nb = course_notebook(PLOT, GOOD_CHECKS, LONG_CHECKS, WIDE_CODE)
        nb.cells.insert(3, nbformat.v4.new_markdown_cell(LONG_MARKDOWN))
        nb.cells.insert(4, nbformat.v4.new_markdown_cell(TALL_MARKDOWN))
        next(c for c in nb.cells if c.source == WIDE_CODE).metadata["tags"] = ["slide-code"]
        good = self.write("09_Fixture", nb)
        write_spanish(good)
        status, text = self.export(good, languages=("es",))
        self.assertEqual(status, 0, text)
        self.assertIn("[1/1] 09_Fixture.ipynb ... PASS", text)
        english, spanish = text.split("export: the Spanish edition, to")
        self.check_spanish(spanish)
        text = english
        # Every slide fits 1280×720, measured in Chromium (slide_fit.py),
        # the tall drawing's after one more layout with its slide's measured
        # overflow taken off.
        m = re.search(r"09_Fixture.ipynb: (\d+) slides, each fits 1280×720 \(laid out again 1 time after measuring\)", text)
        self.assertTrue(m, text)
        self.assertGreaterEqual(int(m.group(1)), 9, text)  # the long cell, the drawing, the figure and the code need their own

        page = self.read("09_Fixture.html")
        self.assertIn("data:image/png;base64,", page)  # the plot, embedded
        # Its alt text, made from the figure by nb/plot.go (plotting.Describe);
        # a quick export says in the title that it comes from a tiny run.
        self.assertIn('alt="σ (quick mode: tiny run). Series: σ."', page)
        self.assertIn('data-nb-checks="passed=3 failed=0', page)
        # The formula is typeset by KaTeX at export time (typeset.py): no
        # TeX left, no MathJax, KaTeX's CSS and every font it names copied.
        tex = re.findall(r'<span class="katex"><span class="katex-mathml"><math.*?<annotation encoding="application/x-tex">(.*?)</annotation>', page)
        # The title's formula, and the one of each paragraph of LONG_MARKDOWN.
        self.assertEqual(tex, ["\\sigma&#x27;(z) = \\sigma(z)(1-\\sigma(z))"] + ["\\eta &lt; 2/\\lambda_{\\max}"] * 8)
        self.assertTrue("$\\sigma" not in page and "$\\eta" not in page, "raw TeX left in the page")
        self.assertTrue(re.search(r'<link[^>]*href="katex/katex.min.css"', page), "the page does not link KaTeX's CSS")
        slides = self.read("09_Fixture.slides.html")
        self.assertIn('src="reveal.js/dist/reveal.js"', slides)
        self.assertIn("<section", slides)
        self.assertTrue('class="katex"' in slides, "the slides hold no KaTeX output")
        for name in ("09_Fixture.html", "09_Fixture.slides.html", "course.html", "notes-checked.html"):
            self.assertNotRegex(self.read(name), r"(?i)<script[^>]*(mathjax|math\.js)|MathJax\.Hub|RevealMath", f"{name} still loads MathJax or reveal's math plugin")
        self.assertFalse(os.path.exists(os.path.join(self.out, "mathjax")))
        css = self.read(os.path.join("katex", "katex.min.css"))
        fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
        self.assertEqual([f for f in fonts if not os.path.isfile(os.path.join(self.out, "katex", f))], [])
        self.assertGreater(len(fonts), 10)
        # (assertTrue, not assertIn: a failure would print the whole file)
        self.assertTrue('data-slide-kind="figure"' in slides, "the plot has no slide of its own")
        self.assertFalse("Sigmoid" in slides, "the slides show a code cell not tagged slide-code")
        self.assertTrue("celltag_slide-code" in slides and '<span class="n">x19</span>' in slides, "the cell tagged slide-code is not shown whole")
        self.assertTrue("… 13 more rows: 17 checks passed in all (the page lists them all)" in slides, "the long check table is not cut")
        self.assertTrue("Paragraph 8: the slides cut" in slides, "the long markdown cell lost its end")
        for name, html in (("page", page), ("slides", slides), ("index", self.read("index.html"))):
            external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
            self.assertEqual(external, [], f"the {name} loads from the network")
        self.assertIn("9. A fixture notebook", self.read("index.html"))
        # The export itself runs axe-core on every page it writes (index,
        # page, slides, notes-checked.html; course.html repeats the pages)
        # and would have stopped on a critical violation.
        self.assertRegex(text, r"accessibility \(axe-core\) \.\.\. 4 pages, \d+ violation\(s\), 0 critical")
        notes = self.read("notes-checked.html")
        self.assertIn("The notes, checked", notes)
        self.assertIn("not executed in this export", notes)  # the fixture is in no ledger entry
        self.assertIn('href="notes-checked.html"', self.read("index.html"))
        self.assertTrue(os.path.isfile(os.path.join(self.out, "reveal.js", "dist", "reveal.js")))
        with open(os.path.join(self.out, "course.pdf"), "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        # Printed in parts, the contents page and the notebook (pdfbook.py).
        self.assertIn("course.html, course.pdf ... 2 parts (2 printed now, 0 unchanged since printed before)", text)

        # The student release: stubs for solutions, no hidden tests, no outputs.
        student = nbformat.read(os.path.join(self.out, "student", "09_Fixture.ipynb"), as_version=4)
        self.assertEqual(student.cells[-2].source, 'func other() int {\n\tpanic("not implemented") // YOUR CODE HERE\n}')
        self.assertNotIn("HIDDEN", student.cells[-1].source)
        self.assertIn('nb.Checks("other"', student.cells[-1].source)
        self.assertEqual([c for c in student.cells if c.get("outputs")], [])
        self.assertEqual(sorted(os.listdir(os.path.join(self.out, "student"))), ["09_Fixture.html", "09_Fixture.ipynb", "handout.pdf", "index.html"])

        # The teacher's edition: solutions, without nbgrader's marker lines
        # and without the wiring cell; the index says which edition it is.
        course = self.read("course.html")
        teacher_pdf = pdf_text(os.path.join(self.out, "course.pdf"))
        for name, text in (("page", page_text(page)), ("course.html", page_text(course)), ("course.pdf", teacher_pdf)):
            self.assertIn("return 42", text, name)
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "course module", "go mod edit"):
                self.assertNotIn(marker, text, name)
        self.assertIn("This is the teacher's edition", self.read("index.html"))
        self.assertIn('href="student/index.html"', self.read("index.html"))

        # The contents of course.html: the notebook by its own number, its
        # sections under it, no nested ordered list, every link to an id of the page.
        contents = re.search(r'<nav[^>]*class="course-contents".*?</nav>', course, re.S).group(0)
        self.assertNotIn("<ol", contents)
        self.assertEqual(re.findall(r"<a href=\"#[^\"]+\">([^<]*)</a>", contents), ["9. A fixture notebook", "Summary", "Exercises", "Graded exercises"])
        for target in re.findall(r'href="#([^"]+)"', contents):
            self.assertIn(f'id="{target}"', course)
        # The PDF's bookmarks: the notebook, then its sections, in order.
        outline = pdf_outline(os.path.join(self.out, "course.pdf"))
        titles = [t for _, t in outline]
        self.assertIn("9. A fixture notebook", titles, outline)
        self.assertLess(titles.index("9. A fixture notebook"), titles.index("Summary"), outline)
        self.assertLess(titles.index("Summary"), titles.index("Graded exercises"), outline)
        self.assertGreater(dict((t, d) for d, t in outline)["Summary"], dict((t, d) for d, t in outline)["9. A fixture notebook"])
        # The contents page's links in the PDF go to named destinations of the PDF.
        from pypdf import PdfReader

        reader = PdfReader(os.path.join(self.out, "course.pdf"))
        links = [a.get_object().get("/Dest") for a in reader.pages[0].get("/Annots") or []]
        self.assertIn(f"/{handout.anchor('09_Fixture')}", links)
        self.assertEqual([l for l in links if l not in reader.named_destinations], [])

        # The student handout: the release's stubs and visible tests in
        # place of the solutions, no hidden test, no output of a graded cell,
        # a heading that invites the student; the other cells' figures stay.
        student_page = self.read(os.path.join("student", "09_Fixture.html"))
        self.assertIn("data:image/png;base64,", student_page)
        self.assertIn('href="../katex/katex.min.css"', student_page)
        self.assertIn('class="katex"', student_page)  # the title's formula, typeset
        student_pdf = pdf_text(os.path.join(self.out, "student", "handout.pdf"))
        for name, text in (("student page", page_text(student_page)), ("handout.pdf", student_pdf)):
            self.assertIn('panic("not implemented")', text, name)
            self.assertIn("YOUR CODE HERE", text, name)
            self.assertIn('nb.Checks("other"', text.replace("\n", ""), name)
            self.assertIn("Your turn: graded exercises", text, name)
            for secret in ("return 42", "hidden", "again", "BEGIN", "worked solution", "course module"):
                self.assertNotIn(secret, text, name)
        # The graded cells' outputs (their check tables) are gone: only those of
        # GOOD_CHECKS and LONG_CHECKS are left.
        self.assertEqual(student_page.count("data-nb-checks="), 2)
        self.assertGreater(page.count("data-nb-checks="), 2)
        student_index = self.read(os.path.join("student", "index.html"))
        for link in ("09_Fixture.html", "09_Fixture.ipynb", "handout.pdf"):
            self.assertIn(f'href="{link}"', student_index)

        # No absolute path of the exporting machine in any exported file.
        forbidden = {p for p in (ROOT, self.dir, os.path.abspath(self.out), os.path.expanduser("~"), tempfile.gettempdir() + "/") if len(p) > 1}
        for folder, _, files in os.walk(self.out):
            for f in files:
                path = os.path.join(folder, f)
                if f.endswith(".pdf"):
                    text = pdf_text(path)
                elif f.endswith(".ipynb"):
                    # The release keeps the notebook's wiring cell, which in the
                    # course's notebooks walks up to go.mod; the fixture, outside
                    # the checkout, names ROOT in it instead.
                    nb = nbformat.read(path, as_version=4)
                    nb.cells = [c for c in nb.cells if not handout.is_wiring(c)]
                    text = nbformat.writes(nb)
                else:
                    with open(path, "rb") as fh:
                        text = fh.read().decode("utf-8", "replace")
                for p in forbidden:
                    self.assertNotIn(p, text, f"{os.path.relpath(path, self.out)} shows the path {p}")

        # A markdown typo fixed: the export reuses the stored execution
        # (export_cache.py) and the PDFs' unchanged contents pages, and the
        # pages and PDFs show the fix.
        nb = nbformat.read(good, as_version=4)
        nb.cells[0].source = nb.cells[0].source.replace("With a formula", "With one formula")
        nbformat.write(nb, good)
        status, text = self.export(good)
        self.assertEqual(status, 0, text)
        self.assertRegex(text, r"\[1/1\] 09_Fixture.ipynb \.\.\. unchanged since its last run: \d+ checks passed, 1 figure\(s\)")
        self.assertIn("course.html, course.pdf ... 2 parts (1 printed now, 1 unchanged since printed before)", text)
        # The edited notebook's slides are measured (and laid out) again.
        self.assertRegex(text, r"09_Fixture.ipynb: \d+ slides, each fits 1280×720 \(laid out again 1 time after measuring\)")
        self.assertIn("handout.pdf (1 of 2 parts printed now)", text)
        self.assertIn("With one formula", page_text(self.read("09_Fixture.html")))
        for pdf in ("course.pdf", os.path.join("student", "handout.pdf")):
            self.assertIn("With one formula", pdf_text(os.path.join(self.out, pdf)), pdf)
        self.assertIn('data-nb-checks="passed=3 failed=0', self.read("09_Fixture.html"))
        # The export of English alone kept the Spanish edition's.
        self.assertIn("Un cuaderno de prueba", self.read(os.path.join("es", "09_Fixture.html")))

    def check_spanish(self, text):
        """The Spanish edition of test_export_writes_everything_offline's
        fixture, in build/course/es/: its prose, figures and tables, its
        index, slides, PDF, the notes checked and the student's release."""
        self.assertIn("[1/1] 09_Fixture.ipynb ... PASS", text)
        self.assertRegex(text, r"accessibility \(axe-core\) \.\.\. 4 pages, \d+ violation\(s\), 0 critical")
        index, es_index = self.read("index.html"), self.read(os.path.join("es", "index.html"))
        self.assertIn('href="es/index.html"', index)
        self.assertIn('href="../index.html"', es_index)
        self.assertIn('<html lang="es">', es_index)
        self.assertIn("Esta es la edición del profesor", es_index)
        self.assertIn("9. Un cuaderno de prueba", es_index)
        page = self.read(os.path.join("es", "09_Fixture.html"))
        self.assertIn('<html lang="es">', page)
        for words in ("Un cuaderno de prueba", "Texto en español.", "← todos los cuadernos", "diapositivas"):
            self.assertIn(words, page_text(page))
        self.assertNotIn("A fixture notebook", page_text(page))
        self.assertIn('data-nb-checks="passed=3 failed=0', page)
        self.assertIn("(modo rápido: ejecución mínima)", page)  # the figure's title, from nb's catalog
        self.assertIn('data-nb-column="got">obtenido</th>', page)  # a check table's header
        slides = self.read(os.path.join("es", "09_Fixture.slides.html"))
        self.assertIn("… 13 filas más: 17 comprobaciones superadas en total (la página las muestra todas)", slides)
        self.assertIn("(continuación)", slides)
        notes = self.read(os.path.join("es", "notes-checked.html"))
        self.assertIn("Los apuntes, comprobados", notes)
        self.assertIn("no ejecutado en esta exportación", notes)
        self.assertIn("Un cuaderno de prueba", pdf_text(os.path.join(self.out, "es", "course.pdf")))
        release = nbformat.read(os.path.join(self.out, "es", "student", "09_Fixture.ipynb"), as_version=4)
        self.assertIn("%env COURSE_LANG es", next(c for c in release.cells if handout.is_wiring(c)).source)
        student_pdf = pdf_text(os.path.join(self.out, "es", "student", "handout.pdf"))
        self.assertIn("Tu turno: ejercicios evaluados", student_pdf)
        self.assertIn('panic("not implemented")', student_pdf)
        self.assertNotIn("return 42", student_pdf)
        self.assertIn("COURSE_LANG=es make lab", self.read(os.path.join("es", "student", "index.html")))

    def test_failing_notebook_keeps_earlier_export(self):
        os.makedirs(self.out)
        with open(os.path.join(self.out, "index.html"), "w") as f:
            f.write("the earlier export")
        good = self.write("09_Fixture", course_notebook(PLOT))
        broken = self.write("10_Broken", course_notebook('%%\npanic("deliberate failure")\n'))
        status, text = self.export(good, broken)
        self.assertEqual(status, 1, text)
        self.assertIn("[1/2] 09_Fixture.ipynb ... PASS", text)
        self.assertIn("FAIL  10_Broken.ipynb", text)
        self.assertIn("10_Broken.ipynb: cell 4 (code cell 3: 'panic(\"deliberate failure\")') failed", text)
        self.assertIn("deliberate failure", text)
        self.assertIn(f"export: stopped at {broken}; {self.out}/ was not changed", text)
        self.assertEqual(os.listdir(self.out), ["index.html"])
        self.assertEqual(self.read("index.html"), "the earlier export")
        # No temporary folders are left behind (export-cache is the executed notebooks' store).
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.out))), ["course", "export-cache"])

    def test_a_claim_outside_the_ledger_stops_the_export(self):
        tagged = '%%\nnb.Checks("σ\'", nb.Claim("9:no-such-claim", nb.DerivativeChecks("σ\'", nn.Sigmoid{}.F, nn.Sigmoid{}.Prime, 0)...)...)\n'
        path = self.write("09_Fixture", course_notebook(tagged))
        status, text = self.export(path)
        self.assertEqual(status, 1, text)
        self.assertIn("[1/1] 09_Fixture.ipynb ... PASS", text)
        self.assertIn("ledger: claim '9:no-such-claim': checked in 09_Fixture.ipynb cell", text)
        self.assertIn("but in no ledger entry", text)
        self.assertIn(f"the checks contradict the ledger of the notes' claims (nb/ledger); {self.out}/ was not changed", text)
        self.assertFalse(os.path.exists(self.out))

    def test_bad_solution_markers_stop_before_running(self):
        nb = course_notebook(PLOT)
        nb.cells[-2].source = "func other() int {\n\t// BEGIN SOLUTION (exercise 2)\n\treturn 42\n\t// END SOLUTION\n}"
        path = self.write("09_Fixture", nb)
        status, text = self.export(path)
        self.assertEqual(status, 1, text)
        self.assertIn("student release: 09_Fixture.ipynb: cell 8 (code cell 6: 'func other() int {'), line 2:", text)
        self.assertNotIn("[1/1]", text)
        self.assertFalse(os.path.exists(self.out))

    def test_missing_chromium_is_named_before_running(self):
        path = self.write("09_Fixture", course_notebook(PLOT))
        saved = os.environ.get("CHROMIUM")
        os.environ["CHROMIUM"] = os.path.join(self.dir, "no-such-chromium")
        try:
            status, text = self.export(path)
        finally:
            if saved is None:
                del os.environ["CHROMIUM"]
            else:
                os.environ["CHROMIUM"] = saved
        self.assertEqual(status, 1, text)
        self.assertIn("export: ERROR: the PDF needs headless Chromium.", text)
        self.assertIn("install the 'chromium' package (Debian: apt-get install chromium)", text)
        self.assertNotIn("[1/1]", text)


class HandoutTest(unittest.TestCase):
    """handout.py on notebooks made here, without a kernel."""

    def executed(self):
        nb = graded_notebook()
        wiring = nbformat.v4.new_code_cell('// Wire.\n!*course=/home/teacher/course; go mod edit -replace=x="${course}" && echo "course module: ${course}"', id="wire")
        wiring.outputs = [nbformat.v4.new_output("stream", name="stdout", text="course module: /home/teacher/course\n")]
        nb.cells.insert(1, wiring)
        for k in range(3):
            c = nbformat.v4.new_code_cell("%%\ntrain()", id=f"train{k}")
            c.outputs = [
                nbformat.v4.new_output("display_data", data={"text/html": f"<p>run {k}: loaded the network trained earlier from the cache.</p>"}),
                nbformat.v4.new_output("stream", name="stdout", text=f"accuracy {k}\n"),
            ]
            nb.cells.insert(2 + k, c)
        nb.cells.insert(5, nbformat.v4.new_markdown_cell("## Graded exercises\n\nWrite two functions.", id="graded", metadata=meta("graded")))
        for c in nb.cells:
            if c.cell_type == "code" and c.id.startswith(("sol", "test")):
                c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"output of {c.id}\n")]
        return nb

    def test_teacher_edition(self):
        nb = handout.teacher(self.executed())
        sources = "\n".join(c.source for c in nb.cells)
        self.assertNotIn("go mod edit", sources)
        self.assertNotIn("BEGIN", sources)
        self.assertNotIn("END", sources)
        self.assertIn("return 42", sources)
        outputs = [handout.output_text(o) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        notes = [o for o in outputs if "cache" in o]
        self.assertEqual(len(notes), 1, outputs)
        self.assertIn("3 networks of this notebook were loaded from the model cache", notes[0])
        self.assertIn(handout.CACHE_NOTE_CLASS, notes[0])
        self.assertEqual(outputs[:3], [notes[0], "accuracy 0\n", "accuracy 1\n"])
        self.assertNotIn("course module", "".join(outputs))

    def test_student_edition(self):
        executed = self.executed()
        release = graded_notebook()
        stub = SOLUTION.replace("\t// BEGIN SOLUTION\n\treturn 42\n\t// END SOLUTION", '\tpanic("not implemented") // YOUR CODE HERE')
        release.cells[1].source = stub
        release.cells[2].source = release.cells[2].source.split("// BEGIN HIDDEN TESTS")[0]
        release.cells.insert(1, nbformat.v4.new_markdown_cell("## Graded exercises\n\nWrite two functions.", id="graded", metadata=meta("graded")))
        nb = handout.student(executed, release, "fixture.ipynb")
        by_id = {c.id: c for c in nb.cells}
        self.assertEqual(by_id["sol1"].source, stub)
        self.assertEqual(by_id["sol1"].outputs, [])
        self.assertEqual(by_id["test1"].outputs, [])
        self.assertNotIn("HIDDEN", by_id["test1"].source)
        self.assertTrue(by_id["graded"].source.startswith("## Your turn: graded exercises"))
        self.assertEqual([handout.output_text(o) for o in by_id["train1"].outputs], ["accuracy 1\n"])
        self.assertNotIn("wire", by_id)
        release.cells = [c for c in release.cells if c.id != "sol2"]
        with self.assertRaisesRegex(handout.HandoutError, "fixture.ipynb: the release has no cell 'sol2'"):
            handout.student(executed, release, "fixture.ipynb")

    def test_contents_keep_the_titles_numbers(self):
        toc = []
        for stem, title in (("04_1_Over", "4.1 Overfitting and `L2`"), ("A_Unstable", "A. Unstable gradients")):
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nText.\n```\n## not a heading\n```\n## First\n\n### Deeper\n\n## Second")]
            headings = handout.anchor_headings(nb, stem)
            self.assertEqual([(l, t) for l, t, _ in headings], [(1, title), (2, "First"), (2, "Second")])
            self.assertIn(f'<a id="{handout.anchor(stem, 2)}"></a>\n\n## Second', nb.cells[0].source)
            toc.append((stem, title, headings))
        cell = handout.contents_cell("Course", toc)
        self.assertNotIn("<ol", cell.source)
        self.assertIn('<li><a href="#nb-04_1_Over">4.1 Overfitting and <code>L2</code></a><ul><li><a href="#nb-04_1_Over-1">First</a></li>', cell.source)
        self.assertIn('<a href="#nb-A_Unstable">A. Unstable gradients</a>', cell.source)

    def test_pages_one_folder_down(self):
        d = tempfile.mkdtemp(prefix="handout-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        os.makedirs(os.path.join(d, "mathjax"))
        page = '<script src="mathjax/MathJax.js"></script><a href="index.html">x</a><a href="mathjax2/y">'
        self.assertEqual(handout.in_subfolder(page, d), '<script src="../mathjax/MathJax.js"></script><a href="index.html">x</a><a href="mathjax2/y">')
class SlideFitTest(unittest.TestCase):
    def test_a_slide_too_tall_is_named(self):
        # One Chromium launch on a hand-written deck: slide 1/0 fits, 1/1 is
        # 2000 px tall, 2/0 holds a line 3000 px wide.
        reveal = export.reveal_source()
        if not reveal:
            self.skipTest("reveal.js is not installed (sphinx-revealjs, make setup)")
        d = tempfile.mkdtemp(prefix="slide-fit-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, "tall.slides.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="file://{reveal}/dist/reveal.css">
<style>.reveal .slides section {{ height: 100%; overflow: hidden; }}</style></head>
<body><div class="reveal"><div class="slides">
<section><h1>Fits</h1><p>One line.</p></section>
<section><section><h2>Also fits</h2></section><section><h3>Too tall</h3><div style="height: 2000px">x</div></section></section>
<section><h2>Too wide</h2><pre style="white-space: pre; overflow: auto">{"w" * 400}</pre></section>
</div></div><script src="file://{reveal}/dist/reveal.js"></script>
<script>Reveal.initialize({{width: 1280, height: 720, margin: 0, center: false}});</script></body></html>""")
        found, n = slide_fit.overflowing(path)
        self.assertEqual(n, 4)
        self.assertEqual([(o.index, o.heading) for o in found], [("1/1", "Too tall"), ("2/0", "Too wide")])
        self.assertGreater(found[0].dy, 1000)
        self.assertGreater(found[1].dx, 1000)
        self.assertIn('tall.slides.html: slide 1/1 "Too tall" overflows by', slide_fit.describe("tall.slides.html", found[0]))


class AccessibilityTest(unittest.TestCase):
    def test_violation_names_page_rule_and_element(self):
        d = tempfile.mkdtemp(prefix="a11y-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, "bad.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
                    '<img id="figure" src="data:image/png;base64,iVBORw0KGgo="></main></body></html>')
        critical = accessibility.failing(accessibility.check_pages([path]))
        self.assertEqual([(v.page, v.rule, v.element) for v in critical], [("bad.html", "image-alt", "#figure")])
        self.assertIn("bad.html: image-alt (critical)", accessibility.describe(critical[0]))


class CheckSlidesTest(unittest.TestCase):
    """export.check_slides's measure-and-lay-out-again loop, with the
    measurement (slide_fit.overflowing) and KaTeX (typeset.typeset_pages)
    stood in for: no browser, no node."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="check-slides-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("## A section\n\n" + "\n\n".join(f"Paragraph {k}. " + "Words. " * 30 for k in range(8)))]
        export.slides.assign_slide_types(nb)
        self.entry = {"stem": "09_Fixture", "path": "notebooks/09_Fixture.ipynb", "title": "9. Fixture", "nb": nb}
        self.exporter = export.slides_exporter(export.REVEAL_CDN)
        self.cache = os.path.join(self.dir, "cache")
        self.measured = []  # the slides files measured, by their bytes
        self.patch(export.typeset, "typeset_pages", lambda paths: ([], []))

    def patch(self, obj, name, value):
        old = getattr(obj, name)
        setattr(obj, name, value)
        self.addCleanup(setattr, obj, name, old)

    def measure_with(self, overflows):
        """slide_fit.overflowing answers with overflows[k] on its k-th call."""
        answers = iter(overflows)

        def overflowing(path):
            with open(path, "rb") as f:
                self.measured.append(f.read())
            return next(answers), 10

        self.patch(export.slide_fit, "overflowing", overflowing)

    def check(self):
        staging = tempfile.mkdtemp(dir=self.dir)
        path = export.write_slides(staging, self.entry, self.exporter)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            unfit = export.check_slides(staging, [self.entry], self.cache, self.exporter)
        with open(path, "rb") as f:
            return unfit, out.getvalue(), f.read()

    def test_an_overflow_is_laid_out_again_and_the_layout_kept(self):
        deck = export.slides.deck_notebook(self.entry["nb"])
        firsts = [int(c.metadata["slideshow"]["data"]["first_item"]) for c in deck.cells if "first_item" in c.metadata["slideshow"].get("data", {})]
        self.assertGreater(len(firsts), 1)
        second = firsts[1]
        first = export.slide_fit.Overflow("0/1", "A section (continued)", 0, 50, "the slide is 770 px tall in 720", second)
        self.measure_with([[first], []])
        unfit, text, final = self.check()
        self.assertEqual(unfit, [])
        self.assertIn("09_Fixture.ipynb: 10 slides, each fits 1280×720 (laid out again 1 time after measuring)", text)
        self.assertEqual(len(self.measured), 2)
        self.assertNotEqual(self.measured[0], self.measured[1])  # the second layout differs
        self.assertEqual(final, self.measured[1])
        want = self.entry["nb"]
        cap = export.slides.slide_estimates(deck)[second] - 50 - export.RELAYOUT_MARGIN  # its estimate less the overflow and the margin
        self.assertEqual(final.decode(), export.render(self.exporter, export.slides.deck_notebook(want, {second: cap}), "9. Fixture", {}))
        # The next export writes the same first layout: it is not measured
        # again, and the layout that fitted (the shrink) is written at once.
        self.measure_with([])
        unfit, text, again = self.check()
        self.assertEqual((unfit, len(self.measured)), ([], 2))
        self.assertIn("09_Fixture.ipynb: the slides fit 1280×720 (checked before)", text)
        self.assertEqual(again, final)

    def test_an_overflow_that_cannot_move_is_named(self):
        # A slide that no shrink changes (a single item taller than a slide):
        # the layout is tried once more, then the slide is named.
        stuck = export.slide_fit.Overflow("0/0", "A section", 0, 900, "an output 1600 px tall", 10**6)
        self.measure_with([[stuck], [stuck]])
        unfit, text, _ = self.check()
        self.assertEqual(unfit, ["09_Fixture.ipynb"])
        self.assertIn('09_Fixture.ipynb: slide 0/0 "A section" overflows by 0 px right, 900 px down', text)
        self.assertIn("09_Fixture.ipynb: 1 of 10 slides do not fit 1280×720", text)
        self.assertEqual(len(self.measured), 1)  # laid out again identically: not measured twice


class OrderTest(unittest.TestCase):
    def test_sections_in_the_order_of_the_notes(self):
        names = ["B_Activations.ipynb", "04_2_Batch.ipynb", "A_Unstable.ipynb", "00_Introduction.ipynb", "06_CNN.ipynb", "04_1_Over.ipynb", "05_Data.ipynb"]
        got = sorted(names, key=export.section_key)
        self.assertEqual(
            got,
            ["00_Introduction.ipynb", "04_1_Over.ipynb", "04_2_Batch.ipynb", "05_Data.ipynb", "06_CNN.ipynb", "A_Unstable.ipynb", "B_Activations.ipynb"],
        )

    def test_title_is_the_first_heading(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("// # not a heading"), nbformat.v4.new_markdown_cell("Intro.\n\n# 3. Backpropagation\n\n## 3.1")]
        self.assertEqual(export.notebook_title(nb, "x"), "3. Backpropagation")
        self.assertEqual(export.notebook_title(nbformat.v4.new_notebook(), "fallback"), "fallback")


if __name__ == "__main__":
    unittest.main()
