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

HERE = os.path.dirname(os.path.abspath(__file__))
LEDGER_DIR = os.path.normpath(os.path.join(HERE, "..", "ledger"))
NOTEBOOK_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "notebooks"))

ID = re.compile(r"^([0-9]+(\.[0-9]+)*|[AB](\.[0-9]+)*):[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("formula", "step", "limit", "property", "condition", "number", "advice")
VERDICTS = ("holds", "wrong", "holds-when", "untestable")
# The fields each verdict needs, and the ones it must not have.
NEEDS = {"holds": (), "wrong": ("correction", "shown"), "holds-when": ("when",), "untestable": ("reason",)}
OPTIONAL = ("full_only", "notebook")
ALL_FIELDS = {"id", "section", "kind", "claim", "verdict", "when", "correction", "shown", "reason", *OPTIONAL}
VERDICT_TEXT = {"holds": "✓ holds", "wrong": "✗ wrong", "holds-when": "◐ holds only when", "untestable": "— not testable by a number"}
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


def notes_checked_notebook(entries, executed, titles=None, max_rows=3):
    """A notebook of markdown cells, the page "The notes, checked": a
    summary, then per section of the notes each claim with its verdict and
    the rows of the checks that show it, linked to the notebook's page
    (NAME.html#claim-ID, see add_claim_anchors)."""
    titles = titles or {}
    by_claim = collections.defaultdict(list)
    for name, nb in executed.items():
        for r in rows(nb):
            r["notebook"] = name
            by_claim[r["claim"]].append(r)
    counts = collections.Counter(e["verdict"] for e in entries)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "# The notes, checked\n\n"
        "Every displayed formula and every quantitative claim of the notes, with its verdict and the numbers "
        "of the checks that decide it, as computed when these pages were exported. "
        f"{len(entries)} claims: {counts['holds']} hold, {counts['wrong']} are wrong, "
        f"{counts['holds-when']} hold only under a condition, and {counts['untestable']} are advice that no "
        "number can test. Each claim links to the check table in its notebook.",
        id="notes-checked"))
    sections = collections.defaultdict(list)
    for e in entries:
        sections[e["section"]].append(e)
    for section in sorted(sections, key=section_order):
        lines = [f"## §{section}", ""]
        for e in sections[section]:
            cid = e["id"]
            head = f"- **{cid}** ({e['kind']}) {e['claim'].strip()} — **{VERDICT_TEXT[e['verdict']]}**"
            if e["verdict"] == "holds-when":
                head += f" {e['when'].strip()}"
            lines.append(head)
            if e["verdict"] == "wrong":
                lines.append(f"  - Right: {e['correction'].strip()} (derived in {e['shown'].strip()})")
            if e["verdict"] == "untestable":
                lines.append(f"  - Why no number: {e['reason'].strip()}")
            rs = by_claim.get(cid, [])
            # A wrong claim shows first the rows where the notes' version fails.
            if e["verdict"] == "wrong":
                rs = sorted(rs, key=lambda r: r["outcome"] != "expected-failure")
            if rs:
                page = stem(rs[0]["notebook"])
                title = titles.get(page, page)
                lines.append(f"  - Checked in [{title}]({page}.html#claim-{cid}), {len(rs)} row(s):")
                for r in rs[:max_rows]:
                    # A bound shows its relation ("got ≤ want") in place of a relative error.
                    rel = f", relative error {r['relative_error']}" if r["relative_error"] not in ("", "—") else f", {r['tolerance']}"
                    lines.append(f"    - {r['check']}: got {r['got']}, want {r['want']}{rel} ({r['outcome']})".replace("|", "\\|"))
                if len(rs) > max_rows:
                    lines.append(f"    - … and {len(rs) - max_rows} more")
            elif e["verdict"] != "untestable":
                lines.append(f"  - Checked in {stem(e['notebook'])} (not executed in this export)")
        nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines) + "\n", id=f"section-{section}".replace(".", "-")))
    return nb


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
