"""Tests of the student edition (student.py) and of the slide defaults
(slides.py), on small notebooks made here; no kernel is started.

Run by `make test` (make test-harness). The student edition of the course
itself is executed by `make test-student`.
"""

import os
import shutil
import tempfile
import unittest

import nbformat

import slides
import student

def notebook(*cells):
    """A notebook of the given cells: strings are code cells, ("md", text)
    markdown cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}
    for i, c in enumerate(cells):
        if isinstance(c, tuple):
            nb.cells.append(nbformat.v4.new_markdown_cell(c[1], id=f"c{i}"))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(c, id=f"c{i}"))
    return nb


SOLVED = """%%
// Exercise 1: print the answer.
// BEGIN SOLUTION
fmt.Println(42)
// END SOLUTION
fmt.Println("done")"""

WITH_STUB = """func answer() int {
	// BEGIN SOLUTION
	x := 6
	// BEGIN STUB
	// return 0 // replace by your answer
	//
	// // a comment kept as a comment
	// END STUB
	return x * 7
	// END SOLUTION
}"""


class StudentSourceTest(unittest.TestCase):
    def test_solution_replaced_by_default_stub(self):
        got, changed = student.student_source(SOLVED)
        self.assertTrue(changed)
        self.assertEqual(got, '%%\n// Exercise 1: print the answer.\n// YOUR CODE HERE\nfmt.Println("done")')

    def test_stub_uncommented_and_indented(self):
        got, changed = student.student_source(WITH_STUB)
        self.assertTrue(changed)
        self.assertEqual(
            got,
            "func answer() int {\n\treturn 0 // replace by your answer\n\n\t// a comment kept as a comment\n}",
        )
        self.assertNotIn("x := 6", got)
        self.assertNotIn("BEGIN", got)

    def test_default_stub_keeps_indentation(self):
        got, _ = student.student_source("func f() {\n\t// BEGIN SOLUTION\n\tpanic(1)\n\t// END SOLUTION\n}")
        self.assertEqual(got, "func f() {\n\t// YOUR CODE HERE\n}")

    def test_two_regions_in_one_cell(self):
        src = "%%\n// BEGIN SOLUTION\na()\n// END SOLUTION\nb()\n// BEGIN SOLUTION\nc()\n// END SOLUTION"
        got, _ = student.student_source(src)
        self.assertEqual(got, "%%\n// YOUR CODE HERE\nb()\n// YOUR CODE HERE")

    def test_markers_tolerate_spacing(self):
        got, changed = student.student_source("%%\n  //BEGIN SOLUTION  \nx()\n  //   END SOLUTION")
        self.assertTrue(changed)
        self.assertEqual(got, "%%\n  // YOUR CODE HERE")

    def test_cell_without_markers_unchanged(self):
        src = '%%\nfmt.Println("a solution begins here")'
        self.assertEqual(student.student_source(src), (src, False))

    def test_near_markers_are_errors(self):
        # Issue 16: each of these once shipped the solution unchanged.
        for line in (
            "// BEGIN SOLUTION (exercise 2)",
            "// begin solution",
            "/* BEGIN SOLUTION */",
            "// BEGIN  SOLUTION",
            "# BEGIN SOLUTION",
            '\tfmt.Println("// BEGIN SOLUTION")',
            "// END SOLUTION (exercise 2)",
            "// BEGIN_STUB",
        ):
            with self.subTest(line):
                with self.assertRaises(student.MarkerError) as cm:
                    student.student_source(f"%%\n{line}\nsecret := 42\n// END SOLUTION", "nb.ipynb: cell 3")
                self.assertIn("nb.ipynb: cell 3, line 2:", str(cm.exception))
                self.assertIn("looks like a marker but is not one", str(cm.exception))

    def test_markdown_answer(self):
        src = "### Exercise 2\n\nWhy?\n\n<!-- BEGIN SOLUTION -->\nBecause $x = 1$.\n<!-- END SOLUTION -->"
        got, changed = student.student_source(src, markdown=True)
        self.assertTrue(changed)
        self.assertEqual(got, "### Exercise 2\n\nWhy?\n\n*Your answer here.*")


class MarkerErrorTest(unittest.TestCase):
    # Each case: a cell's source, whether it is Markdown, and fragments the
    # error message must hold besides the cell's name.
    CASES = {
        "unclosed solution": ("%%\n// BEGIN SOLUTION\nx()", False, "line 2", "never closed with '// END SOLUTION'"),
        "end without begin": ("%%\nx()\n// END SOLUTION", False, "line 3", "'// END SOLUTION' without '// BEGIN SOLUTION'"),
        "nested solution": ("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n// END SOLUTION", False, "line 2", "inside the solution opened at line 1"),
        "stub outside solution": ("// BEGIN STUB\n// x()\n// END STUB", False, "line 1", "outside a solution"),
        "unclosed stub": ("// BEGIN SOLUTION\n// BEGIN STUB\n// x()\n// END SOLUTION", False, "line 4", "inside a stub"),
        "two stubs": ("// BEGIN SOLUTION\n// BEGIN STUB\n// END STUB\n// BEGIN STUB\n// END STUB\n// END SOLUTION", False, "line 4", "a second"),
        "uncommented stub line": ("// BEGIN SOLUTION\n// BEGIN STUB\nreturn 0\n// END STUB\n// END SOLUTION", False, "line 3", "must be commented out"),
        "unclosed markdown answer": ("<!-- BEGIN SOLUTION -->\nBecause.", True, "never closed with '<!-- END SOLUTION -->'"),
    }

    def test_marker_errors(self):
        for name, (src, markdown, *fragments) in self.CASES.items():
            with self.subTest(name):
                with self.assertRaises(student.MarkerError) as cm:
                    student.student_source(src, "nb.ipynb: cell 7", markdown=markdown)
                msg = str(cm.exception)
                self.assertIn("nb.ipynb: cell 7", msg)
                for f in fragments:
                    self.assertIn(f, msg)


class StudentEditionTest(unittest.TestCase):
    def test_edition(self):
        nb = notebook(("md", "# Title"), "// wiring", SOLVED, ("md", "<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->"), WITH_STUB)
        nb.cells[2].metadata["tags"] = ["plot", "keep-me"]
        nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
        nb.cells[2].execution_count = 3
        nb.cells[4].metadata["tags"] = ["plot"]
        got = student.student_edition(nb, "fixture.ipynb")
        self.assertEqual([c.id for c in got.cells], [c.id for c in nb.cells])
        self.assertIn("// YOUR CODE HERE", got.cells[2].source)
        self.assertEqual(got.cells[2].metadata["tags"], ["keep-me"])  # a stub draws nothing
        self.assertNotIn("tags", got.cells[4].metadata)
        self.assertEqual(got.cells[2].outputs, [])
        self.assertIsNone(got.cells[2].execution_count)
        self.assertEqual(got.cells[3].source, "*Your answer here.*")
        self.assertEqual(got.metadata["course"]["edition"], "student")
        # The teacher's notebook is left alone.
        self.assertIn("fmt.Println(42)", nb.cells[2].source)
        self.assertEqual(nb.cells[2].metadata["tags"], ["plot", "keep-me"])
        nbformat.validate(got)

    def test_error_names_notebook_and_cell(self):
        nb = notebook(("md", "# Title"), "// wiring", "%%\nok()", "%%\n// BEGIN SOLUTION\nbroken()")
        with self.assertRaises(student.MarkerError) as cm:
            student.student_edition(nb, "broken.ipynb")
        self.assertIn("broken.ipynb: cell 4 (code cell 3: '// BEGIN SOLUTION'), line 2:", str(cm.exception))
        self.assertIn("never closed", str(cm.exception))

    def test_notebook_without_solution_is_refused(self):
        d = tempfile.mkdtemp(prefix="student-test-")
        self.addCleanup(shutil.rmtree, d)
        path = os.path.join(d, "nosolution.ipynb")
        nbformat.write(notebook(("md", "# T"), "// wiring", "%%\nx()"), path)
        with self.assertRaises(student.MarkerError) as cm:
            student.write_student_edition([path], os.path.join(d, "out"))
        self.assertIn("nosolution.ipynb: no solution", str(cm.exception))


class SlidesTest(unittest.TestCase):
    def test_defaults(self):
        nb = notebook(
            ("md", "# 0. Title"),
            "// wiring",
            ("md", "## A section"),
            "%%\nx()",
            ("md", "What the result shows."),
            ("md", "More of the same."),
            ("md", "### A part"),
            "%%\ny()",
        )
        nb.cells[5].metadata["slideshow"] = {"slide_type": "fragment"}  # set by hand: kept
        self.assertEqual(slides.assign_slide_types(nb), 7)
        got = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        self.assertEqual(got, ["slide", "skip", "slide", "-", "subslide", "fragment", "subslide", "-"])
        self.assertEqual(slides.assign_slide_types(nb), 0)


if __name__ == "__main__":
    unittest.main()
