"""Tests of the graded exercises (grader.py, nbgrader).

MarkerTest checks the marker rules on small notebooks made here, without
nbgrader or a kernel (part of `make check`). PilotGradingTest releases the
pilot notebook (notebooks/00_Introduction.ipynb) with nbgrader into a course
directory of its own and autogrades, in one run of real GoNB kernels, five
submissions: the teacher's notebook, the release as it is (the stubs), and
three with one mistake each: a changed constant, a compile error, a panic
(all five without the demonstration cells, which a student may delete;
make test-assignments autogrades every notebook's whole release).
Run by `make test` (make test-harness); it takes a few minutes.
"""

import csv
import glob
import html
import os
import re
import shutil
import tempfile
import time
import unittest

import nbformat

import grader
import run_notebooks

ROOT = grader.ROOT
PILOT = os.path.join(ROOT, "notebooks", "00_Introduction.ipynb")


def meta(grade_id, *, solution=False, grade=False, locked=False, points=None):
    m = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


SOLUTION = "func answer() int {\n\t// BEGIN SOLUTION\n\treturn 42\n\t// END SOLUTION\n}"
TEST = '%%\nnb.Checks("answer", nb.Check{Name: "answer", Got: float64(answer()), Want: 42})\n// BEGIN HIDDEN TESTS\nnb.Checks("hidden", nb.Check{Name: "again", Got: float64(answer()), Want: 42})\n// END HIDDEN TESTS'


def graded_notebook(solution=SOLUTION, test=TEST):
    """A notebook with two exercises, each a solution cell and a test cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}
    cells = [nbformat.v4.new_markdown_cell("# Title", id="title")]
    for k, (sol, tst) in enumerate([(solution, test), (SOLUTION.replace("answer", "other"), TEST.replace("answer", "other"))], 1):
        cells.append(nbformat.v4.new_code_cell(sol, id=f"sol{k}", metadata=meta(f"sol{k}", solution=True)))
        cells.append(nbformat.v4.new_code_cell(tst, id=f"test{k}", metadata=meta(f"test{k}", grade=True, locked=True, points=1)))
    nb.cells = cells
    return nb


class MarkerTest(unittest.TestCase):
    def test_good_notebook(self):
        self.assertEqual(grader.check_notebook(graded_notebook(), "good.ipynb"), 2)

    def test_near_markers_are_errors(self):
        # Issue 16's bad input, and its cousins: each must stop the release
        # with the notebook, the cell and the line, never reach nbgrader
        # (which would ship all but the first two unchanged).
        for begin, end in (
            ("// BEGIN SOLUTION (exercise 2)", "// END SOLUTION (exercise 2)"),
            ("// begin solution", "// end solution"),
            ("/* BEGIN SOLUTION */", "/* END SOLUTION */"),
            ("// BEGIN  SOLUTION", "// END SOLUTION"),
            ("//BEGIN SOLUTION", "//END SOLUTION"),
            ("# BEGIN SOLUTION", "# END SOLUTION"),
            ("// Begin_Solution", "// End_Solution"),
            ('fmt.Println("// BEGIN SOLUTION")', "// END SOLUTION"),
        ):
            with self.subTest(begin):
                nb = graded_notebook(solution=f"%%\n{begin}\nsecret := 42\n{end}")
                with self.assertRaises(grader.GraderError) as cm:
                    grader.check_notebook(nb, "bad.ipynb")
                msg = str(cm.exception)
                self.assertIn("bad.ipynb: cell 2 (code cell 1: ", msg)
                self.assertIn(", line 2: ", msg)
                self.assertIn("looks like a marker but is not one", msg)

    def test_structure_errors(self):
        nb = graded_notebook()
        cases = {
            "unclosed": (graded_notebook(solution="%%\n// BEGIN SOLUTION\nx := 1"), "line 2: 'BEGIN SOLUTION' is never closed"),
            "end without begin": (graded_notebook(solution="%%\nx := 1\n// END SOLUTION"), "line 3: 'END SOLUTION' without"),
            "nested": (
                graded_notebook(solution="%%\n// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n// END SOLUTION"),
                "line 3: 'BEGIN SOLUTION' inside the SOLUTION region opened at line 2",
            ),
            "stub": (
                graded_notebook(solution="func f() int {\n\t// BEGIN SOLUTION\n\t// BEGIN STUB\n\t// return 0\n\t// END STUB\n\treturn 1\n\t// END SOLUTION\n}"),
                "line 3: '// BEGIN STUB': a graded notebook has no '// BEGIN STUB' regions",
            ),
            "test without hidden tests": (graded_notebook(test='%%\nnb.Checks("a", nb.Check{Name: "a", Got: 1, Want: 1})'), "without '// BEGIN HIDDEN TESTS'"),
            "test without visible check": (
                graded_notebook(test="%%\n// BEGIN HIDDEN TESTS\nnb.Checks(\"h\")\n// END HIDDEN TESTS"),
                "without a visible nb.Checks",
            ),
        }
        plain = nbformat.from_dict(nb)
        plain.cells[1].metadata = {}  # a solution region outside a solution cell
        cases["solution outside a solution cell"] = (plain, "cell 2 (code cell 1: 'func answer() int {'), line 2: a solution region in a cell that is not a solution cell")
        hidden = nbformat.from_dict(nb)
        hidden.cells[1].source = "// BEGIN HIDDEN TESTS\nx()\n// END HIDDEN TESTS"
        cases["hidden tests outside a test cell"] = (hidden, "line 1: hidden tests in a cell that is not an autograded test cell")
        one = nbformat.from_dict(nb)
        one.cells = one.cells[:3]
        cases["one exercise"] = (one, "bad.ipynb: 1 autograded test cell(s)")
        # A wiring cell that takes the folder above the notebook for the course.
        fixed = nbformat.from_dict(nb)
        fixed.cells.insert(1, nbformat.v4.new_code_cell('!*go mod edit -replace=m="$(cd "${GONB_DIR}/.." && pwd)"', id="wiring"))
        cases["a wiring cell that does not walk up"] = (fixed, "cell 2 (code cell 1: '!*go mod edit -replace=m=\"$(cd \"${GONB_DIR}/..\" && pwd)\"'): the wiring cell must look for the course's go.mod")
        # Isolation: only an exercise's own test cell may use what its solution declares.
        later = nbformat.from_dict(nb)
        later.cells.append(nbformat.v4.new_code_cell("%%\nfmt.Println(answer() + 1)", id="later"))
        cases["a later cell uses a solution"] = (
            later, "cell 6 (code cell 5: 'fmt.Println(answer() + 1)') uses 'answer', declared by the solution in cell 2 (code cell 1: 'func answer() int {'): only its test cell, cell 3"
        )
        crossed = nbformat.from_dict(nb)
        crossed.cells[4].source = crossed.cells[4].source.replace("float64(other())", "float64(other()+answer()-42)", 1)
        cases["another exercise's test uses it"] = (crossed, "cell 5 (code cell 4: 'nb.Checks(\"other\", nb.Check{Name: \"other\", Got: float64(other()+ans...') uses 'answer'")
        before = nbformat.from_dict(nb)
        before.cells.insert(1, nbformat.v4.new_code_cell("func helper() int { return answer() }", id="before"))
        cases["an earlier cell uses it"] = (before, "uses 'answer'")
        untested = nbformat.from_dict(nb)
        untested.cells[2], untested.cells[3] = untested.cells[3], untested.cells[2]
        cases["a solution without its test"] = (untested, "a solution cell without an autograded test cell after it")
        for name, (bad, fragment) in cases.items():
            with self.subTest(name):
                with self.assertRaises(grader.GraderError) as cm:
                    grader.check_notebook(bad, "bad.ipynb")
                self.assertIn("bad.ipynb", str(cm.exception))
                self.assertIn(fragment, str(cm.exception))

    def test_names_in_strings_and_comments_are_no_use(self):
        nb = graded_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(
            '%%\n// answer() is exercise 1\nfmt.Println("answer", `answer()`, \'a\') /* answer */', id="mentions"))
        self.assertEqual(grader.check_notebook(nb, "good.ipynb"), 2)

    def test_course_notebooks(self):
        # Every notebook of the course has graded exercises that pass the rules.
        paths = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
        self.assertGreaterEqual(len(paths), 13)
        for path in paths:
            with self.subTest(os.path.basename(path)):
                nb = nbformat.read(path, as_version=4)
                self.assertGreaterEqual(grader.check_notebook(nb, os.path.basename(path)), 2)
        # The README's table of them is current (make assignments writes it).
        with open(grader.README, encoding="utf-8") as f:
            readme = f.read()
        table = grader.exercise_table(paths)
        self.assertIn(table, readme, "README.md's table of graded exercises is not current: run make assignments")
        self.assertEqual(len(grader.exercises(paths)), len(re.findall(r"^\| `", table, re.M)))

    def test_exercise_table(self):
        d = tempfile.mkdtemp(prefix="exercise-table-")
        self.addCleanup(shutil.rmtree, d)
        nb = graded_notebook()
        nb.cells.insert(1, nbformat.v4.new_markdown_cell("### Exercise 1: the answer | all of it\n\nWrite it.", metadata=meta("ex1-text", locked=True)))
        path = os.path.join(d, "09_X.ipynb")
        nbformat.write(nb, path)
        table = grader.exercise_table([path])
        self.assertIn("| `09_X` | Exercise 1: the answer \\| all of it | `answer` | 1 |", table)
        self.assertIn("| `09_X` |  | `other` | 1 |", table)
        self.assertIn("| **1 notebooks** | **2 exercises** | | **2** |", table)
        readme = os.path.join(d, "README.md")
        with open(readme, "w") as f:
            f.write(f"before\n{grader.TABLE_BEGIN}\nold\n{grader.TABLE_END}\nafter\n")
        self.assertTrue(grader.update_readme([path], readme))
        self.assertFalse(grader.update_readme([path], readme))
        with open(readme) as f:
            self.assertEqual(f.read(), f"before\n{table}\nafter\n")
        with open(readme, "w") as f:
            f.write("no markers\n")
        with self.assertRaises(grader.GraderError):
            grader.update_readme([path], readme)

    def test_teacher_scores(self):
        # The teacher's notebook as make test-notebooks executed it, scored
        # by nbgrader's rule: an error or stderr in a test cell scores 0.
        d = tempfile.mkdtemp(prefix="teacher-scores-")
        self.addCleanup(shutil.rmtree, d)
        source = graded_notebook()
        path = os.path.join(d, "09_X.ipynb")
        nbformat.write(source, path)
        ran = os.path.join(d, "executed")
        os.makedirs(ran)

        def scores(*outputs):
            nb = nbformat.from_dict(source)
            for k, out in enumerate(outputs):
                nb.cells[2 + 2 * k].outputs = out
            nbformat.write(nb, os.path.join(ran, "09_X.ipynb"))
            table = []
            return grader.teacher_scores(path, ran, table), table

        ok = [nbformat.v4.new_output("display_data", data={"text/html": "<table>...</table>"})]
        self.assertEqual(scores(ok, ok), ([], [("09_X", "test1", 1.0), ("09_X", "test2", 1.0)]))
        err = [nbformat.v4.new_output("error", ename="ERROR", evalue="failed", traceback=["nb: 1 of 1 checks failed"])]
        problems, _ = scores(ok, err)
        self.assertEqual(len(problems), 1)
        self.assertIn("09_X: cell 5 (code cell 4: ", problems[0])
        self.assertIn("the teacher's solution scores 0 of 1: nb: 1 of 1 checks failed", problems[0])
        stderr = [nbformat.v4.new_output("stream", name="stderr", text="panic: oops")]
        self.assertIn("scores 0 of 1: panic: oops", scores(stderr, ok)[0][0])
        # A copy executed before the test cell changed, and a missing copy.
        nb = nbformat.from_dict(source)
        nb.cells[2].source += "\n// changed"
        nbformat.write(nb, os.path.join(ran, "09_X.ipynb"))
        self.assertIn("is older than the notebook", grader.teacher_scores(path, ran, [])[0])
        os.remove(os.path.join(ran, "09_X.ipynb"))
        self.assertIn("missing; make test-notebooks executes", grader.teacher_scores(path, ran, [])[0])

    def test_require_graded(self):
        d = tempfile.mkdtemp(prefix="require-graded-")
        self.addCleanup(shutil.rmtree, d)
        graded, plain = os.path.join(d, "a.ipynb"), os.path.join(d, "b.ipynb")
        nbformat.write(graded_notebook(), graded)
        nbformat.write(nbformat.v4.new_notebook(), plain)
        grader.require_graded([graded])
        with self.assertRaises(grader.GraderError) as cm:
            grader.require_graded([graded, plain])
        self.assertIn("no graded exercises (nbgrader metadata) in b.ipynb", str(cm.exception))

    def test_share(self):
        # Notebooks shared among processes by their code cells, each share in the order given.
        d = tempfile.mkdtemp(prefix="share-")
        self.addCleanup(shutil.rmtree, d)
        paths = []
        for name, n in (("a", 1), ("b", 5), ("c", 2), ("d", 2)):
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_code_cell("x") for _ in range(n)]
            paths.append(os.path.join(d, name + ".ipynb"))
            nbformat.write(nb, paths[-1])
        a, b, c, dd = paths
        self.assertEqual(grader.share(paths, 2), [[b], [a, c, dd]])
        self.assertEqual(grader.share(paths, 1), [paths])
        self.assertEqual(grader.share(paths[:1], 4), [[a]])

    def test_release_leaks(self):
        source = graded_notebook()
        release = nbformat.from_dict(source)
        release.cells[1].source = "func answer() int {\n\tpanic(\"not implemented\") // YOUR CODE HERE\n}"
        release.cells[2].source = TEST.split("// BEGIN HIDDEN TESTS")[0]
        release.cells[3].source = "func other() int {\n\tpanic(\"not implemented\") // YOUR CODE HERE\n}"
        release.cells[4].source = release.cells[2].source.replace("answer", "other")
        self.assertEqual(grader.release_leaks(source, release, "nb.ipynb"), [])
        release.cells[3].source = "func other() int {\n\treturn 42\n}"
        leaks = grader.release_leaks(source, release, "nb.ipynb")
        self.assertEqual(len(leaks), 1)
        self.assertIn("cell 4 (code cell 3: 'func other() int {'), line 2: 'return 42'", leaks[0])


class SubmissionsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="submissions-test-")
        self.addCleanup(shutil.rmtree, self.tmp)
        saved, grader.COURSE_DIR = grader.COURSE_DIR, os.path.join(self.tmp, "course")
        self.addCleanup(setattr, grader, "COURSE_DIR", saved)
        os.makedirs(os.path.join(grader.COURSE_DIR, "release", "00_Introduction"))
        open(grader.release_path("00_Introduction"), "w").close()
        self.subs = os.path.join(self.tmp, "subs")

    def put(self, rel, text=None):
        """Writes subs/rel: a notebook if its name ends in .ipynb, else text."""
        path = os.path.join(self.subs, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if text is None and path.endswith(".ipynb"):
            nbformat.write(nbformat.v4.new_notebook(), path)
        else:
            with open(path, "w") as f:
                f.write(text or "")
        return path

    def test_layouts(self):
        a = self.put("alice/00_Introduction.ipynb")
        b = self.put("bob.smith/00_Introduction/00_Introduction.ipynb")
        self.put("bob.smith/notes.txt")
        self.assertEqual(grader.find_submissions(self.subs), [("alice", "00_Introduction", a), ("bob.smith", "00_Introduction", b)])

    def test_errors(self):
        cases = {
            "no folder": (None, "subs does not exist"),
            "a file": ("", "is not a folder"),
            "not a notebook": ("alice/00_Introduction.ipynb", "alice/00_Introduction.ipynb: not a readable notebook"),
            "empty": ("alice/readme.txt", "no notebooks in"),
            "bad student id": ("alice smith/00_Introduction.ipynb", "alice smith: a student folder's name may hold"),
            "unknown notebook": ("alice/99_Other.ipynb", "99_Other.ipynb: no released assignment 99_Other (run make assignments first)"),
        }
        for name, (rel, fragment) in cases.items():
            with self.subTest(name):
                shutil.rmtree(self.subs, ignore_errors=True)
                if os.path.isfile(self.subs):
                    os.remove(self.subs)
                if name == "a file":
                    with open(self.subs, "w") as f:
                        f.write("x")
                elif name == "not a notebook":
                    self.put(rel, text='{"cells": [')
                elif rel:
                    self.put(rel)
                with self.assertRaises(grader.GraderError) as cm:
                    grader.find_submissions(self.subs)
                self.assertIn(fragment, str(cm.exception))


class OutputFolderTest(unittest.TestCase):
    def test_only_a_folder_autograde_wrote_is_replaced(self):
        d = tempfile.mkdtemp(prefix="grades-test-")
        self.addCleanup(shutil.rmtree, d)
        mine = os.path.join(d, "teacher")
        os.makedirs(mine)
        with open(os.path.join(mine, "important.txt"), "w") as f:
            f.write("keep me")
        with self.assertRaises(grader.GraderError) as cm:
            grader.clear_output_folder(mine)
        self.assertIn("holds files that make autograde did not write", str(cm.exception))
        self.assertTrue(os.path.isfile(os.path.join(mine, "important.txt")))
        ours = os.path.join(d, "grades")
        os.makedirs(ours)
        for f in (grader.OUT_STAMP, "scores.csv"):
            open(os.path.join(ours, f), "w").close()
        grader.clear_output_folder(ours)
        self.assertFalse(os.path.exists(ours))
        grader.clear_output_folder(os.path.join(d, "new"))  # nothing there: fine
        os.makedirs(os.path.join(d, "empty"))
        grader.clear_output_folder(os.path.join(d, "empty"))  # an empty folder: fine
        with self.assertRaises(grader.GraderError):
            grader.clear_output_folder(os.path.join(mine, "important.txt"))


def trimmed(nb):
    """A copy of nb without the code cells a student may delete: those that
    neither carry nbgrader metadata nor import a package. It saves kernel
    time; the exercises and every cell they need stay. (grader.py verify
    autogrades every notebook's whole release, in make test-assignments.)"""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.metadata.get("nbgrader") or re.search(r"^import\b", c.source, re.M)]
    return nb


def mutate(nb, cell_id, old, new):
    """A trimmed copy of nb whose cell cell_id has old replaced by new (once)."""
    nb = trimmed(nb)
    cell = next(c for c in nb.cells if c.id == cell_id)
    assert cell.source.count(old) == 1, (cell_id, old)
    cell.source = cell.source.replace(old, new)
    return nb


def error_outputs(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]


class PilotGradingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for need in (".venv/bin/nbgrader", "bin/gonb"):
            if not os.path.exists(os.path.join(ROOT, need)):
                raise unittest.SkipTest(f"{need} is missing: run make setup first")
        os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
        cls.tmp = tempfile.mkdtemp(prefix="grader-test-", dir=os.path.join(ROOT, "build"))
        cls.saved_course_dir = grader.COURSE_DIR
        grader.COURSE_DIR = os.path.join(cls.tmp, "course")
        # The kernel of .venv, and the tools of bin/, as the Makefile sets them.
        cls.saved_env = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR", "PATH")}
        os.environ["JUPYTER_PATH"] = os.path.join(ROOT, ".venv", "share", "jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(cls.tmp, "runtime")
        os.environ["PATH"] = os.path.join(ROOT, "bin") + os.pathsep + os.environ.get("PATH", "")

        cls.teacher = nbformat.read(PILOT, as_version=4)
        [(_, release)] = grader.generate_assignments([PILOT], say=lambda *a: None)
        cls.release = nbformat.read(release, as_version=4)
        submissions = {
            "teacher": trimmed(cls.teacher),
            "stub": trimmed(cls.release),
            # Exercise 1 with a changed constant, exercise 2 right.
            "wrong": mutate(cls.teacher, "ex1-solution", "return 1 - t*t", "return 1.5 - t*t"),
            # Exercise 1 does not compile, exercise 2 right.
            "broken": mutate(cls.teacher, "ex1-solution", "return 1 - t*t", 'return "1 - t*t"'),
            # Exercise 1 right, exercise 2 panics (index out of range).
            "panics": mutate(cls.teacher, "ex2-solution", "fBest = math.Inf(-1)", "fBest = []float64{}[n]"),
        }
        folder = os.path.join(cls.tmp, "submissions")
        for student, nb in submissions.items():
            os.makedirs(os.path.join(folder, student))
            nbformat.write(nb, os.path.join(folder, student, "00_Introduction.ipynb"))
        cls.out = os.path.join(cls.tmp, "grades")
        with run_notebooks.course_env(quick=True):
            cls.rows = grader.autograde(folder, cls.out, say=lambda *a: None)

    @classmethod
    def tearDownClass(cls):
        grader.COURSE_DIR = cls.saved_course_dir
        for k, v in cls.saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def scores(self, student):
        return {r["exercise"]: (r["score"], r["max_score"]) for r in self.rows if r["student"] == student}

    def autograded(self, student):
        return nbformat.read(os.path.join(grader.COURSE_DIR, "autograded", student, "00_Introduction", "00_Introduction.ipynb"), as_version=4)

    def feedback(self, student):
        with open(os.path.join(self.out, "feedback", student, "00_Introduction.html"), encoding="utf-8") as f:
            return html.unescape(re.sub(r"<[^>]+>", "", f.read()))

    def test_release_has_no_solution_and_no_hidden_test(self):
        # Every line of every solution and hidden region of the teacher's
        # notebook that appears nowhere else in it must be absent.
        secrets = grader.secret_lines(self.teacher, "00_Introduction.ipynb")
        self.assertIn("return 1 - t*t", secrets)
        self.assertIn('nb.Checks("exercise 2: hidden checks",', secrets)
        released = {l.strip() for c in self.release.cells for l in c.source.split("\n")}
        self.assertEqual(secrets & released, set())
        for c in self.release.cells:
            self.assertNotRegex(c.source, r"(?i)\b(begin|end)[ _]*(solution|hidden)", c.id)
        # The stubs, and every read-only cell as it was.
        stubs = [c for c in self.release.cells if c.metadata.get("nbgrader", {}).get("solution")]
        self.assertEqual(len(stubs), 2)
        for c in stubs:
            self.assertIn('\tpanic("not implemented") // YOUR CODE HERE\n}', c.source)
        teacher = {c.id: c for c in self.teacher.cells}
        for c in self.release.cells:
            if c.metadata.get("nbgrader", {}).get("locked") and "HIDDEN" not in teacher[c.id].source:
                self.assertEqual(c.source, teacher[c.id].source, c.id)
            self.assertEqual(c.get("outputs", []), [], c.id)

    def test_teacher_scores_full_marks(self):
        self.assertEqual(self.scores("teacher"), {"ex1-test": (2, 2), "ex2-test": (3, 3)})
        nb = self.autograded("teacher")
        for i, c in enumerate(nb.cells):
            if c.cell_type == "code":
                self.assertEqual(error_outputs(c), [], run_notebooks.cell_label(nb, i))

    def test_stubs_run_to_the_end_and_score_zero(self):
        self.assertEqual(self.scores("stub"), {"ex1-test": (0, 2), "ex2-test": (0, 3)})
        nb = self.autograded("stub")
        code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for i, c in code:
            self.assertIsNotNone(c.execution_count, run_notebooks.cell_label(nb, i))
            if not grader.is_test_cell(c):
                self.assertEqual(error_outputs(c), [], run_notebooks.cell_label(nb, i))
        self.assertIn("not implemented", self.feedback("stub"))

    def test_wrong_constant_loses_that_exercise(self):
        self.assertEqual(self.scores("wrong"), {"ex1-test": (0, 2), "ex2-test": (3, 3)})
        text = self.feedback("wrong")
        self.assertIn("checks in \"exercise 1: tanh'(z) = 1 − tanh²(z) against central differences\" did not come out as expected: tanh'(-3), tanh'(-1), tanh'(0), tanh'(1), tanh'(3)", text)

    def test_compile_error_loses_only_that_exercise(self):
        self.assertEqual(self.scores("broken"), {"ex1-test": (0, 2), "ex2-test": (3, 3)})
        self.assertIn("cannot use", self.feedback("broken"))

    def test_panic_loses_only_that_exercise(self):
        self.assertEqual(self.scores("panics"), {"ex1-test": (2, 2), "ex2-test": (0, 3)})
        self.assertIn("index out of range", self.feedback("panics"))

    def test_formgrader_in_jupyterlab(self):
        # nbgrader's JupyterLab extension loads in the pinned JupyterLab (its
        # Nbgrader menu), and the formgrader shows the graded submissions.
        import secrets
        import subprocess
        import urllib.request

        import browser
        from playwright.sync_api import sync_playwright

        port = subprocess.run(
            [os.path.join(ROOT, ".venv", "bin", "python"), os.path.join(ROOT, "docker", "free_port.py"), "127.0.0.1", "8950"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        token = secrets.token_hex(16)
        env = dict(os.environ, NBGRADER_COURSE_DIR=grader.COURSE_DIR)
        with open(os.path.join(self.tmp, "lab.log"), "w") as log:
            lab = subprocess.Popen(
                [os.path.join(ROOT, ".venv", "bin", "jupyter"), "lab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
                 "--ServerApp.port_retries=0", f"--ServerApp.root_dir={ROOT}", f"--IdentityProvider.token={token}"],
                stdout=log, stderr=log, env=env,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    time.sleep(1)
            with sync_playwright() as pw:
                b = browser.launch(pw)
                try:
                    page = b.new_page()
                    page.goto(f"{base}/lab?token={token}")
                    page.get_by_text("Nbgrader", exact=True).first.wait_for(timeout=120000)
                    page.goto(f"{base}/formgrader/manage_assignments?token={token}")
                    row = page.locator("tr", has_text="00_Introduction").first
                    row.wait_for(timeout=60000)
                    self.assertIn("5", row.inner_text().split())  # the submissions
                finally:
                    b.close()
        finally:
            lab.terminate()
            lab.wait(30)

    def test_a_changed_release_after_grading_says_what_to_do(self):
        # nbgrader refuses to change the cells of an assignment with graded
        # submissions; make assignments says why and how to go on.
        changed = nbformat.from_dict(self.teacher)
        changed.cells.append(nbformat.v4.new_code_cell(SOLUTION, id="ex3-solution", metadata=meta("ex3-answer", solution=True)))
        changed.cells.append(nbformat.v4.new_code_cell(TEST, id="ex3-test", metadata=meta("ex3-test", grade=True, locked=True, points=1)))
        path = os.path.join(self.tmp, "changed", "00_Introduction.ipynb")
        os.makedirs(os.path.dirname(path))
        nbformat.write(changed, path)
        source = os.path.join(grader.COURSE_DIR, "source", "00_Introduction", "00_Introduction.ipynb")
        with self.assertRaises(grader.GraderError) as cm:
            grader.generate_assignments([path], say=lambda *a: None)
        self.assertIn("00_Introduction.ipynb: its cells changed since the release that students submitted", str(cm.exception))
        # The last release and its source are kept.
        self.assertEqual(nbformat.read(grader.release_path("00_Introduction"), as_version=4).cells[-1].id, self.release.cells[-1].id)
        self.assertFalse(any(c.id == "ex3-test" for c in nbformat.read(source, as_version=4).cells))
        self.assertIn(f"move {grader.COURSE_DIR} aside", str(cm.exception))

    def test_csv(self):
        with open(os.path.join(self.out, "scores.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 10)
        with open(os.path.join(self.out, "grades.csv"), newline="") as f:
            grades = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
        self.assertEqual(grades, {"teacher": 5, "stub": 0, "wrong": 3, "broken": 3, "panics": 2})


if __name__ == "__main__":
    unittest.main()
