"""Tests of the export (export.py): a small course exports to HTML with
embedded plots, slides, a PDF and a student release (nbgrader) that need no network;
a notebook that fails stops the export with the notebook and cell named and
leaves the earlier export as it was; the pages pass an accessibility check
(axe-core, accessibility.py) without a critical violation, and every figure
has its alt text.

Run by `make test` (make test-harness); starts real GoNB kernels and
headless Chromium (make test installs it first).
"""

import contextlib
import io
import os
import re
import shutil
import tempfile
import unittest

import nbformat

import accessibility
import export
from test_grader import graded_notebook
from test_run_notebooks import GOOD_CHECKS, PLOT, notebook

def course_notebook(*cells):
    """A fixture notebook: cells, then two graded exercises as test_grader's."""
    nb = notebook(*cells)
    nb.cells[0].source = "# 9. A fixture notebook\n\nWith a formula, $\\sigma'(z) = \\sigma(z)(1-\\sigma(z))$."
    nb.cells.extend(graded_notebook().cells[1:])
    return nb


class ExportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="export-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.out = os.path.join(self.dir, "build", "course")

    def write(self, name, nb):
        path = os.path.join(self.dir, name + ".ipynb")
        nbformat.write(nb, path)
        return path

    def export(self, *paths):
        text = io.StringIO()
        with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
            status = export.export(list(paths), self.out, quick=True, timeout=120, log_dir=os.path.join(self.dir, "logs"))
        return status, text.getvalue()

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8") as f:
            return f.read()

    def test_export_writes_everything_offline(self):
        good = self.write("09_Fixture", course_notebook(PLOT, GOOD_CHECKS))
        status, text = self.export(good)
        self.assertEqual(status, 0, text)
        self.assertIn("[1/1] 09_Fixture.ipynb ... PASS", text)

        page = self.read("09_Fixture.html")
        self.assertIn("data:image/png;base64,", page)  # the plot, embedded
        # Its alt text, made from the figure by nb/plot.go (plotting.Describe);
        # a quick export says in the title that it comes from a tiny run.
        self.assertIn('alt="σ (quick mode: tiny run). Series: σ."', page)
        self.assertIn('data-nb-checks="passed=3 failed=0', page)
        self.assertIn('src="mathjax/MathJax.js?config=', page)
        slides = self.read("09_Fixture.slides.html")
        self.assertIn('src="reveal.js/dist/reveal.js"', slides)
        self.assertIn("<section", slides)
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
        self.assertTrue(os.path.isfile(os.path.join(self.out, "mathjax", "MathJax.js")))
        self.assertTrue(os.path.isfile(os.path.join(self.out, "reveal.js", "dist", "reveal.js")))
        with open(os.path.join(self.out, "course.pdf"), "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        self.assertRegex(text, r"course.html, course.pdf ... [1-9]\d* formulas rendered")

        # The student release: stubs for solutions, no hidden tests, no outputs.
        student = nbformat.read(os.path.join(self.out, "student", "09_Fixture.ipynb"), as_version=4)
        self.assertEqual(student.cells[-2].source, 'func other() int {\n\tpanic("not implemented") // YOUR CODE HERE\n}')
        self.assertNotIn("HIDDEN", student.cells[-1].source)
        self.assertIn('nb.Checks("other"', student.cells[-1].source)
        self.assertEqual([c for c in student.cells if c.get("outputs")], [])
        self.assertEqual(sorted(os.listdir(os.path.join(self.out, "student"))), ["09_Fixture.ipynb"])

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
        # No temporary folders are left behind.
        self.assertEqual(os.listdir(os.path.dirname(self.out)), ["course"])

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
