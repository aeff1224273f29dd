#!/usr/bin/env python3
"""Accessibility check of the exported pages (make export): axe-core, the
rules of WCAG 2.x and common practice, run in headless Chromium through
Playwright (the axe-playwright-python package, pinned in
docker/requirements.txt, which bundles axe-core).

Each page is opened from disk with every request to the network refused
(its formulas are typeset already: typeset.py), and axe runs on the whole
page once it has loaded. A violation whose impact is "critical" fails the check;
the test of the export (test_export.py) runs it on the pages, slides and
index of a small export.

    .venv/bin/python nb/harness/accessibility.py build/course/*.html

prints every violation (page, rule, impact, element) and exits with 1 if
one of them is critical.
"""

import collections
import os
import re
import sys
import urllib.parse

import browser

# axe-core's impact levels, from least to most severe.
IMPACTS = ("minor", "moderate", "serious", "critical")
FAILING = ("critical",)
CHECK_VERSION = 2  # bumped when check_pages runs axe differently (2: KaTeX's aria-hidden HTML left out)

Violation = collections.namedtuple("Violation", "page rule impact help element html")


def describe(v):
    """One line naming the page, the rule and the element."""
    return f"{v.page}: {v.rule} ({v.impact}): {v.help} — element {v.element}: {v.html}"


def check_pages(paths):
    """Runs axe-core on each HTML file; returns its violations, one per
    element, most severe first."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    found = []
    with sync_playwright() as p:
        b = browser.launch(p)
        try:
            page = b.new_page()
            page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
            for path in paths:
                page.goto("file://" + urllib.parse.quote(os.path.abspath(path)), wait_until="load", timeout=120_000)
                # KaTeX draws each formula twice: MathML for screen readers,
                # checked, and HTML hidden from them (aria-hidden), left out:
                # thousands of spans that took a third of axe's time.
                results = axe.run(page, context={"exclude": [[".katex-html"]]})
                for v in results.response["violations"]:
                    for node in v["nodes"]:
                        snippet = " ".join(node.get("html", "").split())
                        if len(snippet) > 160:
                            snippet = snippet[:157] + "..."
                        found.append(Violation(os.path.basename(path), v["id"], v.get("impact") or "minor", v["help"], ", ".join(map(str, node["target"])), snippet))
        finally:
            b.close()
    return by_severity(found)


def checker_version():
    """The version of the axe-core package that checks and of how this
    module runs it (the findings depend on both)."""
    from importlib.metadata import version

    return f"axe-playwright-python {version('axe-playwright-python')}, check {CHECK_VERSION}"


def check_changed_pages(paths, verdicts):
    """check_pages for the pages whose content verdicts (an
    export_cache.PageVerdicts) has not seen; the findings of the others are
    the stored ones. Stores the new findings."""
    found, changed = verdicts.split(paths)
    new = check_pages(changed) if changed else []
    by_page = {p: [] for p in changed}
    names = {os.path.basename(p): p for p in changed}
    for v in new:
        by_page[names[v.page]].append(list(v))
    verdicts.save(by_page)
    return by_severity([Violation(*v) for page in paths for v in (found.get(page) or by_page.get(page, []))])


def by_severity(violations):
    """violations, most severe first (an unknown impact last)."""
    return sorted(violations, key=lambda v: -IMPACTS.index(v.impact) if v.impact in IMPACTS else 0)


def failing(violations):
    """The violations that fail the check."""
    return [v for v in violations if v.impact in FAILING]


def main(argv=None):
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: accessibility.py PAGE.html ...", file=sys.stderr)
        return 2
    violations = check_pages(paths)
    for v in violations:
        print(describe(v))
    bad = failing(violations)
    print(f"accessibility: {len(paths)} page(s), {len(violations)} violation(s), {len(bad)} critical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
