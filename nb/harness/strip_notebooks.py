#!/usr/bin/env python3
"""Remove outputs from notebooks before they are committed (make strip).

The rules are nbstripout's, the git filter that make setup installs
(docker/git_filter.sh), so that make strip and git agree: for every code
cell, outputs and the execution count are removed, and so is the metadata
that JupyterLab and nbclient record while a notebook is used (the timing
"execution", "collapsed", "scrolled", ...; nbstripout's default keys).
Cell ids, tags, nbgrader's metadata and the slide types are kept. A
notebook is also rewritten in nbformat's layout (sorted keys) when it is
not in it yet, so that git's filter, which writes that layout, sees no
change; files that are already clean and in that layout are not
rewritten.

    .venv/bin/python nb/harness/strip_notebooks.py notebooks/*.ipynb
"""

import copy
import os
import subprocess
import sys

import nbformat
from nbstripout import strip_output

# The metadata nbstripout's command line (the git filter) removes besides
# outputs and counts (nbstripout 0.9.1, _nbstripout.main).
EXTRA_KEYS = [
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
]


def strip(nb):
    """Strips nb in place and reports whether anything changed."""
    before = copy.deepcopy(nb)
    strip_output(nb, keep_output=False, keep_count=False, keep_id=True, extra_keys=EXTRA_KEYS)
    return nb != before


def git_strips(path):
    """Reports whether git keeps the outputs of the notebook at path out of
    commits: its checkout has nbstripout as the notebook's clean filter
    (docker/git_filter.sh, make setup). Outputs in such a notebook are the
    student's own, on disk only."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        attr = subprocess.run(["git", "check-attr", "filter", "--", os.path.abspath(path)],
                              cwd=folder, capture_output=True, text=True, timeout=30)
        clean = subprocess.run(["git", "config", "--get", "filter.nbstripout.clean"],
                               cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return (attr.returncode == 0 and attr.stdout.strip().endswith(": filter: nbstripout")
            and clean.returncode == 0 and "nbstripout" in clean.stdout)


def rewrite_notebooks(prog, paths, change, message):
    """Applies change to each notebook of paths, in place, and writes back
    those where it returns something true, printing message(path, result);
    the exit status of a command prog (2 and its usage without paths)."""
    if not paths:
        print(f"usage: {prog} NOTEBOOK...", file=sys.stderr)
        return 2
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        result = change(nb)
        if result:
            nbformat.write(nb, path)
            print(message(path, result))
    return 0


def main(paths):
    status = rewrite_notebooks("strip_notebooks.py", paths, strip, lambda path, _: f"stripped {path}")
    for path in paths if status == 0 else []:
        normalize(path)
    return status


def normalize(path):
    """Rewrites the notebook at path as nbformat writes it (sorted keys, a
    line per list item), which is what the git filter writes to git:
    otherwise the first save in JupyterLab shows key moves in `git diff`.
    Reports whether it rewrote the file."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    nb = nbformat.reads(raw, as_version=4)
    canonical = nbformat.writes(nb) + "\n"
    if canonical == raw:
        return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(canonical)
    print(f"normalized {path} (key order and layout as git's filter writes it)")
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
