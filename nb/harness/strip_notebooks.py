#!/usr/bin/env python3
"""Remove outputs from notebooks before they are committed (make strip).

The rules are nbstripout's, the git filter that make setup installs
(docker/git_filter.sh), so that make strip and git agree: for every code
cell, outputs and the execution count are removed, and so is the metadata
that JupyterLab and nbclient record while a notebook is used (the timing
"execution", "collapsed", "scrolled", ...; nbstripout's default keys).
Cell ids, tags, nbgrader's metadata and the slide types are kept. Files
that are already clean are not rewritten.

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
    return rewrite_notebooks("strip_notebooks.py", paths, strip, lambda path, _: f"stripped {path}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
