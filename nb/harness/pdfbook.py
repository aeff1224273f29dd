"""The whole course as one PDF, printed a part at a time (make export).

Printing every notebook on one page (thousands of formulas, dozens of
figures) takes Chromium a minute or more, and a typo anywhere meant
printing all of it again. So course.pdf and the student's handout.pdf are
printed in parts, the contents page and then each notebook, each from a
page of its own; a part's PDF is kept in the export cache (an
export_cache.Memo) under the SHA-256 of its page and of the printer
(PRINTER_VERSION, the Chromium executable), and the parts are joined with
pypdf (pinned in requirements.txt):

  - bookmarks: each part's outline, which Chromium makes from its headings
    (page.pdf(outline=True)), one after the other;
  - the contents page's links: a part names a place with an empty link to
    itself (handout.anchor_headings(..., self_link=True)), which Chromium
    prints as a named destination; the contents page links to
    LINK_BASE + "#name", which Chromium prints as a link to a web address,
    and join() turns each such link into a link to the named destination;
  - page numbers: each notebook's footer gives its title and the page
    within the notebook ("4.1 Overfitting … · 3 / 12").

    printed = print_book(parts, "build/course/course.pdf", memo, "The course")

Requests to the network are refused while printing, so the PDF shows what
an offline reader sees.
"""

import html
import os
import re
import urllib.parse

import browser
import export_cache

# The address the contents page links to; join() replaces every link to it.
LINK_BASE = "https://course.invalid/"
# Bumped when the page settings below change what a part prints.
PRINTER_VERSION = "2"

MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}


def footer(title):
    """The footer template of a part: its title (none for the contents) and
    the page within the part."""
    label = f"{html.escape(title)} · " if title else ""
    return f'<div style="font-size:8px;width:100%;text-align:center;">{label}<span class="pageNumber"></span> / <span class="totalPages"></span></div>'


def print_part(b, page_path, pdf_path, title, refused):
    """Prints the page page_path to pdf_path with the open browser b, once
    the page and its fonts have loaded; appends the refused requests to
    refused."""
    page = b.new_page()
    try:
        page.route(re.compile(r"^(https?|wss?)://"), lambda route: (refused.append(route.request.url), route.abort()))
        page.goto("file://" + urllib.parse.quote(os.path.abspath(page_path)), wait_until="load", timeout=120_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts
        page.emulate_media(media="print")
        page.pdf(
            path=pdf_path,
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer(title),
            margin=MARGIN,
            outline=True,  # bookmarks: the headings of the page
            tagged=True,
        )
    finally:
        page.close()


def join(pdfs, out_path, title=""):
    """Joins the PDFs in order into out_path, with their bookmarks and named
    destinations, and turns every link to LINK_BASE#name into a link to the
    named destination name; title is the PDF's title. Returns the names
    linked to that no part names."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    w = PdfWriter()
    for p in pdfs:
        w.append(p, import_outline=True)
    names = set(w.named_destinations)
    missing = []
    for page in w.pages:
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            uri = a.get("/A", {}).get("/URI") if a.get("/A") else None
            if not uri or not str(uri).startswith(LINK_BASE + "#"):
                continue
            name = str(uri)[len(LINK_BASE) + 1:]
            if "/" + name not in names:
                missing.append(name)
            del a["/A"]
            a[NameObject("/Dest")] = NameObject("/" + name)
    if title:
        w.add_metadata({"/Title": title})
    with open(out_path, "wb") as f:
        w.write(f)
    return missing


def print_book(parts, out_path, memo, title=""):
    """Prints parts, [(page path, footer title)], each to a PDF, or takes
    it from memo (an export_cache.Memo) when that page was printed before,
    and joins them into out_path, titled title. Returns (refused URLs,
    parts printed now). Raises ValueError when the
    contents links to a place no part names."""
    from playwright.sync_api import sync_playwright

    printer = browser.identity()
    refused, printed, pdfs = [], 0, []
    with sync_playwright() as p:
        b = None
        try:
            for page_path, part_title in parts:
                with open(page_path, "rb") as f:
                    key = export_cache.Memo.key("pdf part", PRINTER_VERSION, printer, part_title, f.read())
                kept = memo.path(key)
                if not os.path.isfile(kept):
                    if b is None:
                        b = browser.launch(p)
                    print_part(b, page_path, kept + ".tmp", part_title, refused)
                    os.replace(kept + ".tmp", kept)
                    printed += 1
                pdfs.append(kept)
        finally:
            if b is not None:
                b.close()
    missing = join(pdfs, out_path, title)
    if missing:
        raise ValueError(f"{os.path.basename(out_path)}: the contents links to {', '.join(sorted(set(missing)))}, which no part has")
    return refused, printed
