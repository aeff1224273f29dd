"""Formulas typeset at export time with KaTeX (make export).

The pages nbconvert writes hold the notebooks' TeX as text ($…$ and so on);
MathJax used to typeset it in the reader's browser, which took about a
minute for the whole course. This module finds the formulas in a page's
HTML the way MathJax 2's tex2jax found them (the delimiters of nbconvert's
configuration, with processEscapes and processEnvironments), typesets all
formulas of all pages in one node process (katex_render.js, KaTeX from
.venv/katex-node, installed by make setup) and writes KaTeX's HTML in their
place. The pages then link katex/katex.min.css, copied with KaTeX's fonts
next to them: they open typeset, offline, without a script.

Delimiters (find_math):

    $…$, \\(…\\)               inline
    $$…$$, \\[…\\]             display
    \\begin{env}…\\end{env}    display, the environment included
    \\$                        a literal dollar (the backslash is dropped)

A closing delimiter counts only outside braces; a start without its end
stays text. Math is looked for in the text between tags, never inside
<pre>, <code>, <script>, <style>, <textarea>, <svg> or <math>.

    .venv/bin/python nb/harness/typeset.py notebooks/*.ipynb

checks, without running them, that KaTeX typesets every formula of the
notebooks' markdown (nbconvert of the notebooks as they are) and of the
ledger of the notes' claims (notes-checked.html).
"""

import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KATEX = os.path.join(ROOT, ".venv", "katex-node", "node_modules", "katex")
RENDER_JS = os.path.join(HERE, "katex_render.js")
ASSET_DIR = "katex"  # next to the pages: katex/katex.min.css, katex/fonts/

# Macros of the notes that KaTeX does not know (passed to every formula).
MACROS = {}

# Elements whose text is never math (tex2jax's skipTags, and svg).
SKIP = ("pre", "code", "script", "style", "textarea", "noscript", "svg", "math", "annotation", "annotation-xml")
# Elements whose content is raw text: their end tag is the only tag in it.
RAW = ("script", "style", "textarea")

TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>|<![^>]*>", re.S)
START = re.compile(r"\\*\\\$|\$\$|\$|\\\(|\\\[|\\begin\{([^}]*)\}")


class Missing(Exception):
    """node or KaTeX is not installed; the message says what to do."""


@dataclass
class Math:
    """A formula found in a page: its TeX (entities decoded), whether it is
    display math, and the HTML it replaces (delimiters included)."""

    tex: str
    display: bool
    source: str


@dataclass
class Rejected:
    """A formula KaTeX cannot typeset, its error and the pages that hold it."""

    tex: str
    error: str
    pages: list = field(default_factory=list)


def _end_of(start, env):
    if start == "$$":
        return r"\$\$"
    if start == "$":
        return r"\$"
    if start == "\\(":
        return r"\\\)"
    if start == "\\[":
        return r"\\\]"
    return r"\\end\{" + re.escape(env) + r"\}"


def _find_end(text, pos, start, env):
    """The index just past the end delimiter matching start, from pos, or
    -1. Braces must balance; \\x skips x."""
    end = re.compile("(?P<end>" + _end_of(start, env) + r")|\\.|[{}]", re.S)
    braces = 0
    for m in end.finditer(text, pos):
        t = m.group(0)
        if t == "{":
            braces += 1
        elif t == "}":
            braces = max(braces - 1, 0)
        elif m.group("end") and braces == 0:
            return m.end()
    return -1


def find_math_in_text(text):
    """Splits text (HTML without tags, entities not decoded) into pieces:
    str for text to keep, Math for each formula, in order."""
    pieces, keep, pos = [], 0, 0
    while True:
        m = START.search(text, pos)
        if not m:
            break
        s = m.group(0)
        if s.endswith("\\$"):  # escaped dollar(s): drop the last backslash
            pieces.append(text[keep : m.end() - 2] + "$")
            keep = pos = m.end()
            continue
        stop = _find_end(text, m.end(), s, m.group(1))
        if stop < 0:  # a start without an end is text
            pos = m.end()
            continue
        source = text[m.start() : stop]
        if s.startswith("\\begin"):
            tex = source
        else:
            tex = source[len(s) : len(source) - len(s)]
        if text[keep : m.start()]:
            pieces.append(text[keep : m.start()])
        pieces.append(Math(htmllib.unescape(tex).strip(), s in ("$$", "\\[") or s.startswith("\\begin"), source))
        keep = pos = stop
    if text[keep:]:
        pieces.append(text[keep:])
    return _merge(pieces)


def _merge(pieces):
    out = []
    for p in pieces:
        if isinstance(p, str) and out and isinstance(out[-1], str):
            out[-1] += p
        else:
            out.append(p)
    return out


def find_math(page):
    """Splits an HTML page into pieces: str for HTML to keep as it is, Math
    for each formula in its text (outside tags and the SKIP elements)."""
    pieces, pos, skipping, depth = [], 0, None, 0
    for m in TAG.finditer(page):
        if m.start() < pos:  # inside a raw-text element already passed
            continue
        text = page[pos : m.start()]
        closing, name, selfclosing = m.group(1), (m.group(2) or "").lower(), m.group(3)
        if skipping:
            pieces.append(text + m.group(0))
            if name == skipping and not selfclosing:
                depth += -1 if closing else 1
                if depth == 0:
                    skipping = None
            pos = m.end()
            continue
        pieces.extend(find_math_in_text(text))
        pos = m.end()
        if name in RAW and not closing:
            close = re.compile(r"</" + name + r"\s*>", re.I).search(page, m.end())
            stop = close.end() if close else len(page)
            pieces.append(page[m.start() : stop])
            pos = stop
            continue
        pieces.append(m.group(0))
        if name in SKIP and not closing and not selfclosing:
            skipping, depth = name, 1
    rest = page[pos:]
    pieces.extend([rest] if skipping else find_math_in_text(rest))
    return _merge(pieces)


# --- KaTeX -------------------------------------------------------------------


def require():
    """Raises Missing unless node and KaTeX (make setup) are installed."""
    if not shutil.which("node"):
        raise Missing(
            "the formulas are typeset with KaTeX, which needs Node.js, and 'node' is not on PATH. "
            "Run make setup (docker/need_node.sh installs Node.js and npm with apt-get as root), "
            "or install Node.js 20 or newer (Debian/Ubuntu: apt-get install nodejs npm) and run make setup."
        )
    if not os.path.isfile(os.path.join(KATEX, "dist", "katex.min.css")):
        raise Missing(f"KaTeX is not installed in {os.path.relpath(os.path.dirname(os.path.dirname(KATEX)), ROOT)}: run make setup (it installs katex from npm).")


def render(formulas, macros=None):
    """Typesets formulas, a list of (tex, display), in one node process.
    Returns one (html, error) per formula: html is None when KaTeX rejects it."""
    require()
    if not formulas:
        return []
    request = json.dumps({"formulas": [{"tex": t, "display": d} for t, d in formulas], "macros": MACROS if macros is None else macros})
    p = subprocess.run(["node", RENDER_JS, KATEX], input=request, capture_output=True, text=True, encoding="utf-8", timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"node {RENDER_JS} failed (exit {p.returncode}): {p.stderr.strip()[-2000:]}")
    reply = json.loads(p.stdout)
    return [(r.get("html"), r.get("error")) for r in reply]


def typeset_pages(paths, macros=None):
    """Replaces the formulas of the HTML files paths by KaTeX's HTML, all in
    one node process. A page with a formula KaTeX rejects is left as it was.
    Returns (number of formulas typeset, [Rejected]), each rejected formula
    once, with the names of the pages that hold it."""
    split = {}
    wanted = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            split[path] = find_math(f.read())
        for p in split[path]:
            if isinstance(p, Math):
                wanted.setdefault((p.tex, p.display), []).append(os.path.basename(path))
    keys = list(wanted)
    done = dict(zip(keys, render(keys, macros)))
    rejected = [Rejected(tex, err, sorted(set(wanted[(tex, display)]))) for (tex, display), (out, err) in done.items() if out is None]
    count = 0
    for path, pieces in split.items():
        if any(isinstance(p, Math) and done[(p.tex, p.display)][0] is None for p in pieces):
            continue
        with open(path, "w", encoding="utf-8") as f:
            for p in pieces:
                if isinstance(p, Math):
                    f.write(done[(p.tex, p.display)][0])
                    count += 1
                else:
                    f.write(p)
    return count, rejected


def copy_assets(staging):
    """Copies KaTeX's CSS and fonts to staging/katex/ (what the pages link)."""
    require()
    dest = os.path.join(staging, ASSET_DIR)
    os.makedirs(dest, exist_ok=True)
    shutil.copy(os.path.join(KATEX, "dist", "katex.min.css"), dest)
    shutil.copy(os.path.join(KATEX, "LICENSE"), dest)
    shutil.copytree(os.path.join(KATEX, "dist", "fonts"), os.path.join(dest, "fonts"))


def describe(r, sources=None):
    """One line naming the notebook(s), the formula and KaTeX's error.
    sources maps a page name to what it was made from (a notebook)."""
    sources = sources or {}
    where = ", ".join(sorted({sources.get(p, p) for p in r.pages}))
    error = r.error.replace("\u0332", "")  # KaTeX underlines the place with U+0332
    return f"{where}: KaTeX cannot typeset ${r.tex}$: {error}"


def typeset_export(staging, paths, sources):
    """The export's step: typesets the pages paths (in staging) and copies
    KaTeX's CSS and fonts next to them. Returns (formulas, [error lines])."""
    copy_assets(staging)
    count, rejected = typeset_pages(paths)
    return count, [describe(r, sources) for r in rejected]


# --- a check of the notebooks' markdown, without running them ----------------


def check_notebooks(paths, ledger_too=True):
    """Typesets the markdown of the notebooks (nbconvert, no kernel) and,
    if ledger_too, the notes-checked page of the ledger (nb/ledger) in a
    temporary folder; returns (formulas, [error lines naming the notebook])."""
    import tempfile

    import nbformat

    import export

    page = export.page_exporter()
    with tempfile.TemporaryDirectory(prefix="typeset-check-") as d:
        pages, sources = [], {}
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
            out = os.path.join(d, os.path.basename(path) + ".html")
            with open(out, "w", encoding="utf-8") as f:
                f.write(export.render(page, nb, os.path.basename(path), {}))
            pages.append(out)
            sources[os.path.basename(out)] = path
        if ledger_too:
            import ledger

            out = os.path.join(d, "notes-checked.html")
            with open(out, "w", encoding="utf-8") as f:
                f.write(export.render(page, ledger.notes_checked_notebook(ledger.load(), {}, {}), "The notes, checked", {}))
            pages.append(out)
            sources["notes-checked.html"] = "the ledger of the notes' claims (nb/ledger)"
        count, rejected = typeset_pages(pages)
        return count, [describe(r, sources) for r in rejected]


def main(argv=None):
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: typeset.py NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    try:
        count, errors = check_notebooks(paths)
    except Missing as e:
        print(f"typeset: ERROR: {e}", file=sys.stderr)
        return 1
    for e in errors:
        print(f"typeset: {e}", file=sys.stderr)
    print(f"typeset: {len(paths)} notebook(s) and the ledger, {count} formulas typeset by KaTeX, {len(errors)} rejected")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
