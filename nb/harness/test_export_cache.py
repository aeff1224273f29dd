"""Tests of the executed-notebook store of make export (export_cache.py):
an edit to markdown or cell metadata finds the stored execution and gets
the edit; an edit to a code cell, another mode or another library does not;
a failed run is never stored; the last export's notebooks are remembered per
output folder and mode. No kernel runs: the "executed" notebooks are made
here.

Run by `make check` and `make test` (make test-harness).
"""

import os
import shutil
import tempfile
import unittest
from unittest import mock

import nbformat

import accessibility
import export
import export_cache
import run_notebooks


def notebook(markdown="# 1. A notebook", code='%%\nfmt.Println("hi")'):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}
    nb.cells = [nbformat.v4.new_markdown_cell(markdown, id="title"), nbformat.v4.new_code_cell(code, id="hello")]
    return nb


def executed(nb, path, text="hi\n"):
    """A Result as run_notebooks gives it for nb: outputs, execution
    counts, nbclient's timestamps in the cell metadata."""
    nb = nbformat.from_dict(nb)
    cell = nb.cells[1]
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    cell.metadata["execution"] = {"iopub.status.idle": "2026-12-01T14:33:53.000000Z"}
    return run_notebooks.Result(path=path, cells=2, seconds=1.5, images=0, checks_passed=3, notebook=nb)


class ExecutedCacheTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="export-cache-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.root = os.path.join(self.dir, "course")
        for name, text in (("go.mod", "module x\n"), ("go.sum", ""), ("lib/nn/nn.go", "package nn\n"), ("nb/nb.go", "package nb\n")):
            os.makedirs(os.path.dirname(os.path.join(self.root, name)), exist_ok=True)
            with open(os.path.join(self.root, name), "w") as f:
                f.write(text)
        self.path = os.path.join(self.dir, "02_A.ipynb")

    def store(self, quick=True):
        return export_cache.ExecutedCache(os.path.join(self.dir, "cache"), quick, self.root)

    def write(self, nb):
        nbformat.write(nb, self.path)

    def test_what_finds_the_stored_execution_and_what_does_not(self):
        self.write(notebook())
        self.store().put(executed(notebook(), self.path))

        cases = [
            ("nothing changed", lambda: self.write(notebook()), True),
            ("a markdown typo fixed", lambda: self.write(notebook(markdown="# 1. A notebook, fixed")), True),
            ("a slide type set", lambda: self.write(self.with_slide_type(notebook())), True),
            ("a code cell changed", lambda: self.write(notebook(code='%%\nfmt.Println("ho")')), False),
            ("a library file changed", lambda: self.edit("lib/nn/nn.go", "package nn\n\nconst A = 1\n"), False),
            ("go.sum changed", lambda: self.edit("go.sum", "gonum.org/v1/gonum v0.17.0 h1:x\n"), False),
        ]
        for name, change, hit in cases:
            with self.subTest(name):
                saved = self.snapshot()
                change()
                r = self.store().get(self.path)
                self.assertEqual(r is not None, hit)
                if hit:
                    current = nbformat.read(self.path, as_version=4)
                    self.assertEqual(r.notebook.cells[0].source, current.cells[0].source)  # the edit
                    self.assertEqual(r.notebook.cells[1].outputs[0].text, "hi\n")  # the stored output
                    self.assertEqual(r.notebook.cells[1].metadata, current.cells[1].metadata)
                    self.assertEqual(r.notebook.metadata["kernelspec"], current.metadata["kernelspec"])
                    self.assertEqual((r.checks_passed, r.images, r.cells), (3, 0, 2))
                self.restore(saved)

    def test_the_other_mode_is_a_miss(self):
        self.write(notebook())
        self.store(quick=True).put(executed(notebook(), self.path))
        self.assertIsNone(self.store(quick=False).get(self.path))
        self.assertIsNotNone(self.store(quick=True).get(self.path))

    def test_a_run_that_failed_is_not_stored(self):
        self.write(notebook())
        r = executed(notebook(), self.path)
        r.errors.append("cell 2 failed")
        with self.assertRaisesRegex(ValueError, "only a notebook that passed"):
            self.store().put(r)
        self.assertIsNone(self.store().get(self.path))

    def test_a_newer_run_replaces_the_stored_one(self):
        self.write(notebook())
        self.store().put(executed(notebook(), self.path, text="first\n"))
        self.store().put(executed(notebook(), self.path, text="second\n"))
        self.assertEqual(self.store().get(self.path).notebook.cells[1].outputs[0].text, "second\n")

    def with_slide_type(self, nb):
        nb.cells[1].metadata["slideshow"] = {"slide_type": "skip"}
        return nb

    def edit(self, name, text):
        with open(os.path.join(self.root, name), "w") as f:
            f.write(text)

    def snapshot(self):
        names = ["lib/nn/nn.go", "go.sum"]
        files = {}
        for n in names:
            with open(os.path.join(self.root, n)) as f:
                files[n] = f.read()
        return files, nbformat.read(self.path, as_version=4)

    def restore(self, saved):
        files, nb = saved
        for n, text in files.items():
            self.edit(n, text)
        self.write(nb)


class LastExportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="export-cache-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.cache = os.path.join(self.dir, "cache")
        self.out = os.path.join(self.dir, "course")
        self.paths = []
        for name in ("00_A.ipynb", "01_B.ipynb", "A_C.ipynb"):
            path = os.path.join(self.dir, name)
            nbformat.write(notebook(), path)
            self.paths.append(path)

    def test_exporting_one_notebook_keeps_the_others_of_the_last_export(self):
        export_cache.record_export(self.cache, self.out, True, self.paths)
        paths, kept = export.course_paths([self.paths[1]], self.out, True, self.cache)
        self.assertEqual(paths, self.paths)  # in the order of the notes
        self.assertEqual(kept, [self.paths[0], self.paths[2]])

    def test_another_mode_folder_or_a_deleted_notebook_is_not_kept(self):
        export_cache.record_export(self.cache, self.out, True, self.paths)
        self.assertEqual(export.course_paths([self.paths[1]], self.out, False, self.cache)[1], [])
        self.assertEqual(export.course_paths([self.paths[1]], self.out + "2", True, self.cache)[1], [])
        os.remove(self.paths[2])
        self.assertEqual(export.course_paths([self.paths[1]], self.out, True, self.cache)[1], [self.paths[0]])

    def test_no_record_and_a_damaged_record_keep_nothing(self):
        self.assertEqual(export_cache.last_export(self.cache, self.out, True), [])
        os.makedirs(self.cache)
        with open(os.path.join(self.cache, export_cache.LAST_EXPORTS), "w") as f:
            f.write("{not json")
        self.assertEqual(export_cache.last_export(self.cache, self.out, True), [])
        export_cache.record_export(self.cache, self.out, True, self.paths[:1])  # rewrites it
        self.assertEqual(export_cache.last_export(self.cache, self.out, True), [os.path.abspath(self.paths[0])])


class PageVerdictsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="export-cache-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def page(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_only_changed_pages_are_checked_again(self):
        a, b = self.page("a.html", "<p>a</p>"), self.page("b.html", "<p>b</p>")
        checked = []

        def check_pages(paths):
            checked.append([os.path.basename(p) for p in paths])
            return [accessibility.Violation(os.path.basename(p), "rule", "critical", "help", "el", "<p>") for p in paths if p == b]

        def run(version="axe 1"):
            verdicts = export_cache.PageVerdicts(os.path.join(self.dir, "cache"), "axe", version)
            with mock.patch.object(accessibility, "check_pages", check_pages):
                return accessibility.check_changed_pages([a, b], verdicts)

        first = run()
        self.assertEqual(checked, [["a.html", "b.html"]])
        self.assertEqual(run(), first)  # nothing checked, the same findings
        self.assertEqual(checked, [["a.html", "b.html"]])
        self.page("a.html", "<p>a, changed</p>")
        self.assertEqual([v.page for v in run()], ["b.html"])
        self.assertEqual(checked[-1], ["a.html"])
        run(version="axe 2")  # another checker checks every page
        self.assertEqual(checked[-1], ["a.html", "b.html"])


if __name__ == "__main__":
    unittest.main()
