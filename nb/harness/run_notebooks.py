#!/usr/bin/env python3
"""Execute the course notebooks headlessly through the GoNB kernel and check them.

Used by `make test` (see the Makefile); run it from the repository's .venv:

    .venv/bin/python nb/harness/run_notebooks.py --quick notebooks/*.ipynb

For every notebook, in order:

1. It must be stored without outputs: no cell may carry outputs or an
   execution count (clear them with `make strip`). It must follow the
   course's conventions (notebooks/README.md): the GoNB kernel, the wiring
   cell as the first code cell, and a Summary and Exercises at the end.
2. Every code cell runs in a fresh GoNB kernel, top to bottom, with a
   per-cell timeout. A cell fails on an error (compile error, panic, non-zero
   exit, timeout) or on output to stderr, unless it carries the standard
   Jupyter tag `raises-exception`.
3. A plot cell must produce an image. A cell is a plot cell if it carries the
   tag `plot`, or if it runs code (`%%` or `func main`) that calls
   nb.Plot / nb.PlotSize / nb.PlotRow / nb.Panels directly.
4. Derivation-check tables (shown by nb.Checks) are counted; a table with a
   failed check fails the notebook even if the cell did not.

Failures name the notebook, the cell (its position among all cells, as
JupyterLab shows them top to bottom, and its first line) and the error.
A summary line per notebook gives cells, seconds, images and checks; the last
line is "notebooks: N passed, M failed". The exit status is 0 only if every
notebook passed.

With --quick the kernel runs with COURSE_QUICK=1, in which notebooks shrink
data and epochs (nb.Quick, nb.Pick).
"""

import argparse
import concurrent.futures
import contextlib
import itertools
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import unescape

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

import strip_notebooks
import wording

QUICK_ENV = "COURSE_QUICK"
CACHE_ENV = "NB_CACHE_DIR"
CHECKS_RE = re.compile(r'data-nb-checks="passed=(\d+) failed=(\d+) expected=(\d+)"')
RUNS_RE = re.compile(r"^\s*(%%|func\s+main\s*\(\s*\))", re.MULTILINE)
PLOT_CALL_RE = re.compile(r"\bnb\.(Plot|PlotSize|PlotRow|Panels)\(")
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
MODULE = "github.com/redesneuronales/course"
HEADING_RE = r"^#+\s*{}\b"
GONB_ERROR_MARK = 'data-mime-type="application/vnd.jupyter.stderr"'



@dataclass
class Result:
    path: str
    cells: int = 0
    seconds: float = 0.0
    images: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    checks_expected: int = 0
    errors: list = field(default_factory=list)
    notebook: object = None  # the executed notebook (nbformat), outputs included

    @property
    def ok(self):
        return not self.errors


def cell_label(nb, index):
    """Names a cell for a human: its position and its first non-empty line."""
    cell = nb.cells[index]
    lines = [l.strip() for l in cell.source.splitlines()]
    first = next((l for l in lines if l and l != "%%"), "(empty)")
    if len(first) > 70:
        first = first[:67] + "..."
    if cell.cell_type != "code":
        return f"cell {index + 1} ({cell.cell_type} cell: {first!r})"
    code_pos = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return f"cell {index + 1} (code cell {code_pos}: {first!r})"


def error_text(out):
    """The readable text of an error output, for messages."""
    tb = "\n".join(out.get("traceback", []))
    return strip_ansi(tb or f"{out.ename}: {out.evalue}")


def html_text(html):
    """The text of an HTML fragment: styles and tags removed, blank lines dropped."""
    html = re.sub(r"<style.*?</style>", "", html, flags=re.DOTALL)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return "\n".join(l.rstrip() for l in text.splitlines() if l.strip())


def strip_ansi(s):
    return re.sub(r"\x1b\[[0-9;]*m", "", s)


def stored_output_cells(nb):
    """Indices of code cells stored with outputs or an execution count."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]


# $GONB_DIR or ${GONB_DIR} not right after a double quote: a path with a space
# would split into several shell words.
UNQUOTED_GONB_DIR_RE = re.compile(r'(?<!")\$\{?GONB_DIR\b')


def convention_errors(nb):
    """The ways nb departs from the conventions of notebooks/README.md."""
    errors = []
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "gonb":
        errors.append(f"kernelspec is {kernel!r}, want 'gonb'")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or not (
        f"go mod edit -require={MODULE}@" in code[0].source and f"-replace={MODULE}=" in code[0].source
    ):
        errors.append("the first code cell must wire the notebook to the course module (see notebooks/README.md)")
    elif UNQUOTED_GONB_DIR_RE.search(code[0].source):
        errors.append(
            "the wiring cell uses ${GONB_DIR} outside double quotes, so it fails in a folder whose name has"
            ' a space: write "${GONB_DIR}/.." (see notebooks/README.md)'
        )
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    lang = wording.language_of(nb)  # an edition's headings are in its language
    for key in ("summary_heading", "exercises_heading"):
        heading = wording.text(lang, key)
        if not re.search(HEADING_RE.format(re.escape(heading)), markdown, re.MULTILINE):
            errors.append(f"no '{heading}' heading: every notebook ends with a Summary and Exercises")
    return errors


def is_plot_cell(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    if "plot" in tags:
        return True
    return bool(RUNS_RE.search(cell.source)) and bool(PLOT_CALL_RE.search(cell.source))


def check_outputs(nb, index, result):
    """Inspects the outputs of an executed cell and records what it finds."""
    cell = nb.cells[index]
    tags = cell.get("metadata", {}).get("tags", [])
    allowed = "raises-exception" in tags
    images = 0
    problems = []
    for out in cell.get("outputs", []):
        if out.output_type in ("display_data", "execute_result", "update_display_data"):
            data = out.get("data", {})
            images += sum(1 for t in IMAGE_TYPES if t in data)
            html = data.get("text/html", "")
            html = html if isinstance(html, str) else "".join(html)
            if GONB_ERROR_MARK in html and not allowed:
                # GoNB shows compile errors as HTML, with the cell and line.
                problems.append(html_text(html))
            for m in CHECKS_RE.finditer(html):
                passed, failed, expected = map(int, m.groups())
                result.checks_passed += passed
                result.checks_failed += failed
                result.checks_expected += expected
                if failed:
                    problems.append(f"{failed} derivation check(s) failed (see the table in the cell)")
        elif out.output_type == "stream" and out.name == "stderr" and not allowed:
            problems.append("stderr: " + out.text.rstrip())
        elif out.output_type == "error" and not allowed:
            problems.append("error: " + error_text(out).rstrip())
    result.images += images
    if is_plot_cell(cell) and images == 0:
        problems.append("this plot cell produced no image")
    if problems:
        result.errors.append(f"{cell_label(nb, index)} failed:\n" + indent("\n".join(problems)))


def indent(text, limit=40):
    lines = strip_ansi(text).rstrip().splitlines()
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join("    " + l for l in lines)


def run_notebook(path, args, nb=None, cwd=None):
    """Checks and executes one notebook and returns its Result; the executed
    notebook is in Result.notebook. nb, if given, is run instead of the file
    at path (which then only names it); cwd is the kernel's working folder
    (GONB_DIR), by default the notebook's own folder."""
    result = Result(path=path)
    if nb is None:
        nb = nbformat.read(path, as_version=4)
    result.notebook = nb
    result.cells = len(nb.cells)

    stored = stored_output_cells(nb)
    if stored and strip_notebooks.git_strips(path):
        # Outputs JupyterLab saved, which git's filter keeps out of commits.
        strip_notebooks.strip(nb)
        stored = []
    if stored:
        cells = ", ".join(str(i + 1) for i in stored)
        result.errors.append(
            f"stored with outputs in cell(s) {cells}: notebooks are kept in git without outputs; run `make strip`"
        )
        return result

    for e in convention_errors(nb):
        result.errors.append(e)
    if result.errors:
        return result

    log_path = None
    log = None
    if args.log_dir:
        os.makedirs(args.log_dir, exist_ok=True)
        log_path = os.path.join(args.log_dir, os.path.basename(path) + ".kernel.log")
        log = open(log_path, "w")

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        resources={"metadata": {"path": cwd or os.path.dirname(os.path.abspath(path))}},
    )
    start = time.time()
    try:
        with client.setup_kernel(**({"stderr": log} if log else {})):
            if getattr(args, "go_build_flags", ""):
                # A cell of the harness's own, appended while it runs (nbclient
                # finds a cell's outputs by its index) and then removed.
                nb.cells.append(nbformat.v4.new_code_cell(f"%goflags {args.go_build_flags}"))
                try:
                    client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
                finally:
                    nb.cells.pop()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    result.errors.append(f"{cell_label(nb, index)} timed out after {args.timeout} s")
                    break
                except CellExecutionError:
                    # The error output is in the cell; check_outputs reports it.
                    check_outputs(nb, index, result)
                    if result.ok:  # an error without an error output
                        result.errors.append(f"{cell_label(nb, index)} failed")
                    break
                except DeadKernelError as e:
                    result.errors.append(f"{cell_label(nb, index)}: the kernel died ({e})")
                    break
                check_outputs(nb, index, result)
                if not result.ok:
                    break
    except Exception as e:  # kernel did not start, and the like
        result.errors.append(f"could not run the notebook: {type(e).__name__}: {e}")
    finally:
        result.seconds = time.time() - start
        if log:
            log.close()
    if not result.ok and log_path:
        result.errors.append(f"kernel log: {log_path}")
    if args.output_dir:
        os.makedirs(args.output_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(args.output_dir, os.path.basename(path)))
    return result


def summary_line(r):
    checks = f"checks {r.checks_passed} passed"
    if r.checks_expected:
        checks += f" (+{r.checks_expected} expected failures)"
    if r.checks_failed:
        checks += f", {r.checks_failed} FAILED"
    status = "PASS" if r.ok else "FAIL"
    return f"{status}  {os.path.basename(r.path)}: {r.cells} cells, {r.seconds:.1f} s, {r.images} images, {checks}"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+", help="notebooks to run, in order")
    p.add_argument("--quick", action="store_true", help=f"run in quick mode ({QUICK_ENV}=1)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    p.add_argument("--kernel", default="gonb", help="Jupyter kernel name (default gonb)")
    p.add_argument("--log-dir", default="build/test-logs", help="where to keep each kernel's log ('' for none)")
    p.add_argument("--output-dir", default="", help="also write the executed notebooks here")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="notebooks run at once, each with its own kernel in a process of its own (default 1); "
        "the results are printed in the order given",
    )
    p.add_argument(
        "--go-build-flags",
        default="",
        help="flags for GoNB's `go build` of every cell, set with %%goflags before the first cell "
        "(make test uses -ldflags=-s: no symbol table or DWARF, about 20%% less time per cell); "
        "the notebook itself is not changed",
    )
    return p.parse_args(argv)


@contextlib.contextmanager
def course_env(quick, model_cache=None):
    """Sets the kernel's environment for a run: COURSE_QUICK=1 in quick mode
    (otherwise it is left as it is), and the model cache (NB_CACHE_DIR):
    the folder model_cache if given (make export keeps one between exports),
    otherwise a fresh, empty one, removed at the end.

    Without model_cache every run trains from scratch, and later cells of a
    notebook reuse the networks trained by earlier ones, as they do in
    JupyterLab."""
    saved = {k: os.environ.get(k) for k in (QUICK_ENV, CACHE_ENV)}
    if quick:
        os.environ[QUICK_ENV] = "1"
    cache_dir = model_cache or tempfile.mkdtemp(prefix="nb-cache-")
    os.environ[CACHE_ENV] = cache_dir
    try:
        yield
    finally:
        if not model_cache:
            shutil.rmtree(cache_dir, ignore_errors=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main(argv=None):
    args = parse_args(argv)
    with course_env(args.quick):
        return run_all(args)


def run_all(args):
    if args.jobs < 1:
        print(f"run_notebooks: --jobs {args.jobs}: want at least 1", file=sys.stderr)
        return 2
    missing = [n for n in args.notebooks if not os.path.isfile(n)]
    if missing:
        print(f"run_notebooks: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2

    mode = "quick" if args.quick else "full"
    print(f"Running {len(args.notebooks)} notebook(s) in {mode} mode, {args.timeout} s per cell at most", flush=True)
    results = []
    with contextlib.ExitStack() as stack:
        if args.jobs > 1 and len(args.notebooks) > 1:
            # A GoNB cell's compile and link use about one core, so two
            # notebooks at once keep two cores busy.
            pool = stack.enter_context(concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs))
            runs = pool.map(run_notebook, args.notebooks, itertools.repeat(args))
        else:
            runs = (run_notebook(path, args) for path in args.notebooks)
        for r in runs:
            results.append(r)
            print(summary_line(r), flush=True)
            for e in r.errors:
                print(f"  {r.path}: {e}", flush=True)
    failed = sum(1 for r in results if not r.ok)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
