#!/usr/bin/env python3
"""Graded exercises with nbgrader: the student release and autograding.

A notebook takes part when its cells carry nbgrader's metadata (JupyterLab:
View → Cell Toolbar → Create Assignment, or the `nbgrader` key of a cell's
metadata): a *solution* cell holds a function whose body the student writes,
between the lines

    // BEGIN SOLUTION
    ...the teacher's code...
    // END SOLUTION

which the release replaces by `panic("not implemented") // YOUR CODE HERE`
(nb/grader/nbgrader_config.py); an autograded *test* cell (grade, points,
locked) checks it with nb.Checks, and checks it again between

    // BEGIN HIDDEN TESTS
    ...
    // END HIDDEN TESTS

with checks the student never sees; they run when the notebook is graded.
Each notebook is an nbgrader assignment of its own name; nbgrader's course
directory is build/nbgrader/.

    .venv/bin/python nb/harness/grader.py assignments notebooks/*.ipynb
    .venv/bin/python nb/harness/grader.py autograde SUBMISSIONS [--out build/grades]
    .venv/bin/python nb/harness/grader.py verify [--jobs 2] notebooks/*.ipynb

`verify` is make test-assignments (see its function); it runs after make
test-notebooks, whose executed notebooks it scores.

`assignments` checks the markers of every graded notebook (below), then
runs nbgrader's generate_assignment and writes the release to
build/nbgrader/release/NAME/NAME.ipynb; notebooks without nbgrader metadata
are skipped (every notebook of the course has graded exercises: see verify). It then
scans the release: no line of a solution or hidden region may be in it.

`autograde` grades SUBMISSIONS, one folder per student holding the submitted
notebooks (STUDENT/NAME.ipynb, or STUDENT/NAME/NAME.ipynb as nbgrader's
collect writes them): nbgrader autograde executes each with the GoNB kernel
(a test cell that shows an error or writes to stderr scores 0),
generate_feedback writes HTML, and the scores go to OUT/scores.csv (one row
per student, notebook and exercise), OUT/grades.csv (nbgrader export: one row
per student and notebook) and the feedback to OUT/feedback/STUDENT/NAME.html.

Marker rules, checked before nbgrader runs (nbgrader itself matches
`BEGIN SOLUTION` anywhere in a line and ignores `// begin solution`): a line
whose letters spell a marker (BEGIN/END SOLUTION, BEGIN/END HIDDEN TESTS,
BEGIN/END STUB, in any case and with any punctuation) must be exactly one:
`// BEGIN SOLUTION` alone on its line in a code cell, `<!-- BEGIN SOLUTION -->`
in a markdown cell. Solution regions sit in solution cells, hidden tests in
autograded test cells, regions are closed and not nested, and every test
cell has a visible nb.Checks and a hidden region. Anything else is an error
naming the notebook, the cell and the line.
"""

import argparse
import collections
import concurrent.futures
import contextlib
import csv
import glob
import os
import re
import shutil
import sys
import time

import nbformat

import run_notebooks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CONFIG_DIR = os.path.join(ROOT, "nb", "grader")
CONFIG_FILE = "nbgrader_config.py"
# nbgrader's course directory (the configuration's CourseDirectory.root);
# NBGRADER_COURSE_DIR moves it, and the tests point it at a folder of their own.
COURSE_DIR = os.environ.get("NBGRADER_COURSE_DIR") or os.path.join(ROOT, "build", "nbgrader")

MARKER_WORDS = {
    "beginsolution": "BEGIN SOLUTION",
    "endsolution": "END SOLUTION",
    "beginhiddentest": "BEGIN HIDDEN TESTS",
    "endhiddentest": "END HIDDEN TESTS",
    "beginstub": "BEGIN STUB",
    "endstub": "END STUB",
}
CODE_MARKER_RE = re.compile(r"^[ \t]*// (BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS)[ \t]*$")
MARKDOWN_MARKER_RE = re.compile(r"^[ \t]*<!-- (BEGIN SOLUTION|END SOLUTION) -->[ \t]*$")
STUDENT_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
VISIBLE_CHECK_RE = re.compile(r"\bnb\.Checks\(")


class GraderError(ValueError):
    """A graded notebook or a submission that nbgrader must not be given;
    the message names the notebook, the cell and the line."""


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_graded(nb):
    """Whether any cell of nb carries nbgrader metadata."""
    return any(nbgrader_meta(c) for c in nb.cells)


def is_test_cell(cell):
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and not m.get("solution") and cell.cell_type == "code"


def marker_like(line):
    """The marker a line looks like (its letters spell one), or None."""
    letters = re.sub(r"[^a-z]", "", line.lower())
    for key, marker in MARKER_WORDS.items():
        if key in letters:
            return marker
    return None


def cell_regions(cell, where):
    """Checks the markers of one cell and returns its regions as
    (kind, first line, last line) with 1-based numbers of the marker lines;
    kind is "SOLUTION" or "HIDDEN TESTS". Raises GraderError naming where
    (notebook and cell) and the line."""
    markdown = cell.cell_type == "markdown"
    exact_re = MARKDOWN_MARKER_RE if markdown else CODE_MARKER_RE
    meta = nbgrader_meta(cell)
    regions, open_ = [], None
    for n, line in enumerate(cell.source.split("\n"), 1):
        looks = marker_like(line)
        if looks is None:
            continue
        at = f"{where}, line {n}"
        if looks in ("BEGIN STUB", "END STUB"):
            raise GraderError(
                f"{at}: {line.strip()!r}: a graded notebook has no '// BEGIN STUB' regions; nbgrader puts "
                "panic(\"not implemented\") in place of the solution (nb/grader/nbgrader_config.py)"
            )
        m = exact_re.match(line)
        if not m:
            want = f"<!-- {looks} -->" if markdown else f"// {looks}"
            raise GraderError(f"{at}: {line.strip()!r} looks like a marker but is not one: write {want!r} alone on its line")
        verb, kind = m.group(1).split(" ", 1)
        if verb == "BEGIN":
            if open_ is not None:
                raise GraderError(f"{at}: '{m.group(1)}' inside the {open_[0]} region opened at line {open_[1]}")
            if kind == "SOLUTION" and not meta.get("solution"):
                raise GraderError(f"{at}: a solution region in a cell that is not a solution cell (nbgrader metadata solution: true)")
            if kind == "HIDDEN TESTS" and not is_test_cell(cell):
                raise GraderError(f"{at}: hidden tests in a cell that is not an autograded test cell (nbgrader metadata grade: true, with points)")
            open_ = (kind, n)
        else:
            if open_ is None or open_[0] != kind:
                raise GraderError(f"{at}: '{m.group(1)}' without 'BEGIN {kind}' before it")
            regions.append((kind, open_[1], n))
            open_ = None
    if open_ is not None:
        raise GraderError(f"{where}, line {open_[1]}: 'BEGIN {open_[0]}' is never closed with 'END {open_[0]}'")
    return regions


def check_notebook(nb, name):
    """Checks the markers and the graded cells of nb (see the module's doc);
    returns the number of autograded test cells. Raises GraderError."""
    tests = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type not in ("code", "markdown"):
            continue
        where = f"{name}: {run_notebooks.cell_label(nb, i)}"
        regions = cell_regions(cell, where)
        if is_test_cell(cell):
            tests += 1
            if not any(kind == "HIDDEN TESTS" for kind, _, _ in regions):
                raise GraderError(f"{where}: an autograded test cell without '// BEGIN HIDDEN TESTS' ... '// END HIDDEN TESTS'")
            if not VISIBLE_CHECK_RE.search(visible_source(cell.source, regions)):
                raise GraderError(f"{where}: an autograded test cell without a visible nb.Checks (outside the hidden tests) for the student to run")
    if tests < 2:
        raise GraderError(f"{name}: {tests} autograded test cell(s); a graded notebook has at least two exercises, each with its test cell")
    check_isolation(nb, name)
    check_wiring(nb, name)
    return tests


# The walk-up wiring cell (notebooks/README.md rule 2): a loop that looks for
# the course's go.mod from ${GONB_DIR} upwards.
WALK_UP_RE = re.compile(r'while ! grep -qs [^;]*go\.mod"?; do')


def check_wiring(nb, name):
    """Checks that a wiring cell that finds the course from the notebook's
    folder (${GONB_DIR}) walks up to the course's go.mod: nbgrader executes
    a copy in build/nbgrader/autograded/STUDENT/NAME/, where a fixed
    "${GONB_DIR}/.." is not the course, and every cell of every submission,
    the teacher's included, would fail. Raises GraderError."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "GONB_DIR" in cell.source and not WALK_UP_RE.search(cell.source):
            raise GraderError(
                f"{name}: {run_notebooks.cell_label(nb, i)}: the wiring cell must look for the course's go.mod in the "
                "notebook's folder and the folders above it (the walk-up form of notebooks/README.md rule 2, as in "
                "00_Introduction): nbgrader runs a copy in build/nbgrader/autograded/STUDENT/NAME/, where a fixed "
                "${GONB_DIR}/.. is not the course and every cell would fail"
            )
        return


# Go comments and string and rune literals (a name inside them is no use).
GO_NOISE_RE = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|`[^`]*`|'(?:\\.|[^'\\\n])*'", re.S)
DECLARATION_RE = re.compile(r"^(?:func|type|var|const)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)", re.M)


def check_isolation(nb, name):
    """Checks that a student's mistake in one exercise costs only that
    exercise: each name a solution cell declares at the top level (func,
    type, var, const) is used by no code cell but the solution cell itself
    and the autograded test cell that follows it. (GoNB keeps a declaration
    only if its cell compiles, so a broken solution leaves every other cell
    alone, as long as no other cell needs it.) Raises GraderError naming the
    cells and the name."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for k, (i, cell) in enumerate(code):
        if not nbgrader_meta(cell).get("solution"):
            continue
        where = f"{name}: {run_notebooks.cell_label(nb, i)}"
        test = next((j for j, c in code[k + 1:] if is_test_cell(c) or nbgrader_meta(c).get("solution")), None)
        if test is None or not is_test_cell(nb.cells[test]):
            raise GraderError(f"{where}: a solution cell without an autograded test cell after it (before the next solution cell)")
        for declared in DECLARATION_RE.findall(cell.source):
            use = re.compile(r"\b" + re.escape(declared) + r"\b")
            for j, other in code:
                if j in (i, test):
                    continue
                code_only = GO_NOISE_RE.sub(" ", other.source)
                if use.search(code_only):
                    raise GraderError(
                        f"{name}: {run_notebooks.cell_label(nb, j)} uses {declared!r}, declared by the solution in "
                        f"{run_notebooks.cell_label(nb, i)}: only its test cell, {run_notebooks.cell_label(nb, test)}, "
                        "may use it, so that a student's mistake in one exercise costs only that exercise"
                    )


def visible_source(source, regions):
    """source without the lines of its regions, markers included."""
    hidden = {n for _, a, b in regions for n in range(a, b + 1)}
    return "\n".join(l for n, l in enumerate(source.split("\n"), 1) if n not in hidden)


def secret_lines(nb, name):
    """The lines a student must never see: every non-blank line inside a
    solution or hidden region that does not also appear outside all regions
    of the notebook (a lone `}` is no secret)."""
    inside, outside = set(), set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type not in ("code", "markdown"):
            continue
        regions = cell_regions(cell, f"{name}: {run_notebooks.cell_label(nb, i)}")
        lines = cell.source.split("\n")
        marked = {n for _, a, b in regions for n in range(a, b + 1)}
        for n, line in enumerate(lines, 1):
            s = line.strip()
            if s:
                (inside if n in marked else outside).add(s)
    return inside - outside


def release_leaks(source_nb, release_nb, name):
    """The secret lines of source_nb (secret_lines) found in release_nb, as
    messages naming the released cell."""
    secrets = secret_lines(source_nb, name)
    leaks = []
    for i, cell in enumerate(release_nb.cells):
        for n, line in enumerate(cell.source.split("\n"), 1):
            if line.strip() in secrets or marker_like(line):
                leaks.append(f"{name} (release): {run_notebooks.cell_label(release_nb, i)}, line {n}: {line.strip()!r}")
    return leaks


def venv_on_path():
    """nbgrader runs `alembic` (its database migrations) from PATH: put the
    venv's bin/ first."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_FILE, path=CONFIG_DIR).load_config()


def api():
    """nbgrader's Python API on the course directory of nbgrader_config.py."""
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    venv_on_path()
    config = load_config()
    with contextlib.suppress(OSError):  # else nbgrader says where it cannot write
        os.makedirs(config.Exchange.root, exist_ok=True)
    coursedir = CourseDirectory(config=config)
    coursedir.root = COURSE_DIR
    log = logging.getLogger("nbgrader")
    return NbGraderAPI(coursedir, config=config, log=log)


def assignment_name(path):
    return os.path.splitext(os.path.basename(path))[0]


@contextlib.contextmanager
def course_dir(path):
    """Makes path nbgrader's course directory (COURSE_DIR) while the block runs."""
    global COURSE_DIR
    saved, COURSE_DIR = COURSE_DIR, os.path.abspath(path)
    try:
        yield
    finally:
        COURSE_DIR = saved


def release_path(name):
    return os.path.join(COURSE_DIR, "release", name, name + ".ipynb")


def generate_assignments(paths, say=print):
    """Writes the release of every graded notebook of paths and returns
    [(notebook path, release path)]. Notebooks without nbgrader metadata are
    skipped. Raises GraderError before nbgrader runs if a notebook's markers
    are wrong, and after, if a release holds a line of a solution or of a
    hidden test."""
    graded = []
    for path in paths:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        if not is_graded(nb):
            say(f"assignments: {name}: no graded exercises (nbgrader metadata), skipped")
            continue
        check_notebook(nb, name)
        graded.append((path, nb))
    if not graded:
        return []
    grader = api()
    written = []
    for path, nb in graded:
        name = assignment_name(path)
        source_dir = os.path.join(COURSE_DIR, "source", name)
        release_dir = os.path.dirname(release_path(name))
        # The last release stays in place until nbgrader has written the new one.
        kept = [(d, d + ".previous") for d in (source_dir, release_dir) if os.path.isdir(d)]
        for d, old in kept:
            shutil.rmtree(old, ignore_errors=True)
            os.rename(d, old)
        os.makedirs(source_dir)
        shutil.copyfile(path, os.path.join(source_dir, name + ".ipynb"))
        result = grader.generate_assignment(name, force=True)
        if result["success"]:
            for _, old in kept:
                shutil.rmtree(old, ignore_errors=True)
        else:
            for d in (source_dir, release_dir):
                shutil.rmtree(d, ignore_errors=True)
            for d, old in kept:
                os.rename(old, d)
            said = f"{result.get('log')}\n{result.get('error')}"
            if "there are submissions" in said:
                raise GraderError(
                    f"{name}.ipynb: its cells changed since the release that students submitted and that was graded in "
                    f"{COURSE_DIR}; nbgrader keeps those grades and refuses to change the assignment. To release the "
                    f"new version, move {COURSE_DIR} aside (the grades stay in its gradebook.db) and run make "
                    f"assignments again.\n(nbgrader: {said.strip()[-300:]})"
                )
            raise GraderError(f"{name}.ipynb: nbgrader generate_assignment failed:\n{said}")
        release = release_path(name)
        leaks = release_leaks(nb, nbformat.read(release, as_version=4), os.path.basename(path))
        if leaks:
            os.remove(release)
            raise GraderError("the release shows what students must not see (removed):\n  " + "\n  ".join(leaks))
        say(f"assignments: {os.path.basename(path)} -> {os.path.relpath(release, ROOT)}")
        written.append((path, release))
    return written


def find_submissions(folder):
    """[(student, assignment, notebook path)] of a submissions folder: one
    subfolder per student, holding NAME.ipynb or NAME/NAME.ipynb. Raises
    GraderError on a student id nbgrader cannot take, on a notebook that is
    no released assignment or cannot be read, and on an empty folder, before
    anything is graded."""
    if not os.path.exists(folder):
        raise GraderError(f"submissions: {folder} does not exist (want a folder with one subfolder per student)")
    if not os.path.isdir(folder):
        raise GraderError(f"submissions: {folder} is not a folder (want one subfolder per student)")
    found = []
    for student in sorted(os.listdir(folder)):
        sdir = os.path.join(folder, student)
        if not os.path.isdir(sdir) or student.startswith("."):
            continue
        if not STUDENT_ID_RE.match(student):
            raise GraderError(f"submissions: {sdir}: a student folder's name may hold ASCII letters, digits, '_', '.' and '-' only")
        for dirpath, dirnames, filenames in os.walk(sdir):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for f in sorted(filenames):
                if not f.endswith(".ipynb"):
                    continue
                name = assignment_name(f)
                path = os.path.join(dirpath, f)
                if not os.path.isfile(release_path(name)):
                    raise GraderError(f"submissions: {path}: no released assignment {name} (run make assignments first)")
                if any(s == student and a == name for s, a, _ in found):
                    raise GraderError(f"submissions: {path}: a second {f} for student {student}")
                try:
                    nbformat.read(path, as_version=4)
                except Exception as e:  # JSON or nbformat errors
                    raise GraderError(f"submissions: {path}: not a readable notebook ({type(e).__name__}: {str(e)[:200]})") from e
                found.append((student, name, path))
    if not found:
        raise GraderError(f"submissions: no notebooks in {folder} (want STUDENT/NAME.ipynb)")
    return found


def autograde(folder, out, say=print):
    """Grades every submission of folder (find_submissions) and writes
    OUT/scores.csv, OUT/grades.csv and OUT/feedback/STUDENT/NAME.html.
    Returns the rows of scores.csv as dicts."""
    subs = find_submissions(folder)
    clear_output_folder(out)
    grader = api()
    submitted = os.path.join(COURSE_DIR, "submitted")
    # nbgrader collect fills the course's own submitted/ (with timestamps):
    # grade it where it is.
    if not (os.path.isdir(submitted) and os.path.samefile(folder, submitted)):
        for student, name, path in subs:
            target = os.path.join(submitted, student, name)
            shutil.rmtree(target, ignore_errors=True)
            os.makedirs(target)
            shutil.copyfile(path, os.path.join(target, name + ".ipynb"))
    os.makedirs(os.path.join(out, "feedback"))
    with open(os.path.join(out, OUT_STAMP), "w") as f:
        f.write("written by make autograde (nb/harness/grader.py); it replaces this folder on its next run\n")
    log = os.path.join(out, "autograde.log")
    rows, failed = [], []
    for student, name, path in subs:
        t = time.monotonic()
        with stderr_to(log):  # the kernels' and nbgrader's chatter
            result = grader.autograde(name, student, force=True, create=True)
        if result["success"]:
            with stderr_to(log):
                result = grader.generate_feedback(name, student, force=True)
        if not result["success"]:
            said = (result.get("log") or "") + (result.get("error") or "")
            failed.append(f"{path}: nbgrader could not grade it: {said.strip()[-400:]} (more in {log})")
            say(f"autograde: {student} {name}: NOT GRADED (see below)")
            continue
        feedback = os.path.join(COURSE_DIR, "feedback", student, name, name + ".html")
        os.makedirs(os.path.join(out, "feedback", student), exist_ok=True)
        shutil.copyfile(feedback, os.path.join(out, "feedback", student, name + ".html"))
        got = exercise_scores(grader, name, student)
        rows.extend(got)
        score, total = sum(r["score"] or 0 for r in got), sum(r["max_score"] for r in got)
        say(f"autograde: {student} {name}: {score:g} of {total:g} points ({time.monotonic() - t:.0f} s)")
    with open(os.path.join(out, "scores.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["student", "notebook", "exercise", "score", "max_score", "needs_manual_grade"])
        w.writeheader()
        w.writerows(rows)
    export_grades(os.path.abspath(os.path.join(out, "grades.csv")))
    say(f"autograde: scores in {os.path.join(out, 'scores.csv')} and {os.path.join(out, 'grades.csv')}, "
        f"feedback in {os.path.join(out, 'feedback')}/, the kernels' log in {log}")
    manual = sorted({f"{r['student']} {r['notebook']}" for r in rows if r["needs_manual_grade"]})
    if manual:
        say("autograde: a test cell is missing or was changed in (it scores 0 until graded by hand in the formgrader): " + ", ".join(manual))
    if failed:
        raise GraderError(f"{len(failed)} of {len(subs)} submission(s) not graded (the others are):\n  " + "\n  ".join(failed))
    return rows


OUT_STAMP = ".written-by-autograde"


def clear_output_folder(out):
    """Empties out for a new run of autograde, or creates it. A folder that
    holds files and was not written by autograde (no OUT_STAMP) is refused:
    GRADES=~/grades must never delete a teacher's files."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise GraderError(f"grades: {out} is a file, not a folder")
    if os.path.isdir(out) and os.listdir(out) and not os.path.exists(os.path.join(out, OUT_STAMP)):
        raise GraderError(f"grades: {out} holds files that make autograde did not write; give GRADES= an empty or new folder")
    shutil.rmtree(out, ignore_errors=True)


@contextlib.contextmanager
def stderr_to(path):
    """Sends this process's standard error, and that of the kernels it
    starts, to the file path (appended) while the block runs."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "a") as f:
        os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def exercise_scores(grader, name, student):
    """One row per autograded test cell of the student's notebook."""
    rows = []
    with grader.gradebook as gb:
        sub = gb.find_submission_notebook(name, name, student)
        for grade in sorted(sub.grades, key=lambda g: g.cell.name):
            if grade.cell.cell_type != "code":
                continue
            rows.append({
                "student": student,
                "notebook": name,
                "exercise": grade.cell.name,
                "score": grade.score,
                "max_score": grade.max_score,
                "needs_manual_grade": bool(grade.needs_manual_grade),
            })
    return rows


def export_grades(path):
    """nbgrader export: one row per student and assignment. Run in
    nb/grader/, where nbgrader finds the course's nbgrader_config.py."""
    import subprocess

    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "nbgrader"), "export",
         f"--CourseDirectory.root={COURSE_DIR}", f"--CsvExportPlugin.to={path}", "--log-level=WARN"],
        check=True, cwd=CONFIG_DIR,
    )


def teacher_scores(path, executed, table):
    """Scores the teacher's notebook path as `make test-notebooks` executed it
    into the folder executed, by nbgrader's rule for an autograded code cell
    (nbgrader.utils.determine_grade: 0 for an error or anything on stderr).
    Appends (notebook, exercise, points) to table for each test cell and
    returns the problems: a missing or stale executed copy, a test cell that
    does not score full marks (with its error)."""
    from nbgrader.utils import determine_grade

    name = assignment_name(path)
    source = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
    ran = os.path.join(executed, name + ".ipynb")
    if not os.path.isfile(ran):
        return [f"{ran}: missing; make test-notebooks executes the teacher's notebooks there"]
    nb = nbformat.read(ran, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if not is_test_cell(cell):
            continue
        label = f"{name}: {run_notebooks.cell_label(nb, i)}"
        if source.get(cell.id) != cell.source:
            problems.append(f"{label}: {ran} is older than the notebook (run make test-notebooks again)")
            continue
        score, points = determine_grade(cell)
        table.append((name, nbgrader_meta(cell)["grade_id"], points))
        if score != points:
            why = next((run_notebooks.error_text(o) if o.output_type == "error" else run_notebooks.strip_ansi(o.text)
                        for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"), "")
            problems.append(f"{label}: the teacher's solution scores {score:g} of {points:g}: {why.strip()[:300]}")
    if not any(t[0] == name for t in table):
        problems.append(f"{ran}: no autograded test cell")
    return problems


def verify(paths, executed, out, go_build_flags="", jobs=1, say=print, release_language=None):
    """The course's test of its graded exercises (make test-assignments):

    1. every notebook of paths has graded exercises (check_notebook) and
       releases without a leak (generate_assignments);
    2. the teacher's notebooks, as `make test-notebooks` executed them into
       the folder executed, score full marks on every test cell by
       nbgrader's own rule (teacher_scores);
    3. the release of every notebook, graded by nbgrader autograde as a
       student "release-stub", runs to the end without an error or a failed
       check outside the test cells and scores 0 on every exercise
       (release_runs).

    Step 3 runs in jobs processes at once, each on a share of the notebooks
    in a course directory of its own under out (nbgrader's gradebook is one
    SQLite file per course). go_build_flags go to every `go build` of the
    autograde's kernels (through GOFLAGS).

    With release_language (an edition's language, editions.py), step 3
    runs the release of that edition instead of the English one, written
    under out from paths and their translations: the editions' code cells
    are the same but for the language the wiring cell sets
    (test_editions.py), so this one run tests the releases of both and runs
    every notebook of the edition top to bottom. The English release is
    still made and checked for leaks (step 1).

    Returns [(notebook, exercise, points)] of the course; raises
    GraderError listing every problem found."""
    require_graded(paths)
    problems, table = [], []
    for path in paths:
        problems.extend(teacher_scores(path, executed, table))
    out = os.path.abspath(out)
    if release_language:
        import editions

        with course_dir(os.path.join(out, "course-en")):
            generate_assignments(paths, say=lambda *a, **k: None)
        try:
            written = editions.write_to(os.path.join(out, "editions", release_language), release_language, paths)
        except editions.TranslationError as e:
            raise GraderError(str(e)) from None
        paths = [p for p, _ in written]
    groups = share(paths, jobs)
    args = [(os.path.join(out, f"course-{k}"), group, os.path.join(out, f"check-{k}"), go_build_flags) for k, group in enumerate(groups)]
    if len(groups) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=len(groups)) as pool:
            runs = list(pool.map(release_runs, *zip(*args)))
    else:
        runs = [release_runs(*a) for a in args]
    for got in runs:
        problems.extend(got)
    if problems:
        raise GraderError("\n  ".join(problems))
    return table


def require_graded(paths):
    """Raises GraderError naming every notebook of paths without graded
    exercises: every notebook of the course has them."""
    missing = [os.path.basename(p) for p in paths if not is_graded(nbformat.read(p, as_version=4))]
    if missing:
        raise GraderError(f"no graded exercises (nbgrader metadata) in {', '.join(missing)}; every notebook of the course has at least two")


def share(paths, jobs):
    """paths in at most jobs groups of about equal work (code cells),
    each in the order given."""
    cells = {p: sum(c.cell_type == "code" for c in nbformat.read(p, as_version=4).cells) for p in paths}
    groups = [[] for _ in range(max(1, min(jobs, len(paths))))]
    for p in sorted(paths, key=lambda p: -cells[p]):
        min(groups, key=lambda g: sum(cells[q] for q in g)).append(p)
    order = {p: i for i, p in enumerate(paths)}
    return [sorted(g, key=order.get) for g in groups if g]


def release_runs(course, paths, out, go_build_flags="", say=print):
    """Releases paths in the nbgrader course directory course, autogrades
    each release unchanged as the student "release-stub" (scores and
    feedback in out) and returns the problems: an exercise that scores
    more than 0, a cell outside the tests that fails or never runs."""
    stub = "release-stub"
    shutil.rmtree(course, ignore_errors=True)
    folder = os.path.join(out, "submissions")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, stub))
    saved = os.environ.get("GOFLAGS")
    if go_build_flags:
        os.environ["GOFLAGS"] = f"{saved} {go_build_flags}".strip() if saved else go_build_flags
    try:
        with course_dir(course):
            written = generate_assignments(paths, say=say)
            for _, release in written:
                shutil.copyfile(release, os.path.join(folder, stub, os.path.basename(release)))
            rows = autograde(folder, os.path.join(out, "grades"), say=say)
    finally:
        if saved is None:
            os.environ.pop("GOFLAGS", None)
        else:
            os.environ["GOFLAGS"] = saved
    problems = []
    for r in rows:
        if r["score"] != 0:
            problems.append(f"{r['notebook']}: {r['exercise']}: the stub scores {r['score']:g} of {r['max_score']:g} (a test that passes without an answer)")
    for path, _ in written:
        name = assignment_name(path)
        nb = nbformat.read(os.path.join(course, "autograded", stub, name, name + ".ipynb"), as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or is_test_cell(cell):
                continue
            label = f"{name} (release): {run_notebooks.cell_label(nb, i)}"
            if cell.execution_count is None:
                problems.append(f"{label}: never ran (the release must run to the end)")
            for o in cell.outputs:
                if o.output_type == "error":
                    problems.append(f"{label}: {o.ename}: {o.evalue}"[:400])
                shown = o.get("data", {}).get("text/html", "")
                for m in run_notebooks.CHECKS_RE.finditer("".join(shown) if isinstance(shown, list) else shown):
                    if m.group(2) != "0":
                        problems.append(f"{label}: {m.group(2)} check(s) failed")
    return problems


TABLE_BEGIN = "<!-- exercises:begin (generated by make assignments from the notebooks; do not edit) -->"
TABLE_END = "<!-- exercises:end -->"
README = os.path.join(ROOT, "README.md")


def exercises(paths):
    """[(notebook, exercise title, function, points)] of the graded
    exercises of paths, in order: the title is the first heading of the
    exercise's markdown cell (exN-md), the function the name a solution
    cell declares, the points those of the test cell after it."""
    out = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        title, func = "", ""
        for cell in nb.cells:
            m = nbgrader_meta(cell)
            if cell.cell_type == "markdown" and m.get("locked"):
                h = re.search(r"^#+\s*(Exercise .*)$", cell.source, re.M)
                if h:
                    title = h.group(1).strip()
            elif m.get("solution") and cell.cell_type == "code":
                names = DECLARATION_RE.findall(cell.source)
                func = names[0] if names else ""
            elif is_test_cell(cell):
                out.append((assignment_name(path), title, func, float(m.get("points", 0))))
                title, func = "", ""
    return out


def exercise_table(paths):
    """The README's table of graded exercises, between its markers."""
    rows = exercises(paths)
    lines = [TABLE_BEGIN, "| notebook | exercise | function | points |", "|---|---|---|---|"]
    for name, title, func, points in rows:
        title = title.replace("|", "\\|")
        lines.append(f"| `{name}` | {title} | `{func}` | {points:g} |")
    per = collections.Counter(r[0] for r in rows)
    lines.append(f"| **{len(per)} notebooks** | **{len(rows)} exercises** | | **{sum(r[3] for r in rows):g}** |")
    lines.append(TABLE_END)
    return "\n".join(lines)


def update_readme(paths, readme=README):
    """Writes exercise_table(paths) between the markers of readme; returns
    whether it changed. Raises GraderError when the markers are missing."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    a, b = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if a < 0 or b < a:
        raise GraderError(f"{readme}: no '{TABLE_BEGIN}' ... '{TABLE_END}' for the table of graded exercises")
    new = text[:a] + exercise_table(paths) + text[b + len(TABLE_END):]
    if new != text:
        with open(readme, "w", encoding="utf-8") as f:
            f.write(new)
    return new != text


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assignments", help="write the student release of every graded notebook")
    a.add_argument("notebooks", nargs="+")
    g = sub.add_parser("autograde", help="grade a folder of submissions (one subfolder per student)")
    g.add_argument("submissions")
    g.add_argument("--out", default=os.path.join(ROOT, "build", "grades"))
    g.add_argument("--quick", action="store_true", help="run the notebooks in quick mode (COURSE_QUICK=1)")
    v = sub.add_parser("verify", help="the test of the graded exercises: teacher full marks, release stubs 0 (make test-assignments)")
    v.add_argument("notebooks", nargs="+")
    v.add_argument("--executed", default=os.path.join(ROOT, "build", "executed"), help="the teacher's notebooks as make test-notebooks executed them")
    v.add_argument("--out", default=os.path.join(ROOT, "build", "assignments-check"))
    v.add_argument("--go-build-flags", default="", help="flags for every go build of the kernels (GOFLAGS), e.g. -ldflags=-s")
    v.add_argument("--jobs", type=int, default=1, help="notebooks autograded at once, in processes of their own (default 1)")
    v.add_argument("--release-language", default="", help="run the release of this edition (e.g. es) in place of the English one (see verify)")
    args = p.parse_args(argv)
    t = time.monotonic()
    try:
        if args.command == "assignments":
            written = generate_assignments(args.notebooks)
            if sorted(map(os.path.abspath, args.notebooks)) == sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb"))):
                if update_readme(args.notebooks):
                    print("assignments: README.md's table of graded exercises updated", flush=True)
            print(f"assignments: {len(written)} released in {time.monotonic() - t:.1f} s", flush=True)
        elif args.command == "verify":
            if args.jobs < 1:
                raise GraderError(f"--jobs {args.jobs}: want at least 1")
            # Course directories of its own (under --out): the teacher's gradebook never sees the test's student.
            with run_notebooks.course_env(True):
                table = verify(args.notebooks, args.executed, args.out, args.go_build_flags, args.jobs,
                               release_language=args.release_language or None)
            print("verify: graded exercises (notebook, exercise, points):")
            for name, exercise, points in table:
                print(f"  {name:40s} {exercise:24s} {points:g}")
            print(f"verify: {len(table)} exercises in {len({t[0] for t in table})} notebooks, {sum(t[2] for t in table):g} points: "
                  f"the teacher's solutions score full marks, the release's stubs 0 ({time.monotonic() - t:.0f} s)", flush=True)
        else:
            with run_notebooks.course_env(args.quick):
                autograde(args.submissions, args.out)
            print(f"autograde: done in {time.monotonic() - t:.0f} s", flush=True)
    except GraderError as e:
        print(f"grader: ERROR: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
