"""Tests of the notebook harness: it must fail, naming the notebook and the
cell, on every kind of broken notebook, and pass a good one.

Run by `make test` (make test-harness) with the .venv's Python; each case
starts a real GoNB kernel, so the GoNB kernel must be installed (make setup).
"""

import contextlib
import glob
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

import nbformat

import run_notebooks
import strip_notebooks

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULE = "github.com/redesneuronales/course"
# Fixtures live in a temporary folder, so they are wired to the module by
# absolute path rather than by ${GONB_DIR}/.. as the course notebooks are;
# quoted, because the checkout's folder may have a space in its name.
WIRING = f"!*go mod edit -require={MODULE}@v0.0.0 -replace={MODULE}={shlex.quote(ROOT)}"
IMPORTS = f"""import (
	"math"

	"{MODULE}/lib/nn"
	"{MODULE}/lib/plotting"
	"{MODULE}/nb"
)
"""
PLOT = """%%
nb.Plot(plotting.Functions(plotting.Config{Title: "σ"}, plotting.Range{Min: -4, Max: 4}, plotting.Func{Name: "σ", F: nn.Sigmoid{}.F}))
_ = math.Pi
"""
GOOD_CHECKS = """%%
nb.Checks("σ'", nb.DerivativeChecks("σ'", nn.Sigmoid{}.F, nn.Sigmoid{}.Prime, -1, 0, 1)...)
"""


def notebook(*cells, tags=None, outputs=None):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}
    nb.cells = [nbformat.v4.new_markdown_cell("# fixture")]
    for i, src in enumerate((WIRING, IMPORTS) + cells):
        c = nbformat.v4.new_code_cell(src)
        if tags and i in tags:
            c.metadata["tags"] = tags[i]
        if outputs and i in outputs:
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=outputs[i])]
        nb.cells.append(c)
    nb.cells.append(nbformat.v4.new_markdown_cell("## Summary\n\nA fixture.\n\n## Exercises\n\n1. None."))
    return nb


class HarnessTest(unittest.TestCase):
    def run_harness(self, name, nb):
        """Writes nb as name.ipynb in a temporary folder, runs the harness
        on it and returns (exit status, printed text)."""
        d = tempfile.mkdtemp(prefix="harness-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, name + ".ipynb")
        nbformat.write(nb, path)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = run_notebooks.main(["--quick", "--timeout", "120", "--log-dir", d, path])
        return status, out.getvalue()

    def assertFailsAt(self, status, text, name, cell, *fragments):
        self.assertEqual(status, 1, text)
        self.assertIn(f"FAIL  {name}.ipynb", text)
        self.assertIn(f"{name}.ipynb: cell {cell} ", text)
        for f in fragments:
            self.assertIn(f, text)
        self.assertIn("notebooks: 0 passed, 1 failed", text)

    def test_good_notebook_passes(self):
        status, text = self.run_harness("good", notebook(PLOT, GOOD_CHECKS, tags={2: ["plot"]}))
        self.assertEqual(status, 0, text)
        self.assertIn("PASS  good.ipynb: 6 cells", text)
        self.assertIn("1 images, checks 3 passed", text)
        self.assertIn("notebooks: 1 passed, 0 failed", text)

    def test_jobs_run_notebooks_at_once_and_report_in_order(self):
        d = tempfile.mkdtemp(prefix="harness-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        paths = []
        for name, nb in (("b_panics", notebook('%%\npanic("deliberate failure")\n')), ("a_good", notebook(GOOD_CHECKS))):
            paths.append(os.path.join(d, name + ".ipynb"))
            nbformat.write(nb, paths[-1])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = run_notebooks.main(["--quick", "--jobs", "2", "--timeout", "120", "--log-dir", d, "--output-dir", os.path.join(d, "ran"), *paths])
        text = out.getvalue()
        self.assertEqual(status, 1, text)
        # In the order given, each failure under its own notebook.
        self.assertRegex(text, r"(?s)FAIL  b_panics\.ipynb.*b_panics\.ipynb: cell 4 .*deliberate failure.*PASS  a_good\.ipynb: 5 cells.*checks 3 passed")
        self.assertIn("notebooks: 1 passed, 1 failed", text)
        self.assertEqual(sorted(os.listdir(os.path.join(d, "ran"))), ["a_good.ipynb", "b_panics.ipynb"])
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(run_notebooks.main(["--jobs", "0", *paths]), 2)
        self.assertIn("--jobs 0: want at least 1", err.getvalue())

    def test_compile_error_names_notebook_and_cell(self):
        # Cell 5: markdown, wiring, imports, good plot, then the broken cell.
        broken = "%%\nx := undefinedVariable + 1\nfmt.Println(x)\n"
        status, text = self.run_harness("broken", notebook(PLOT, broken))
        self.assertFailsAt(status, text, "broken", 5, "x := undefinedVariable + 1", "undefined: undefinedVariable")

    def test_panic_fails(self):
        status, text = self.run_harness("panics", notebook('%%\npanic("deliberate failure")\n'))
        self.assertFailsAt(status, text, "panics", 4, "deliberate failure")

    def test_failed_derivation_check_fails(self):
        # A wrong derivative: d/dz σ(z) claimed to be σ(z).
        wrong = '%%\nnb.Checks("wrong", nb.DerivativeChecks("σ\'", nn.Sigmoid{}.F, nn.Sigmoid{}.F, 1)...)\n'
        status, text = self.run_harness("wrongcheck", notebook(wrong))
        self.assertFailsAt(status, text, "wrongcheck", 4, "1 derivation check(s) failed", "checks 0 passed, 1 FAILED")

    def test_expected_failure_passes(self):
        shown = '%%\nc := nb.DerivativeChecks("σ\'", nn.Sigmoid{}.F, nn.Sigmoid{}.F, 1)\nc[0].Expect = nb.ExpectFail\nnb.Checks("shown wrong", c...)\n'
        status, text = self.run_harness("expected", notebook(shown))
        self.assertEqual(status, 0, text)
        self.assertIn("checks 0 passed (+1 expected failures)", text)

    def test_plot_cell_without_image_fails(self):
        silent = '%%\nfmt.Println("forgot to call nb.Plot")\n'
        status, text = self.run_harness("noimage", notebook(silent, tags={2: ["plot"]}))
        self.assertFailsAt(status, text, "noimage", 4, "plot cell produced no image")

    def test_stderr_fails(self):
        status, text = self.run_harness("stderr", notebook('%%\nfmt.Fprintln(os.Stderr, "something went wrong")\n'))
        self.assertFailsAt(status, text, "stderr", 4, "stderr: something went wrong")

    def test_raises_exception_tag_allows_error(self):
        status, text = self.run_harness(
            "allowed", notebook('%%\npanic("shown on purpose")\n', PLOT, tags={2: ["raises-exception"]})
        )
        self.assertEqual(status, 0, text)
        self.assertIn("1 images", text)

    def test_stored_outputs_fail_without_running(self):
        status, text = self.run_harness("stored", notebook(PLOT, outputs={2: "old output\n"}))
        self.assertEqual(status, 1, text)
        self.assertIn("stored with outputs in cell(s) 4", text)
        self.assertIn("make strip", text)

    def test_conventions_checked_before_running(self):
        nb = notebook(PLOT)
        nb.cells[1].source = "// no wiring here"
        nb.cells[-1].source = "## Summary only"
        nb.metadata["kernelspec"]["name"] = "python3"
        status, text = self.run_harness("conventions", nb)
        self.assertEqual(status, 1, text)
        self.assertIn("kernelspec is 'python3', want 'gonb'", text)
        self.assertIn("the first code cell must wire the notebook", text)
        self.assertIn("no 'Exercises' heading", text)
        self.assertNotIn("no 'Summary' heading", text)
        self.assertIn("0 images", text)  # nothing ran

    def test_quick_mode_is_set(self):
        cell = '%%\nif !nb.Quick() {\n\tpanic("COURSE_QUICK not seen by the kernel")\n}\n'
        status, text = self.run_harness("quick", notebook(cell))
        self.assertEqual(status, 0, text)


class HelpersTest(unittest.TestCase):
    def test_is_plot_cell(self):
        cell = nbformat.v4.new_code_cell
        self.assertTrue(run_notebooks.is_plot_cell(cell("%%\nnb.Plot(p)")))
        self.assertTrue(run_notebooks.is_plot_cell(cell("func main() {\n\tnb.PlotSize(p, 1, 2)\n}")))
        # A declaration-only cell runs nothing, so it draws nothing.
        self.assertFalse(run_notebooks.is_plot_cell(cell("func show() { nb.Plot(p) }")))
        self.assertFalse(run_notebooks.is_plot_cell(cell('%%\nfmt.Println("no plot")')))
        tagged = cell("%%\nshowAll()")
        tagged.metadata["tags"] = ["plot"]
        self.assertTrue(run_notebooks.is_plot_cell(tagged))

    def test_go_build_flags_take_a_value_that_starts_with_a_dash(self):
        # `--go-build-flags -ldflags=-s` reads the value as an option and
        # fails; `--go-build-flags=-ldflags=-s` is one argument. The
        # Makefile must use the second form wherever it passes the flags.
        args = run_notebooks.parse_args(["--go-build-flags=-ldflags=-s", "a.ipynb"])
        self.assertEqual((args.go_build_flags, args.notebooks), ("-ldflags=-s", ["a.ipynb"]))
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            run_notebooks.parse_args(["--go-build-flags", "-ldflags=-s", "a.ipynb"])
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "Makefile"), encoding="utf-8") as f:
            uses = re.findall(r"--go-build-flags\S*", f.read())
        self.assertGreaterEqual(len(uses), 2)
        for use in uses:
            self.assertTrue(use.startswith("--go-build-flags=$("), use)

    def test_strip(self):
        nb = notebook(PLOT, tags={2: ["plot"]}, outputs={2: "old\n"})
        nb.cells[2].execution_count = 3
        nb.cells[2].metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
        nb.cells[2].metadata["scrolled"] = True
        grading = {"grade": True, "grade_id": "g", "locked": True, "points": 1, "schema_version": 3, "solution": False, "task": False}
        nb.cells[2].metadata["nbgrader"] = dict(grading)
        nb.cells[2].metadata["slideshow"] = {"slide_type": "skip"}
        ids = [c.get("id") for c in nb.cells]
        self.assertEqual(run_notebooks.stored_output_cells(nb), [2, 3])
        self.assertTrue(strip_notebooks.strip(nb))
        self.assertEqual(run_notebooks.stored_output_cells(nb), [])
        self.assertNotIn("execution", nb.cells[2].metadata)
        self.assertNotIn("scrolled", nb.cells[2].metadata)
        # nbgrader's metadata, the slide types and the cell ids are kept.
        self.assertEqual(nb.cells[2].metadata["nbgrader"], grading)
        self.assertEqual(nb.cells[2].metadata["slideshow"], {"slide_type": "skip"})
        self.assertEqual([c.get("id") for c in nb.cells], ids)
        self.assertEqual(nb.cells[3].metadata["tags"], ["plot"])
        self.assertEqual(nb.metadata["kernelspec"]["name"], "gonb")
        self.assertFalse(strip_notebooks.strip(nb), "a clean notebook reported as changed")

    def test_strip_normalizes_layout(self):
        # A notebook whose keys are not in nbformat's order (as some tools
        # write it) is rewritten once, in the layout git's filter writes.
        d = tempfile.mkdtemp(prefix="strip-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, "a.ipynb")
        nb = notebook(PLOT)
        raw = json.loads(nbformat.writes(nb))
        for cell in raw["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"] = cell.pop("outputs")  # moved to the end
        with open(path, "w", encoding="utf-8") as f:
            json.dump(raw, f, indent=1, ensure_ascii=False)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(strip_notebooks.main([path]), 0)
        self.assertIn("normalized", out.getvalue())
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), nbformat.writes(nbformat.read(path, as_version=4)) + "\n")
        self.assertFalse(strip_notebooks.normalize(path))

    def test_committed_notebooks_are_what_the_git_filter_writes(self):
        # git's filter (nbstripout --keep-id, docker/git_filter.sh) rewrites a
        # notebook in its own layout; a committed notebook in another layout
        # shows as modified in every checkout and blocks `git pull`. The
        # filter's own function, with the command line's settings (in process:
        # a python -m nbstripout per notebook takes 3 s).
        import argparse

        from nbstripout._nbstripout import process_jupyter_notebook

        args = argparse.Namespace(
            keep_output=False, keep_count=False, keep_id=True, drop_empty_cells=False, drop_tagged_cells="",
            strip_init_cells=False, drop_output_type=[], keep_output_type=[], max_size="0", dry_run=False,
        )
        paths = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
        self.assertGreaterEqual(len(paths), 13)
        for path in paths:
            with open(path, encoding="utf-8") as f:
                committed = f.read()
            out = io.StringIO()
            process_jupyter_notebook(io.StringIO(committed), out, args, extra_keys=[])
            self.assertTrue(out.getvalue() == committed, f"{os.path.relpath(path, ROOT)} is not in the git filter's layout: run make strip")
        # and the check sees a notebook in another layout
        raw = json.loads(committed)
        for cell in raw["cells"]:
            cell["cell_type"] = cell.pop("cell_type")  # moved to the end (nbformat sorts the keys)
        moved = json.dumps(raw, indent=1, ensure_ascii=False) + "\n"
        out = io.StringIO()
        process_jupyter_notebook(io.StringIO(moved), out, args, extra_keys=[])
        self.assertTrue(out.getvalue() != moved, "a notebook with its keys out of order passed")

    @unittest.skipUnless(shutil.which("git"), "git is not installed")
    def test_git_strips(self):
        # A notebook in a checkout whose git filter is nbstripout (what
        # docker/git_filter.sh installs; tested in docker/test_setup.py):
        # its outputs are the student's, on disk only, and do not fail the run.
        d = tempfile.mkdtemp(prefix="git-strips-test-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        path = os.path.join(d, "a.ipynb")
        nbformat.write(notebook(PLOT), path)
        self.assertFalse(strip_notebooks.git_strips(path), "not a git checkout")
        subprocess.run(["git", "init", "-q", d], check=True)
        self.assertFalse(strip_notebooks.git_strips(path), "no filter")
        with open(os.path.join(d, ".git", "info", "attributes"), "a") as f:
            f.write("*.ipynb filter=nbstripout\n")
        self.assertFalse(strip_notebooks.git_strips(path), "filter not configured")
        subprocess.run(["git", "-C", d, "config", "filter.nbstripout.clean", "python -m nbstripout --keep-id"], check=True)
        self.assertTrue(strip_notebooks.git_strips(path))

    def test_wiring_cell_must_quote_gonb_dir(self):
        # Unquoted, ${GONB_DIR} splits at a space in the folder's name
        # ("cd: too many arguments"), and every later cell fails.
        cases = {
            "-replace={m}=$(cd ${{GONB_DIR}}/.. && pwd)": True,
            "-replace={m}=$(cd $GONB_DIR/.. && pwd)": True,
            '-replace={m}="$(cd "${{GONB_DIR}}/.." && pwd)"': False,
            '-replace={m}="$(cd "$GONB_DIR/.." && pwd)"': False,
        }
        for replace, unquoted in cases.items():
            nb = notebook()
            nb.cells[1].source = f"!*go mod edit -require={MODULE}@v0.0.0 " + replace.format(m=MODULE)
            errors = run_notebooks.convention_errors(nb)
            self.assertEqual(any("outside double quotes" in e for e in errors), unquoted, (replace, errors))

    def test_course_notebooks_follow_conventions(self):
        # Every notebook wires itself with a line notebooks/README.md gives:
        # the folder above the notebook's, or (graded notebooks, which also
        # run from nbgrader's folders) the nearest folder at or above it
        # holding the course's go.mod.
        with open(os.path.join(ROOT, "notebooks", "README.md"), encoding="utf-8") as f:
            documented = [l.strip() for l in f if l.strip().startswith("!*")]
        self.assertEqual(len(documented), 2, documented)
        paths = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
        self.assertGreater(len(paths), 0)
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            self.assertEqual(run_notebooks.convention_errors(nb), [], os.path.basename(path))
            wiring = next(c for c in nb.cells if c.cell_type == "code").source
            self.assertTrue(set(documented) & set(wiring.splitlines()), os.path.basename(path))

    def test_cell_label(self):
        nb = notebook("%%\n\nfmt.Println(1)\n")
        self.assertEqual(run_notebooks.cell_label(nb, 3), "cell 4 (code cell 3: 'fmt.Println(1)')")


if __name__ == "__main__":
    unittest.main()
