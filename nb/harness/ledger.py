#!/usr/bin/env python3
"""The ledger of the notes' claims: every formula and claim of the notes,
its verdict, and the notebook checks that show it (nb/ledger/*.yaml).

A ledger file lists the claims of the sections one notebook covers:

    notebook: 03_Backpropagation.ipynb
    claims:
    - id: "3:bp1"                 # section:slug; the checks that test the
      section: "3"                # claim carry it (nb.Claim in Go)
      kind: formula               # formula, step, limit, property, condition,
                                  # number or advice
      claim: 'the output error $\\delta^{(L)} = \\nabla_a C \\odot \\sigma''(z^{(L)})$'
      verdict: holds              # holds, wrong, holds-when or untestable
      when: '...'                 # holds-when: the condition
      correction: '...'           # wrong: the right statement
      shown: '...'                # wrong: where the notebook derives it
      reason: '...'               # untestable: why no number can test it
      full_only: true             # optional: its checks run in full mode only

The numbers are not copied here: each check row of an executed notebook
that carries a claim id (a `data-nb-claim` attribute written by nb.Checks)
gives them. check() compares the ledger with the rows of executed
notebooks; notes_checked_notebook() builds the export's page "The notes,
checked" from both.

    .venv/bin/python nb/harness/ledger.py [--quick] build/executed/*.ipynb

checks the ledger against executed notebooks (those written by
run_notebooks.py --output-dir) and exits with status 1 naming every
problem.

The words of the claims (claim, when, correction, shown, reason) are
translated for the course's other editions in nb/ledger/i18n/LANG/NAME.yaml
(one per ledger file), per claim id, with the fingerprint of the English words they translate
(as the notebooks' translations, editions.py):

    "3:bp1":
      en: 4f1c2a9e0b7d
      claim: 'el error de salida ...'

translated() puts them in place; translation_status() names the claims
with no translation or a stale one (make check fails on either).
"""

import argparse
import collections
import glob
import html
import json
import os
import re
import sys

import nbformat
import yaml

import wording

HERE = os.path.dirname(os.path.abspath(__file__))
LEDGER_DIR = os.path.normpath(os.path.join(HERE, "..", "ledger"))
NOTEBOOK_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks"))
# The fields of a claim written in words, which the editions translate.
WORDS = ("claim", "when", "correction", "shown", "reason")

ID = re.compile(r"^([0-9]+(\.[0-9]+)*|[AB](\.[0-9]+)*):[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("formula", "step", "limit", "property", "condition", "number", "advice")
VERDICTS = ("holds", "wrong", "holds-when", "untestable")
# The fields each verdict needs, and the ones it must not have.
NEEDS = {"holds": (), "wrong": ("correction", "shown"), "holds-when": ("when",), "untestable": ("reason",)}
OPTIONAL = ("full_only", "notebook")
ALL_FIELDS = {"id", "section", "kind", "claim", "verdict", "when", "correction", "shown", "reason", *OPTIONAL}
# The words of the page "The notes, checked" in each edition's language
# (its title is wording.py's "notes_checked").
PAGE_TEXT = {
    "en": {
        "holds": "✓ holds", "wrong": "✗ wrong", "holds-when": "◐ holds only when", "untestable": "— not testable by a number",
        "intro": "Every displayed formula and every quantitative claim of the notes, with its verdict and the numbers "
                 "of the checks that decide it, as computed when these pages were exported. "
                 "{n} claims: {holds} hold, {wrong} are wrong, {when} hold only under a condition, and {untestable} are advice that no "
                 "number can test. Each claim links to the check table in its notebook.",
        "kinds": {k: k for k in KINDS},
        "right": "Right: {correction} (derived in {shown})",
        "why": "Why no number: {reason}",
        "checked_in": "Checked in [{title}]({href}), {n} row(s):",
        "row": "{check}: got {got}, want {want}{rel} ({outcome})",
        "relative_error": ", relative error {value}",
        "more": "… and {n} more",
        "not_executed": "Checked in {notebook} (not executed in this export)",
    },
    "es": {
        "holds": "✓ se cumple", "wrong": "✗ errónea", "holds-when": "◐ se cumple solo si", "untestable": "— ningún número puede comprobarla",
        "intro": "Cada fórmula destacada y cada afirmación cuantitativa de los apuntes, con su veredicto y los números "
                 "de las comprobaciones que lo deciden, calculados al exportar estas páginas. "
                 "{n} afirmaciones: {holds} se cumplen, {wrong} son erróneas, {when} se cumplen solo bajo una condición y {untestable} son consejos "
                 "que ningún número puede comprobar. Cada afirmación enlaza con la tabla de comprobaciones de su cuaderno.",
        "kinds": {"formula": "fórmula", "step": "paso", "limit": "límite", "property": "propiedad", "condition": "condición",
                  "number": "número", "advice": "consejo"},
        "right": "Lo correcto: {correction} (deducido en {shown})",
        "why": "Por qué ningún número: {reason}",
        "checked_in": "Comprobada en [{title}]({href}), {n} fila(s):",
        "row": "{check}: obtenido {got}, esperado {want}{rel} ({outcome})",
        "relative_error": ", error relativo {value}",
        "more": "… y {n} más",
        "not_executed": "Comprobada en {notebook} (no ejecutado en esta exportación)",
    },
}
ROW = re.compile(r'data-nb-claim="([^"]*)"')


class LedgerError(Exception):
    """A ledger file that cannot be read or breaks the format."""


def load(ledger_dir=LEDGER_DIR, notebook_dir=NOTEBOOK_DIR):
    """Reads every ledger file and returns its entries, each a dict with the
    fields above plus "notebook" (the file's notebook unless the entry names
    another) and "file". Raises LedgerError naming the file and the entry of
    every problem of format."""
    problems, entries, seen = [], [], {}
    files = sorted(glob.glob(os.path.join(ledger_dir, "*.yaml")))
    if not files:
        raise LedgerError(f"no ledger files (*.yaml) in {ledger_dir}")
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            problems.append(f"{name}: cannot be read: {e}")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("notebook"), str) or not isinstance(doc.get("claims"), list):
            problems.append(f"{name}: needs a 'notebook' (file name) and a list 'claims'")
            continue
        for k, e in enumerate(doc["claims"]):
            where = f"{name}: claim {k + 1}"
            if not isinstance(e, dict):
                problems.append(f"{where}: not a mapping")
                continue
            e = dict(e)
            e.setdefault("notebook", doc["notebook"])
            e["file"] = name
            cid = e.get("id")
            if isinstance(cid, str):
                where = f"{name}: claim {cid!r}"
            problems += [f"{where}: {p}" for p in entry_problems(e, notebook_dir)]
            if isinstance(cid, str):
                if cid in seen:
                    problems.append(f"{where}: id also used in {seen[cid]}")
                seen[cid] = name
            entries.append(e)
    if problems:
        raise LedgerError("the ledger (nb/ledger) breaks its format:\n  " + "\n  ".join(problems))
    return entries


def entry_problems(e, notebook_dir):
    """The problems of format of one entry."""
    p = []
    unknown = sorted(set(e) - ALL_FIELDS - {"file"})
    if unknown:
        p.append(f"unknown field(s) {', '.join(unknown)}")
    cid, section = e.get("id"), e.get("section")
    if not isinstance(cid, str) or not ID.match(cid):
        p.append(f"id {cid!r} is not of the form section:slug, such as \"3:bp1\"")
    if not isinstance(section, str) or not section:
        p.append("needs a section, a string such as \"3.1\" (quote it in YAML)")
    elif isinstance(cid, str) and cid.split(":")[0] != section:
        p.append(f"id {cid!r} does not start with its section {section!r}")
    if e.get("kind") not in KINDS:
        p.append(f"kind {e.get('kind')!r} is not one of {', '.join(KINDS)}")
    if not isinstance(e.get("claim"), str) or not e["claim"].strip():
        p.append("needs the claim's text")
    v = e.get("verdict")
    if v not in VERDICTS:
        p.append(f"verdict {v!r} is not one of {', '.join(VERDICTS)}")
    else:
        for f in NEEDS[v]:
            if not isinstance(e.get(f), str) or not e[f].strip():
                p.append(f"verdict {v} needs '{f}'")
        for f in ("when", "correction", "shown", "reason"):
            if f in e and f not in NEEDS[v]:
                p.append(f"'{f}' does not go with verdict {v}")
    if "full_only" in e and not isinstance(e["full_only"], bool):
        p.append("full_only must be true or false")
    if not os.path.isfile(os.path.join(notebook_dir, str(e.get("notebook")))):
        p.append(f"notebook {e.get('notebook')!r} is not in {notebook_dir}")
    return p


def rows(nb):
    """The check rows of an executed notebook that carry a claim id: a list
    of dicts (claim, check, outcome, got, want, relative_error, tolerance,
    cell), in the order of the notebook."""
    out = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            text = o.get("data", {}).get("text/html", "") if o.get("output_type") in ("display_data", "execute_result") else ""
            if isinstance(text, list):
                text = "".join(text)
            for m in ROW.finditer(text):
                r = json.loads(html.unescape(m.group(1)))
                r["cell"] = i
                out.append(r)
    return out


def check(entries, executed, quick=False):
    """Compares the ledger with executed notebooks, {file name: notebook}.
    Returns the problems: an entry whose notebook ran without a row of its
    claim (not in quick mode when the entry is full_only), rows whose
    outcomes contradict the verdict, rows of an untestable entry, and rows
    whose claim id is in no entry."""
    by_claim = collections.defaultdict(list)
    for name, nb in executed.items():
        for r in rows(nb):
            r["notebook"] = name
            by_claim[r["claim"]].append(r)
    problems = []
    known = {e["id"] for e in entries}
    for cid in sorted(set(by_claim) - known):
        where = sorted({f"{r['notebook']} cell {r['cell']}" for r in by_claim[cid]})
        problems.append(f"claim {cid!r}: checked in {', '.join(where)} but in no ledger entry")
    for e in entries:
        cid, v, rs = e["id"], e["verdict"], by_claim.get(e["id"], [])
        outcomes = collections.Counter(r["outcome"] for r in rs)
        if v == "untestable":
            if rs:
                problems.append(f"{e['file']}: {cid}: marked untestable, but {len(rs)} check row(s) test it: give it a verdict")
            continue
        if not rs:
            if e["notebook"] in executed and not (quick and e.get("full_only")):
                problems.append(f"{e['file']}: {cid}: {e['notebook']} ran, but no check row carries this claim")
            continue
        bad = outcomes["failed"] + outcomes["unexpected-hold"]
        if bad:
            problems.append(f"{e['file']}: {cid}: {bad} check row(s) did not come out as expected")
        if v == "holds" and outcomes["expected-failure"]:
            problems.append(f"{e['file']}: {cid}: verdict holds, but {outcomes['expected-failure']} row(s) show it failing (ExpectFail)")
        if v == "wrong" and not outcomes["expected-failure"]:
            problems.append(f"{e['file']}: {cid}: verdict wrong, but no row shows it failing (an ExpectFail check)")
        if v == "holds-when" and not outcomes["held"]:
            problems.append(f"{e['file']}: {cid}: verdict holds-when, but no row shows it holding under its condition")
    return problems


# --- the page "The notes, checked" ------------------------------------------


def stem(name):
    return os.path.splitext(os.path.basename(name))[0]


def section_order(section):
    """Sorts 1 … 6 before A and B, and 4.10 after 4.9."""
    head, *rest = section.split(".")
    first = (0, int(head)) if head.isdigit() else (1, ord(head[0]))
    return (first, *[int(x) for x in rest])


def notes_checked_notebook(entries, executed, titles=None, max_rows=3, lang="en"):
    """A notebook of markdown cells, the page "The notes, checked", in
    language lang (the claims' words from its translation, translated()):
    a summary, then per section of the notes each claim with its verdict and
    the rows of the checks that show it, linked to the notebook's page
    (NAME.html#claim-ID, see add_claim_anchors). The check rows are the
    notebooks' own (their names are not translated)."""
    titles = titles or {}
    words = PAGE_TEXT[lang]
    entries = translated(entries, lang)
    by_claim = collections.defaultdict(list)
    for name, nb in executed.items():
        for r in rows(nb):
            r["notebook"] = name
            by_claim[r["claim"]].append(r)
    counts = collections.Counter(e["verdict"] for e in entries)
    nb = nbformat.v4.new_notebook()
    intro = words["intro"].format(n=len(entries), holds=counts["holds"], wrong=counts["wrong"],
                                  when=counts["holds-when"], untestable=counts["untestable"])
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {wording.text(lang, 'notes_checked')}\n\n{intro}", id="notes-checked"))
    sections = collections.defaultdict(list)
    for e in entries:
        sections[e["section"]].append(e)
    for section in sorted(sections, key=section_order):
        lines = [f"## §{section}", ""]
        for e in sections[section]:
            cid = e["id"]
            head = f"- **{cid}** ({words['kinds'][e['kind']]}) {e['claim'].strip()} — **{words[e['verdict']]}**"
            if e["verdict"] == "holds-when":
                head += f" {e['when'].strip()}"
            lines.append(head)
            if e["verdict"] == "wrong":
                lines.append("  - " + words["right"].format(correction=e["correction"].strip(), shown=e["shown"].strip()))
            if e["verdict"] == "untestable":
                lines.append("  - " + words["why"].format(reason=e["reason"].strip()))
            rs = by_claim.get(cid, [])
            # A wrong claim shows first the rows where the notes' version fails.
            if e["verdict"] == "wrong":
                rs = sorted(rs, key=lambda r: r["outcome"] != "expected-failure")
            if rs:
                page = stem(rs[0]["notebook"])
                title = titles.get(page, page)
                lines.append("  - " + words["checked_in"].format(title=title, href=f"{page}.html#claim-{cid}", n=len(rs)))
                for r in rs[:max_rows]:
                    # A bound shows its relation ("got ≤ want") in place of a relative error.
                    rel = (words["relative_error"].format(value=r["relative_error"]) if r["relative_error"] not in ("", "—")
                           else f", {r['tolerance']}")
                    row = words["row"].format(check=r["check"], got=r["got"], want=r["want"], rel=rel, outcome=r["outcome"])
                    lines.append(f"    - {row}".replace("|", "\\|"))
                if len(rs) > max_rows:
                    lines.append("    - " + words["more"].format(n=len(rs) - max_rows))
            elif e["verdict"] != "untestable":
                lines.append("  - " + words["not_executed"].format(notebook=stem(e["notebook"])))
        nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines) + "\n", id=f"section-{section}".replace(".", "-")))
    return nb


# --- the claims' words in the other editions ----------------------------------


def words_fingerprint(e):
    """The fingerprint of a claim's words (its WORDS fields), as a
    translation records it (editions.fingerprint of their JSON)."""
    from editions import fingerprint

    return fingerprint(json.dumps({k: e[k] for k in WORDS if k in e}, ensure_ascii=False, sort_keys=True))


def translation_files(lang, ledger_dir=LEDGER_DIR):
    """The translation files into lang: nb/ledger/i18n/LANG/NAME.yaml, one
    per ledger file NAME.yaml."""
    return sorted(glob.glob(os.path.join(ledger_dir, "i18n", lang, "*.yaml")))


def load_translation(lang, ledger_dir=LEDGER_DIR):
    """{claim id: {"en": fingerprint, field: text}} of the translation files
    into lang ({} for English or when there are none). Raises LedgerError
    on a file that is not such a mapping."""
    doc = {}
    for path in translation_files(lang, ledger_dir) if lang != "en" else []:
        name = os.path.relpath(path, os.path.dirname(ledger_dir))
        try:
            with open(path, encoding="utf-8") as f:
                part = yaml.safe_load(f) or {}
        except (OSError, yaml.YAMLError) as e:
            raise LedgerError(f"{name}: cannot be read: {e}") from None
        bad = [k for k, v in part.items() if not isinstance(v, dict) or not isinstance(v.get("en"), str)] if isinstance(part, dict) else ["(the file)"]
        if bad:
            raise LedgerError(f"{name}: each claim id needs a mapping with the fingerprint of its English words, 'en' as a string ({', '.join(map(str, bad[:5]))})")
        doc.update(part)
    return doc


def translation_status(entries, lang, ledger_dir=LEDGER_DIR):
    """(missing, stale, orphans): ids of claims with no translation into
    lang (or one lacking a field the claim has, or holding its English words
    as they were), with a translation of other English words, and of
    translations whose claim is gone."""
    doc = load_translation(lang, ledger_dir)
    ids = {e["id"] for e in entries}
    from editions import untranslated  # the same rule as the notebooks' prose

    missing = [e["id"] for e in entries
               if e["id"] not in doc or any(k in e and (k not in doc[e["id"]] or untranslated(e[k], doc[e["id"]][k])) for k in WORDS)]
    stale = [e["id"] for e in entries if e["id"] in doc and doc[e["id"]]["en"] != words_fingerprint(e)]
    orphans = sorted(k for k in doc if k not in ids)
    return missing, stale, orphans


def translated(entries, lang, ledger_dir=LEDGER_DIR):
    """entries with their words in lang, where a translation has them (the
    English elsewhere)."""
    doc = load_translation(lang, ledger_dir)
    out = []
    for e in entries:
        t = doc.get(e["id"], {})
        out.append({**e, **{k: t[k] for k in WORDS if k in e and k in t}})
    return out


def add_claim_anchors(page):
    """Gives the first check row of each claim on an HTML page the id
    claim-ID, the target of the links of "The notes, checked"."""
    seen = set()

    def anchor(m):
        try:
            cid = json.loads(html.unescape(m.group(1)))["claim"]
        except (ValueError, KeyError):
            return m.group(0)
        if cid in seen:
            return m.group(0)
        seen.add(cid)
        return f'<tr id="claim-{html.escape(cid)}" {m.group(0)[4:]}'

    return re.sub(r'<tr data-nb-claim="([^"]*)"', anchor, page)


def main(argv=None):
    p = argparse.ArgumentParser(description="Check the ledger of the notes' claims against executed notebooks.")
    p.add_argument("executed", nargs="*", help="executed notebooks (run_notebooks.py --output-dir)")
    p.add_argument("--quick", action="store_true", help="the notebooks ran in quick mode: full_only claims may lack rows")
    args = p.parse_args(argv)
    try:
        entries = load()
    except LedgerError as e:
        print(f"ledger: ERROR: {e}", file=sys.stderr)
        return 1
    executed = {}
    for path in args.executed:
        executed[os.path.basename(path)] = nbformat.read(path, as_version=4)
    problems = check(entries, executed, quick=args.quick)
    counts = collections.Counter(e["verdict"] for e in entries)
    n_rows = sum(len(rows(nb)) for nb in executed.values())
    print(f"ledger: {len(entries)} claims ({', '.join(f'{counts[v]} {v}' for v in VERDICTS)}); "
          f"{n_rows} check rows in {len(executed)} executed notebook(s)")
    for pr in problems:
        print(f"ledger: {pr}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
