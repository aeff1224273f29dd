#!/usr/bin/env python3
"""Remove outputs from notebooks before they are committed (make strip).

For every code cell: outputs, the execution count and the timing metadata
that nbclient and JupyterLab record ("execution") are removed; tags and all
other metadata, of cells and of the notebook, are kept. Files that are
already clean are not rewritten.

    .venv/bin/python nb/harness/strip_notebooks.py notebooks/*.ipynb
"""

import sys

import nbformat


def strip(nb):
    """Strips nb in place and reports whether anything changed."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            cell.outputs = []
            changed = True
        if cell.get("execution_count") is not None:
            cell.execution_count = None
            changed = True
        if "execution" in cell.get("metadata", {}):
            del cell.metadata["execution"]
            changed = True
    return changed


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
