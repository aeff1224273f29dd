#!/usr/bin/env python3
"""The course's language editions, made from one source (make editions).

The English notebooks in notebooks/ are the source. An edition in another
language, notebooks/LANG/NAME.ipynb, is written from them: every code cell
is copied as it is, and every markdown cell's text is replaced by its
translation. Nothing of an edition is committed but its translations.

Translations live in one Markdown file per notebook, i18n/LANG/STEM.md
in the notebooks' folder (notebooks/i18n/es/ for the course), one section
per markdown cell:

    <!-- cell b03-06 en:4f1c2a9e0b7d -->
    La ecuación (2) para una capa oculta $l$: ...

The marker line names the cell by its id (nbformat's stable cell id) and
records a fingerprint of the English text the section translates (the
first 12 hex digits of its SHA-256): gettext's msgid, applied to cells.
When the English of a cell changes, its fingerprint no longer matches and
the translation is stale: `editions.py status` names it with its English
text, and `editions.py accept LANG STEM CELL` records the new fingerprint
once the translation says what the English now says. A cell without a
translation, or with a stale one, is written in the edition as it stands
(English for a missing one) with a warning; the tests (make check) fail on
either.

Only the wiring cell (nbgrader id "wiring") differs between the editions'
code: the edition's wiring cell first sets COURSE_LANG, so that nb writes
figure titles, axis labels, legends, table headers and progress text in
the edition's language (nb/i18n.go). The wiring cell finds the course's
go.mod in any folder above the notebook, so the deeper folder needs no
other change, and links between notebooks stay valid since an edition
keeps the notebooks' file names.

An edition's notebook that a student changed (its code or text differs,
outputs aside, from what this script wrote last, recorded in
notebooks/LANG/.written.json) is never overwritten: the script says so and
leaves it; delete it to get the new edition.

    .venv/bin/python nb/harness/editions.py write [LANG ...]  # make editions
    .venv/bin/python nb/harness/editions.py write --to FOLDER LANG  # a copy, e.g. for a release
    .venv/bin/python nb/harness/editions.py status [LANG ...] # missing and stale translations
    .venv/bin/python nb/harness/editions.py accept LANG STEM CELL ...
    .venv/bin/python nb/harness/editions.py skeleton LANG STEM # add missing cells, English text to translate
"""

import argparse
import dataclasses
import hashlib
import json
import os
import re
import sys

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOTEBOOKS = os.path.join(ROOT, "notebooks")

# The editions besides the English source, by language code (COURSE_LANG).
LANGUAGES = {"es": "Spanish"}
# The comment above the line that sets COURSE_LANG in an edition's wiring
# cell, in the edition's language.
LANGUAGE_COMMENTS = {
    "es": "// Esta edición dibuja figuras y tablas en español; %env COURSE_LANG en las devuelve al inglés.",
}

MARKER = re.compile(r"^<!-- cell (?P<id>\S+) en:(?P<fingerprint>[0-9a-f]{12}) -->$", re.M)
HEADER = ("<!-- The {language} text of notebooks/{name}, one section per markdown cell. "
          "A section starts with its marker line: the cell's id and the fingerprint of the English "
          "text it translates. Edit the text under a marker, never the marker itself; "
          "nb/harness/editions.py says which sections are missing or stale. -->\n")
WRITTEN = ".written.json"


class TranslationError(ValueError):
    """A translation file that cannot be read: its path and what is wrong."""


@dataclasses.dataclass
class Section:
    """One markdown cell's translation: the fingerprint of the English it
    translates and the translated text."""
    fingerprint: str
    text: str


@dataclasses.dataclass
class Status:
    """What a notebook's translation lacks: ids of markdown cells with no
    section (missing), with a section for other English (stale), and of
    sections whose cell is gone (orphans)."""
    missing: list
    stale: list
    orphans: list

    def complete(self):
        return not (self.missing or self.stale or self.orphans)


def fingerprint(text):
    """The first 12 hex digits of the SHA-256 of text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def translation_path(lang, notebook_path):
    """The translation file of a source notebook: i18n/LANG/STEM.md in the
    notebook's folder."""
    stem = os.path.splitext(os.path.basename(notebook_path))[0]
    return os.path.join(os.path.dirname(os.path.abspath(notebook_path)), "i18n", lang, stem + ".md")


def source_notebooks():
    return sorted(os.path.join(NOTEBOOKS, name) for name in os.listdir(NOTEBOOKS)
                  if name.endswith(".ipynb"))


def parse(text, path="translation"):
    """Reads a translation file's text: {cell id: Section}. The text before
    the first marker (the header comment) is ignored. A cell named twice, or
    a marker line that is almost one (a typo in it), is a TranslationError
    naming the path and line."""
    sections = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("<!-- cell") and not MARKER.match(line):
            raise TranslationError(f"{path}:{number}: a marker line must read "
                                   f"'<!-- cell ID en:FINGERPRINT -->' (12 hex digits), not {line!r}")
    markers = list(MARKER.finditer(text))
    for i, m in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        cell = m.group("id")
        if cell in sections:
            line = text.count("\n", 0, m.start()) + 1
            raise TranslationError(f"{path}:{line}: cell {cell} has a second section")
        body = text[m.end():end]
        sections[cell] = Section(m.group("fingerprint"), body.strip("\n"))
    return sections


def render(notebook_name, lang, sections):
    """The text of a translation file holding sections ({id: Section}, in
    the order given)."""
    parts = [HEADER.format(language=LANGUAGES[lang], name=notebook_name)]
    for cell, section in sections.items():
        parts.append(f"\n<!-- cell {cell} en:{section.fingerprint} -->\n{section.text}\n")
    return "".join(parts)


def read(lang, notebook_path):
    """The translation of the notebook at notebook_path into lang: {id:
    Section}, empty when it has no translation file yet."""
    path = translation_path(lang, notebook_path)
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), os.path.relpath(path, ROOT))


def markdown_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "markdown"]


def untranslated(english, text):
    """Reports whether text is the English left as it was in a section that
    needs translating: a cell with words (three letters or more outside
    formulas, code and links) cannot read the same in two languages."""
    if text != english.strip("\n"):
        return False
    bare = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)|<[^>]*>", " ", english, flags=re.S)
    return re.search(r"[A-Za-z]{3,}", bare) is not None


def status(nb, sections):
    """Compares a source notebook with its translation (Status)."""
    ids = [cell.id for cell in markdown_cells(nb)]
    english = {cell.id: cell.source for cell in markdown_cells(nb)}
    missing = [i for i in ids if i not in sections or untranslated(english[i], sections[i].text)]
    stale = [i for i in ids if i in sections and sections[i].fingerprint != fingerprint(english[i])]
    orphans = [i for i in sections if i not in english]
    return Status(missing, stale, orphans)


def is_wiring(cell):
    """The notebook's wiring cell, as handout.py knows it."""
    import handout  # nbgrader's helpers; not needed to read a translation

    return handout.is_wiring(cell)


def language_lines(lang):
    """The lines the edition's wiring cell starts with: a comment, then the
    GoNB command that sets COURSE_LANG for every cell run after it."""
    return f"{LANGUAGE_COMMENTS[lang]}\n%env COURSE_LANG {lang}\n"


def edition(nb, sections, lang):
    """The edition of the source notebook nb in lang: a copy whose markdown
    cells hold their translations (the English where one is missing) and
    whose wiring cell first sets COURSE_LANG. Returns (notebook, Status)."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    wired = False
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.id in sections:
            cell.source = sections[cell.id].text
        elif is_wiring(cell):
            cell.source = language_lines(lang) + cell.source
            wired = True
    if not wired:
        raise TranslationError("the notebook has no wiring cell (nbgrader grade_id 'wiring', or go mod edit -replace) to set COURSE_LANG in")
    out.metadata["course_edition"] = {"language": lang}
    return out, status(nb, sections)


def skeleton(nb, sections):
    """The sections of a translation file for nb: the existing ones, in the
    notebook's order, and for each markdown cell without one, a section
    holding its English text to translate (untranslated until it is)."""
    out = {}
    for cell in markdown_cells(nb):
        out[cell.id] = sections.get(cell.id) or Section(fingerprint(cell.source), cell.source)
    for cell, section in sections.items():
        out.setdefault(cell, section)
    return out


def cells_digest(nb):
    """A digest of what a student can change in a notebook: each cell's type
    and text, outputs and metadata aside."""
    cells = [[cell.cell_type, cell.source] for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def write_to(folder, lang, sources):
    """Writes the edition in lang of each source notebook to folder (made if
    needed), replacing what is there: the export's copy, which no one
    edits. Returns [(path written, Status)]."""
    os.makedirs(folder, exist_ok=True)
    written = []
    for source in sources:
        out, st = edition(nbformat.read(source, as_version=4), read(lang, source), lang)
        target = os.path.join(folder, os.path.basename(source))
        nbformat.write(out, target)
        written.append((target, st))
    return written


def write(lang, sources=None, say=print):
    """Writes the edition in lang of each source notebook (all of
    notebooks/*.ipynb by default) to notebooks/LANG/, and returns
    {notebook name: Status}. An edition's file that differs from what was
    written last (a student's changes) is left as it is, with a warning; a
    file already up to date is not rewritten."""
    folder = os.path.join(NOTEBOOKS, lang)
    os.makedirs(folder, exist_ok=True)
    record_path = os.path.join(folder, WRITTEN)
    try:
        with open(record_path, encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError):
        record = {}
    statuses = {}
    for source in sources or source_notebooks():
        name = os.path.basename(source)
        nb = nbformat.read(source, as_version=4)
        out, st = edition(nb, read(lang, source), lang)
        statuses[name] = st
        target = os.path.join(folder, name)
        new = cells_digest(out)
        if os.path.exists(target):
            try:
                old = cells_digest(nbformat.read(target, as_version=4))
            except Exception as err:  # not a notebook any more: the student's file
                old = f"unreadable: {err}"
            if old == new:
                record[name] = new
                continue
            if record.get(name) != old:
                say(f"editions: {os.path.relpath(target, ROOT)} has changes of yours, so it was not "
                    f"replaced by the new edition; delete it (or move it away) and run make editions again")
                continue
        nbformat.write(out, target)
        record[name] = new
    with open(record_path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    return statuses


def report(lang, statuses, verbose=False, say=print):
    """Says which notebooks' translations into lang lack or have stale
    sections; returns whether all are complete."""
    complete = True
    for name, st in statuses.items():
        if st.complete():
            continue
        complete = False
        stem = os.path.splitext(name)[0]
        path = os.path.relpath(translation_path(lang, name), ROOT)
        parts = []
        if st.missing:
            parts.append(f"{len(st.missing)} cell(s) not translated ({', '.join(st.missing)})")
        if st.stale:
            parts.append(f"{len(st.stale)} stale, their English changed since ({', '.join(st.stale)})")
        if st.orphans:
            parts.append(f"{len(st.orphans)} section(s) for cells that are gone ({', '.join(st.orphans)})")
        say(f"editions: {path}: " + "; ".join(parts))
        if verbose and st.stale:
            nb = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
            for cell in markdown_cells(nb):
                if cell.id in st.stale:
                    say(f"\n--- {cell.id}, its English now (when the translation says the same, run "
                        f"editions.py accept {lang} {stem} {cell.id}):\n{cell.source}\n")
    return complete


def accept(lang, stem, cells):
    """Records the current English fingerprint of each cell in cells in the
    translation of notebooks/STEM.ipynb into lang: its translation was
    brought up to date by hand."""
    source = os.path.join(NOTEBOOKS, stem + ".ipynb")
    nb = nbformat.read(source, as_version=4)
    english = {cell.id: cell.source for cell in markdown_cells(nb)}
    sections = read(lang, source)
    for cell in cells:
        if cell not in sections:
            raise TranslationError(f"{os.path.relpath(translation_path(lang, source), ROOT)} has no section for cell {cell}")
        if cell not in english:
            raise TranslationError(f"notebooks/{stem}.ipynb has no markdown cell {cell}")
        sections[cell].fingerprint = fingerprint(english[cell])
    save(lang, source, sections)


def save(lang, source, sections):
    path = translation_path(lang, source)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(os.path.basename(source), lang, sections))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write notebooks/LANG/ from notebooks/ and the translations")
    w.add_argument("languages", nargs="*", default=sorted(LANGUAGES))
    w.add_argument("--to", help="write every notebook of the edition to this folder instead, replacing what is there "
                   "(one language only; a copy for a release, not for students to edit)")
    s = sub.add_parser("status", help="name the missing and stale translations (exit status 1 if any)")
    s.add_argument("languages", nargs="*", default=sorted(LANGUAGES))
    a = sub.add_parser("accept", help="record that the named cells' translations match their English now")
    a.add_argument("language")
    a.add_argument("stem", help="the notebook's file name without .ipynb, e.g. 03_Backpropagation")
    a.add_argument("cells", nargs="+")
    k = sub.add_parser("skeleton", help="add a section holding the English text for every cell without one")
    k.add_argument("language")
    k.add_argument("stems", nargs="*", help="notebooks (default: all)")
    args = parser.parse_args(argv)
    try:
        for lang in getattr(args, "languages", [getattr(args, "language", "")]):
            if lang not in LANGUAGES:
                raise TranslationError(f"no edition in language {lang!r}; the editions are {', '.join(sorted(LANGUAGES))}")
        if args.command == "write" and args.to:
            if len(args.languages) != 1:
                raise TranslationError("write --to takes one language")
            written = write_to(args.to, args.languages[0], source_notebooks())
            report(args.languages[0], {os.path.basename(p): st for p, st in written})
            return 0
        if args.command == "write":
            for lang in args.languages:
                statuses = write(lang)
                report(lang, statuses)
                print(f"editions: the {LANGUAGES[lang]} edition is in notebooks/{lang}/ ({len(statuses)} notebooks)")
            return 0
        if args.command == "status":
            ok = True
            for lang in args.languages:
                statuses = {os.path.basename(p): status(nbformat.read(p, as_version=4), read(lang, p))
                            for p in source_notebooks()}
                ok = report(lang, statuses, verbose=True) and ok
            return 0 if ok else 1
        if args.command == "accept":
            accept(args.language, args.stem, args.cells)
            return 0
        if args.command == "skeleton":
            sources = ([os.path.join(NOTEBOOKS, stem + ".ipynb") for stem in args.stems]
                       or source_notebooks())
            for source in sources:
                nb = nbformat.read(source, as_version=4)
                save(args.language, source, skeleton(nb, read(args.language, source)))
            return 0
    except (TranslationError, OSError) as err:
        print(f"editions: {err}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
