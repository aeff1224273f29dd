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


def main(paths):
    if not paths:
        print("usage: strip_notebooks.py NOTEBOOK...", file=sys.stderr)
        return 2
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            nbformat.write(nb, path)
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
