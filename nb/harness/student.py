#!/usr/bin/env python3
"""The student edition of the course: every solution replaced by a stub.

A solution sits in a code cell between two marker lines (nbgrader's
convention, written as Go comments):

    %%
    // BEGIN SOLUTION
    ...the teacher's code...
    // BEGIN STUB
    // ...what the student gets instead, commented out here...
    // END STUB
    // END SOLUTION

In the student edition the lines from `// BEGIN SOLUTION` to
`// END SOLUTION` are replaced by the stub, uncommented (the leading `//`
and one space removed from each line), or by `// YOUR CODE HERE` when the
region has no stub. A written answer in a markdown cell sits between the
lines `<!-- BEGIN SOLUTION -->` and `<!-- END SOLUTION -->` (invisible when
rendered) and becomes `*Your answer here.*`. The stub must still compile: the student edition is
executed by `make test` (make test-student). A cell may hold several
regions; a region holds at most one stub. Everything else is kept as it is,
cell ids included; outputs are removed, and a changed cell loses its `plot`
tag (a stub draws nothing).

    .venv/bin/python nb/harness/student.py --out build/student notebooks/*.ipynb
    .venv/bin/python nb/harness/student.py --run --out build/student notebooks/*.ipynb

A notebook whose cells carry nbgrader metadata (graded exercises) gets
nbgrader's release instead (grader.py, make assignments), copied unchanged,
and --run leaves it to test_grader.py. In every other notebook, a line that
spells a marker without being exactly one (`// BEGIN SOLUTION (exercise 2)`,
`// begin solution`, `/* BEGIN SOLUTION */`) is an error, never shipped.

--run also executes the student edition in quick mode with the notebook
harness (run_notebooks.py), with the kernel in the folder of the original
notebooks, so that the wiring cell finds the course module.
"""

import argparse
import os
import re
import shutil
import sys

import nbformat

import grader
import run_notebooks
import strip_notebooks

BEGIN_SOLUTION = "BEGIN SOLUTION"
END_SOLUTION = "END SOLUTION"
BEGIN_STUB = "BEGIN STUB"
END_STUB = "END STUB"
DEFAULT_STUB = "// YOUR CODE HERE"
DEFAULT_ANSWER = "*Your answer here.*"
MARKER_RE = re.compile(r"^(\s*)//\s*(BEGIN SOLUTION|END SOLUTION|BEGIN STUB|END STUB)\s*$")
MARKDOWN_MARKER_RE = re.compile(r"^(\s*)<!--\s*(BEGIN SOLUTION|END SOLUTION)\s*-->\s*$")
COMMENT_RE = re.compile(r"^(\s*)//(?: ?)(.*)$")


class MarkerError(ValueError):
    """A solution or stub marker out of place; the message names the
    notebook, the cell and the line."""


def student_source(source, where="cell", markdown=False):
    """The student version of one cell's source, and whether it changed.

    where names the cell in error messages; markdown selects the markers of
    markdown cells, whose answers have no stub."""
    marker_re = MARKDOWN_MARKER_RE if markdown else MARKER_RE
    default = DEFAULT_ANSWER if markdown else DEFAULT_STUB
    begin, end = ("<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->") if markdown else (f"// {BEGIN_SOLUTION}", f"// {END_SOLUTION}")
    lines = source.split("\n")
    out = []
    region = None  # None, or the line number of the open BEGIN SOLUTION
    stub = None  # None, or the lines of the stub being collected
    stub_lines = None  # the finished stub of the open region
    indent = ""
    changed = False
    for n, line in enumerate(lines, 1):
        m = marker_re.match(line)
        marker = m.group(2) if m else None
        if m is None and grader.marker_like(line):
            raise MarkerError(
                f"{where}, line {n}: {line.strip()!r} looks like a marker but is not one: "
                f"write {begin!r}, {end!r}{'' if markdown else ', // BEGIN STUB or // END STUB'} alone on its line"
            )
        if marker == BEGIN_SOLUTION:
            if region is not None:
                raise MarkerError(f"{where}, line {n}: '{begin}' inside the solution opened at line {region}")
            region, indent, stub_lines, changed = n, m.group(1), None, True
        elif marker == END_SOLUTION:
            if region is None:
                raise MarkerError(f"{where}, line {n}: '{end}' without '{begin}'")
            if stub is not None:
                raise MarkerError(f"{where}, line {n}: '{end}' inside a stub: close it with '// {END_STUB}'")
            if stub_lines is None:
                out.append(indent + default)
            else:
                out.extend(stub_lines)
            region = None
        elif marker == BEGIN_STUB:
            if region is None:
                raise MarkerError(f"{where}, line {n}: '// {BEGIN_STUB}' outside a solution")
            if stub is not None or stub_lines is not None:
                raise MarkerError(f"{where}, line {n}: a second '// {BEGIN_STUB}' in the solution opened at line {region}")
            stub = []
        elif marker == END_STUB:
            if stub is None:
                raise MarkerError(f"{where}, line {n}: '// {END_STUB}' without '// {BEGIN_STUB}'")
            stub_lines, stub = stub, None
        elif stub is not None:
            if not line.strip():
                stub.append("")
                continue
            c = COMMENT_RE.match(line)
            if not c:
                raise MarkerError(
                    f"{where}, line {n}: a stub line must be commented out with '//' (it is code the teacher's edition must not run): {line.strip()!r}"
                )
            stub.append((c.group(1) + c.group(2)).rstrip())
        elif region is None:
            out.append(line)
    if stub is not None:
        raise MarkerError(f"{where}: '// {BEGIN_STUB}' is never closed with '// {END_STUB}'")
    if region is not None:
        raise MarkerError(f"{where}, line {region}: '{begin}' is never closed with '{end}'")
    return "\n".join(out), changed


def solution_cells(nb):
    """Indices of the code cells that hold a solution region."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and any(MARKER_RE.match(l) and BEGIN_SOLUTION in l for l in c.source.split("\n"))
    ]


def student_edition(nb, name="notebook"):
    """A student edition of nb (nb itself is not changed): solutions replaced
    by stubs, outputs removed. Raises MarkerError naming name and the cell."""
    nb = nbformat.from_dict(nb)  # a deep copy
    for i, cell in enumerate(nb.cells):
        if cell.cell_type not in ("code", "markdown"):
            continue
        where = f"{name}: {run_notebooks.cell_label(nb, i)}"
        source, changed = student_source(cell.source, where, markdown=cell.cell_type == "markdown")
        if changed:
            cell.source = source
            tags = [t for t in cell.metadata.get("tags", []) if t != "plot"]
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
    strip_notebooks.strip(nb)
    nb.metadata.setdefault("course", {})["edition"] = "student"
    return nb


def write_student_edition(paths, out_dir):
    """Writes the student edition of every notebook in paths to out_dir and
    returns the written paths. A notebook with nbgrader metadata gets
    nbgrader's release (grader.py: make assignments), copied unchanged; the
    others get the edition of this script. A notebook without any solution is
    an error: every notebook of the course ends with at least one."""
    os.makedirs(out_dir, exist_ok=True)
    written = []
    graded = [p for p in paths if grader.is_graded(nbformat.read(p, as_version=4))]
    try:
        for path, release in grader.generate_assignments(graded, say=lambda *a, **k: None):
            target = os.path.join(out_dir, os.path.basename(path))
            shutil.copyfile(release, target)
            written.append(target)
    except grader.GraderError as e:
        raise MarkerError(str(e)) from e
    for path in paths:
        if path in graded:
            continue
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        if not solution_cells(nb):
            raise MarkerError(f"{name}: no solution ('// {BEGIN_SOLUTION}' ... '// {END_SOLUTION}') after the exercises")
        student = student_edition(nb, name)
        target = os.path.join(out_dir, name)
        nbformat.write(student, target)
        written.append(target)
    return written


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+", help="the course's notebooks")
    p.add_argument("--out", default="build/student", help="where to write the student edition (default build/student)")
    p.add_argument("--run", action="store_true", help="then execute it in quick mode with the notebook harness")
    p.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell with --run (default 300)")
    p.add_argument("--log-dir", default="build/test-logs/student", help="kernel logs with --run")
    p.add_argument("--go-build-flags", default="", help="with --run: flags for GoNB's go build (run_notebooks.py)")
    args = p.parse_args(argv)

    try:
        written = write_student_edition(args.notebooks, args.out)
    except MarkerError as e:
        print(f"student edition: ERROR: {e}", file=sys.stderr)
        return 1
    print(f"student edition: {len(written)} notebook(s) written to {args.out}", flush=True)
    if not args.run:
        return 0

    # The wiring cell finds the course module in the folder above the
    # kernel's working folder: run each student notebook where its original is.
    # A graded notebook's release (nbgrader) stops in its test cells, which
    # call the stubs: test_grader.py runs it through nbgrader's autograder.
    runs = [(o, os.path.join(args.out, os.path.basename(o))) for o in args.notebooks]
    graded = [w for o, w in runs if grader.is_graded(nbformat.read(o, as_version=4))]
    for w in graded:
        print(f"student: {w}: nbgrader release, executed by nb/harness/test_grader.py, not here", flush=True)
    runs = [(o, w) for o, w in runs if w not in graded]
    written = [w for _, w in runs]
    run_args = run_notebooks.parse_args(["--quick", "--timeout", str(args.timeout), "--log-dir", args.log_dir, f"--go-build-flags={args.go_build_flags}", *written])
    failed = 0
    with run_notebooks.course_env(quick=True):
        print(f"Running the student edition of {len(written)} notebook(s) in quick mode", flush=True)
        for original, path in runs:
            cwd = os.path.dirname(os.path.abspath(original))
            r = run_notebooks.run_notebook(path, run_args, cwd=cwd)
            print(run_notebooks.summary_line(r), flush=True)
            for e in r.errors:
                print(f"  {path}: {e}", flush=True)
            failed += not r.ok
    print(f"student: {len(written) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
