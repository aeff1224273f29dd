#!/usr/bin/env python3
"""Slide metadata for the reveal.js slides of `make export`.

Every cell's `metadata.slideshow.slide_type` (the field JupyterLab's
property inspector and nbconvert's slides use) decides where it goes:

    the title cell (`# ...`)              "slide"     the first slide
    a markdown cell starting with `## `   "slide"     a new slide, left to right
    a markdown cell starting with `### `  "subslide"  a new slide below it
      (or deeper headings)
    other markdown after a code cell      "subslide"  the comment on a result
                                                      gets its own slide
    other markdown, and code cells        "-"         on the slide above
    the wiring cell (first code cell)     "skip"      plumbing, not shown

`make slides` writes these defaults into the notebooks, for the cells that
have no slide type yet (a type set by hand is kept); `make export` applies
the same defaults, in memory, to cells without one, so a new notebook gets
sensible slides without any step.

    .venv/bin/python nb/harness/slides.py notebooks/*.ipynb
"""

import sys

from strip_notebooks import rewrite_notebooks


def default_slide_type(nb, index):
    """The slide type the course gives cell index of nb by default."""
    cell = nb.cells[index]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    if cell.cell_type == "code":
        return "skip" if index == first_code else "-"
    if cell.cell_type != "markdown":
        return "-"
    text = cell.source.lstrip()
    if index == 0 or text.startswith("# ") or text.startswith("## "):
        return "slide"
    if text.startswith("###"):
        return "subslide"
    if index > 0 and nb.cells[index - 1].cell_type == "code":
        return "subslide"
    return "-"


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def assign_slide_types(nb):
    """Gives every cell without a slide type its default, in place, and
    returns how many cells changed."""
    changed = 0
    for i, cell in enumerate(nb.cells):
        if slide_type(cell):
            continue
        cell.metadata.setdefault("slideshow", {})["slide_type"] = default_slide_type(nb, i)
        changed += 1
    return changed


def main(paths):
    return rewrite_notebooks("slides.py", paths, assign_slide_types, lambda path, n: f"slides: {path}: slide type set on {n} cell(s)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
